// Property tests (fast-check) of the Entities port: every reader is total on any Unicode input
// (lone surrogates, combining marks, emoji) and returns only valid values; the word forms read
// what their digit forms read; today's daily-time parser is a subset; and inputs of 100,000
// characters in the worst shapes found are answered, with the answer checked.
import fc from "fast-check";
import { reminderText } from "./helpers/arbitraries.js";
import { DateTime, IANAZone } from "luxon";
import { describe, expect, it } from "vitest";
import { createEntities } from "../src/understanding/entities/index.js";
import { PLACES, WHOLE_ONLY } from "../src/understanding/entities/places-data.js";
import { GREETINGS } from "../src/understanding/entities/plausible-words.js";
import { parseLocalTime } from "../src/core/time.js";
import { parseReminder } from "./helpers/legacy-reminder.js";
import type { Slot } from "../src/core/understanding.js";

const e = createEntities();
const SLOTS: Slot[] = ["company", "role", "person", "free"];
const ZONES = Intl.supportedValuesOf("timeZone");
const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) });
const pieces = [
  "half",
  "past",
  "quarter",
  "to",
  "7",
  "12",
  ":",
  "30",
  "7:30",
  "am",
  "p.m.",
  "in",
  "the",
  "evening",
  "morning",
  "at",
  "om",
  "ngo-",
  "noon",
  "seven",
  "twenty",
  "five",
  "o'clock",
  "tonight",
  "tomorrow",
  "next",
  "week",
  "in two weeks",
  "Cape",
  "Town",
  "Joburg",
  "GMT+",
  "Europe/",
  "applied",
  "to",
  "for",
  "as",
  "a",
  "the",
  "job",
  "Shoprite",
  "Pick n Pay",
  "it",
  "them",
  "remind",
  "me",
  "hi",
  "yes",
  "?",
  "!",
  "-",
  ".",
  "🎉",
  "\u0301",
  "\ud800",
  "\u200b",
  " ",
  "  ",
  "\n",
  "é",
  "ß",
  "İ",
  "ǅ",
];
const anyText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.array(fc.constantFrom(...pieces), { maxLength: 14 }).map((a) => a.join(" ")),
  fc.array(fc.constantFrom(...pieces), { maxLength: 14 }).map((a) => a.join("")),
);
const collapse = (s: string) => s.replace(/\s+/g, " ");
const EN_UNITS = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
];
const EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const words = (n: number, joiner = " ") =>
  n < 20 ? EN_UNITS[n]! : EN_TENS[Math.floor(n / 10)]! + (n % 10 ? joiner + EN_UNITS[n % 10]! : "");

describe("every reader is total and returns only valid values", () => {
  it("timeOfDay, count, zone, application, plausible: any string", () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const t = e.timeOfDay(s);
        if (t) {
          expect(Object.keys(t).sort()).toEqual(["hour", "minute"]);
          expect(Number.isInteger(t.hour) && t.hour >= 0 && t.hour <= 23).toBe(true);
          expect(Number.isInteger(t.minute) && t.minute >= 0 && t.minute <= 59).toBe(true);
        }
        const n = e.count(s);
        if (n !== undefined) expect(Number.isInteger(n) && n >= 0 && n <= 1000).toBe(true);
        const z = e.zone(s);
        if (z !== undefined) {
          expect(IANAZone.isValidZone(z)).toBe(true);
          expect(e.zone(z)).toBe(z); // canonical: a fixed point
        }
        const a = e.application(s);
        for (const [k, v] of Object.entries(a)) {
          expect(["company", "role"]).toContain(k);
          expect(typeof v === "string" && v.length > 0 && v.length <= 60).toBe(true);
          expect(collapse(s)).toContain(v); // never invented, always the user's own spelling
        }
        if (a.company)
          expect(["it", "them", "tomorrow", "there", "today", "me", "you"]).not.toContain(a.company.toLowerCase());
        for (const slot of SLOTS) expect(typeof e.plausible(s, slot)).toBe("boolean");
      }),
      { numRuns: 3000 },
    );
  });

  it("reminder: any string, any instant, any zone string (valid or not)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          fc
            .tuple(
              fc.constantFrom(
                "in 2 days",
                "tomorrow at",
                "next friday",
                "in -3 days",
                "at 9",
                "in twenty",
                "half past",
                "om 7",
                "môre",
              ),
              anyText,
            )
            .map(([a, b]) => `${a} ${b}`),
        ),
        instant,
        fc.oneof(fc.constantFrom(...ZONES), fc.string({ maxLength: 20 })),
        fc.boolean(),
        (s, now, zone, needText) => {
          const p = e.reminder(s, now, zone, { needText });
          expect(["ok", "no_date", "past", "no_text", "too_long"]).toContain(p.status);
          if (p.status === "ok") {
            expect(Number.isFinite(p.dueAt)).toBe(true);
            expect(p.dueAt).toBeGreaterThan(now);
            expect([...p.what].length).toBeLessThanOrEqual(300);
            if (needText) expect(p.what).toMatch(/[\p{L}\p{N}]/u);
          }
          if (p.status === "past") expect(p.dueAt).toBeLessThanOrEqual(now);
          if (p.status === "too_long") expect(p.max).toBe(300);
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe("times: word forms and today's parser", () => {
  it("reads every time today's /daily parser reads, the same way", () => {
    const pad = (n: number) => String(n).padStart(2, "0");
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.constantFrom("H:mm", "HH:mm", "HHhmm", "HHmm", "H.mm", "h12am", "h12:mmpm", "h12 PM", "h12a.m."),
        (h, m, shape) => {
          const h12 = h % 12 || 12;
          const typed = shape.startsWith("h12")
            ? `${h12}${shape.slice(3).replace("mm", pad(m))}`
            : shape.replace("HH", pad(h)).replace("H", String(h)).replace("mm", pad(m));
          const old = parseLocalTime(typed);
          if (old) expect(e.timeOfDay(typed)).toEqual(old);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("'<hour in words> in the evening', 'half past <hour>', 'quarter to <hour>' in words and digits", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.boolean(), (h, asWords) => {
        const hh = asWords ? words(h) : String(h);
        expect(e.timeOfDay(`${words(h)} in the evening`)).toEqual({ hour: (h % 12) + 12, minute: 0 });
        expect(e.timeOfDay(`${words(h)} in the morning`)).toEqual({ hour: h % 12, minute: 0 });
        expect(e.timeOfDay(`half past ${hh}`)).toEqual({ hour: h, minute: 30 });
        expect(e.timeOfDay(`quarter to ${hh}`)).toEqual({ hour: h - 1, minute: 45 });
        expect(e.timeOfDay(`at ${hh} pm`)).toEqual({ hour: (h % 12) + 12, minute: 0 });
      }),
    );
  });

  it("'<hour> <minutes>' in words is hour:minutes", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 10, max: 59 }),
        fc.constantFrom(" ", "-"),
        (h, m, j) => {
          expect(e.timeOfDay(`${words(h)} ${words(m, j)}`)).toEqual({ hour: h, minute: m });
        },
      ),
    );
  });
});

describe("counts and reminders in words", () => {
  it("reads 0..99 in words and digits", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99 }), fc.constantFrom(" ", "-"), (n, j) => {
        expect(e.count(words(n, j))).toBe(n);
        expect(e.count(String(n))).toBe(n);
      }),
    );
  });

  it("'in <n in words> days <what>' is the same reminder as 'in <n> days <what>'", () => {
    const what = fc
      .array(fc.constantFrom("call", "Thandi", "email", "recruiter", "send", "CV", "follow", "up"), {
        minLength: 1,
        maxLength: 5,
      })
      .map((a) => a.join(" "));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.constantFrom("days", "weeks"),
        what,
        instant,
        fc.constantFrom("Africa/Johannesburg", "Europe/London", "America/New_York"),
        (n, unit, w, now, zone) => {
          const inWords = e.reminder(`in ${words(n)} ${unit} ${w}`, now, zone);
          expect(inWords).toEqual(e.reminder(`in ${n} ${unit} ${w}`, now, zone));
          expect(inWords).toMatchObject({ status: "ok", what: w });
          const due = DateTime.fromMillis((inWords as { dueAt: number }).dueAt, { zone });
          expect(due.toISODate()).toBe(
            DateTime.fromMillis(now, { zone })
              .plus({ [unit]: n })
              .toISODate(),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("reminders: today's behaviour kept", () => {
  // The shapes the old parseReminder read (frozen in test/helpers/legacy-reminder.ts) read the same.
  const what = reminderText;
  const zone = fc.constantFrom(
    "Africa/Johannesburg",
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
  );
  it("'in N days/weeks <what>', '<what> tomorrow <h>am', 'tomorrow <h>am <what>', 'in -N days', dates alone", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom("days", "weeks"),
        fc.integer({ min: 1, max: 11 }),
        what,
        instant,
        zone,
        fc.integer({ min: 0, max: 4 }),
        (n, unit, h, w, now, z, shape) => {
          const typed = [
            `in ${n} ${unit} ${w}`,
            `${w} tomorrow ${h}am`,
            `tomorrow ${h}am ${w}`,
            `in -${n} days ${w}`,
            `tomorrow ${h}am`,
          ][shape]!;
          expect(e.reminder(typed, now, z)).toEqual(parseReminder(typed, now, z));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("zones, names and slots", () => {
  const listed = Object.entries(PLACES).flatMap(([z, names]) => names.split(",").map((n) => [n.trim(), z] as const));
  const canonical = (z: string) => new Intl.DateTimeFormat("en", { timeZone: z }).resolvedOptions().timeZone;

  it("every listed place, in any case and padded, is its zone; inside a sentence too unless it is a whole-answer-only name", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...listed),
        fc.constantFrom("lower", "upper", "title", "padded"),
        ([name, zone], how) => {
          const typed =
            how === "lower"
              ? name
              : how === "upper"
                ? name.toUpperCase()
                : how === "title"
                  ? name.replace(/\b\p{L}/gu, (c) => c.toUpperCase())
                  : `  ${name}! `;
          expect(e.zone(typed)).toBe(canonical(zone));
          if (!WHOLE_ONLY.has(name)) expect(e.zone(`daily 7:30 in ${typed} please`)).toBe(canonical(zone));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("every IANA zone, typed in lower case or with spaces for _, is itself", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES.filter((z) => z.includes("/"))), fc.boolean(), (z, spaces) => {
        expect(e.zone(spaces ? z.replace(/_/g, " ") : z.toLowerCase())).toBe(canonical(z));
      }),
    );
  });

  it("company and role come back as typed from every template; a pronoun or a time is never the company", () => {
    const company = fc.constantFrom(
      "Shoprite",
      "Pick n Pay",
      "Absa",
      "Capitec",
      "Old Mutual",
      "Woolworths Food",
      "Vodacom",
      "Mr Price",
      "Standard Bank",
      "Checkers",
    );
    const role = fc.constantFrom("cashier", "teller", "call centre agent", "packer", "sales assistant", "driver");
    const filler = fc.constantFrom(
      "it",
      "them",
      "there",
      "tomorrow",
      "today",
      "him",
      "her",
      "this",
      "that",
      "10am",
      "Monday",
    );
    fc.assert(
      fc.property(company, role, filler, fc.constantFrom("!", "!!! 🎉", ".", "", " 😊"), (c, r, f, end) => {
        expect(e.application(`I applied to ${c} for ${r}${end}`)).toEqual({ company: c, role: r });
        expect(e.application(`sent my CV to ${c} for a ${r} post${end}`)).toEqual({ company: c, role: r });
        expect(e.application(`interview with ${c} on Monday for ${r}${end}`)).toEqual({ company: c, role: r });
        expect(e.application(`I got the job at ${c}${end}`)).toEqual({ company: c });
        expect(e.application(`I applied to ${f}${end}`).company).toBeUndefined();
        expect(e.application(`I have an interview at ${f}${end}`).company).toBeUndefined();
      }),
      { numRuns: 400 },
    );
  });

  it("a greeting, stretched, shouted or with an emoji, fills no slot", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...GREETINGS),
        fc.boolean(),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom("", "!", " 👋", "!!", " :)", "."),
        (g, upper, stretch, end) => {
          const typed = (upper ? g.toUpperCase() : g).replace(/(\p{L})$/u, (c) => c.repeat(stretch)) + end;
          for (const slot of SLOTS) expect(e.plausible(typed, slot)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("adversarial input of 100,000 characters", () => {
  const N = 100_000;
  const fill = (unit: string) => unit.repeat(Math.ceil(N / unit.length)).slice(0, N);
  const now = Date.UTC(2026, 10, 26, 8);
  const shapes: [name: string, text: string][] = [
    ["digits", fill("7")],
    ["colons", fill("7:")],
    ["dotted digits", fill("1.")],
    ["letters", fill("a")],
    ["spaces then a time", " ".repeat(N - 1) + "7"],
    ["half past", fill("half past ")],
    ["quarter to", fill("quarter to ")],
    ["at", fill("at ")],
    ["in the evening", fill("7 in the evening ")],
    ["remind me", fill("remind me ")],
    ["in two weeks", fill("in two weeks ")],
    ["Cape Town", fill("Cape Town ")],
    ["in in", fill("in ")],
    ["emoji", fill("🎉")],
    ["combining marks", fill("a\u0301")],
    ["lone surrogates", fill("\ud800")],
    ["dashes", fill("-")],
    ["question marks", fill("?")],
    ["nul", fill("\u0000")],
    ["hi", fill("hi ")],
    ["apostrophes", fill("a'")],
    ["a.m.", fill("a.m.")],
    ["twenty", fill("twenty ")],
    ["Pick n", fill("Pick n ")],
    ["capitals", fill("A B ")],
    ["zero width", fill("\u200b")],
  ];
  it.each(shapes)("%s: every reader answers, and refuses or reads only the start", (_name, text) => {
    expect(text.length).toBe(N);
    expect(e.timeOfDay(text)).toBeUndefined();
    expect(e.count(text)).toBeUndefined();
    expect(e.zone(text)).toBeUndefined();
    expect(e.reminder(text, now, "Africa/Johannesburg")).toEqual({ status: "too_long", max: 300 });
    for (const slot of SLOTS) expect(e.plausible(text, slot)).toBe(false);
    const a = e.application(text);
    for (const v of Object.values(a)) expect(collapse(text.slice(0, 500))).toContain(v);
  });
  it("a long message is read from its start", () => {
    const text = ("I applied to Shoprite for cashier. " + "then some more words ".repeat(N / 20)).slice(0, N);
    expect(e.application(text)).toEqual({ company: "Shoprite", role: "cashier" });
  });
});
