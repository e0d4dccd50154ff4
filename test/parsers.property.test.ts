// Property-based tests (fast-check) of every parser of what users type: daily times, time zones,
// reminders in plain words, commands, and the typed choice matcher. Each: never throws on any
// string, never returns an impossible or past value, and reads the shapes it claims to read.
import fc from "fast-check";
import { reminderText } from "./helpers/arbitraries.js";
import { DateTime, IANAZone } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatHHMM, isValidZone, MAX_REMINDER_TEXT, nextDailyAt, parseLocalTime } from "../src/core/time.js";
import { createEntities } from "../src/understanding/entities/index.js";
import { matchOffered } from "../src/core/choices.js";
import { normalize } from "../src/core/matching.js";
import { parseCommand } from "../src/core/intents.js";
import type { Choice, UserKey } from "../src/core/types.js";
import { Keys } from "../src/store/keys.js";
import { en } from "./helpers/bot.js";
import { chatAs, makeEngine } from "./helpers/engine.js";
import { testRedis, type TestRedis } from "./helpers/redis.js";

// Zones and reminders are read by the Entities port, as the flows read them (ctx.entities).
const entities = createEntities();
const normalizeZone = (s: string) => entities.zone(s);
const parseReminder: typeof entities.reminder = (...a) => entities.reminder(...a);

const ZONES = Intl.supportedValuesOf("timeZone");
const zone = fc.constantFrom(
  ...ZONES,
  "Africa/Johannesburg",
  "Europe/London",
  "America/New_York",
  "Australia/Lord_Howe",
  "Asia/Kathmandu",
);
/** 2000..2040, where DST rules are known to Intl. */
const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) });
const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
);
const pad = (n: number) => String(n).padStart(2, "0");

describe("parseLocalTime (daily times)", () => {
  const hour = fc.integer({ min: 0, max: 23 });
  const minute = fc.integer({ min: 0, max: 59 });

  it("reads every 24-hour time in the shapes people type: 7:30, 07:30, 07h30, 0730, 7.30", () => {
    fc.assert(
      fc.property(
        hour,
        minute,
        fc.constantFrom("H:mm", "HH:mm", "HHhmm", "HHmm", "H.mm"),
        fc.constantFrom("", " ", "  "),
        (h, m, shape, space) => {
          const typed = shape.replace("HH", pad(h)).replace("H", String(h)).replace("mm", pad(m));
          expect(parseLocalTime(space + typed + space)).toEqual({ hour: h, minute: m });
        },
      ),
    );
  });

  it("reads 12-hour times: 8am, 8 PM, 8:15pm, 12am is midnight, 12pm is noon", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.option(minute, { nil: undefined }),
        fc.constantFrom("am", "pm", "AM", "PM", "a.m.", "p.m."),
        fc.boolean(),
        (h12, m, mer, spaced) => {
          const typed = `${h12}${m === undefined ? "" : `:${pad(m)}`}${spaced ? " " : ""}${mer}`;
          const pm = mer.toLowerCase().startsWith("p");
          const expected = (h12 % 12) + (pm ? 12 : 0);
          expect(parseLocalTime(typed)).toEqual({ hour: expected, minute: m ?? 0 });
        },
      ),
    );
  });

  it("round-trips with formatHHMM", () => {
    fc.assert(
      fc.property(
        hour,
        minute,
        (h, m) => void expect(parseLocalTime(formatHHMM({ hour: h, minute: m }))).toEqual({ hour: h, minute: m }),
      ),
    );
  });

  it("never throws on any string, and whatever it returns is a real time of day", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.stringMatching(/^[0-9:.hapm ]{0,9}$/)), (s) => {
        const t = parseLocalTime(s);
        if (t === undefined) return;
        expect(Number.isInteger(t.hour) && t.hour >= 0 && t.hour <= 23).toBe(true);
        expect(Number.isInteger(t.minute) && t.minute >= 0 && t.minute <= 59).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses out-of-range hours and minutes", () => {
    // 24:00 alone is read as midnight (ISO 8601's end of day); every other hour past 23 is refused.
    expect(parseLocalTime("24:00")).toEqual({ hour: 0, minute: 0 });
    fc.assert(
      fc.property(fc.integer({ min: 24, max: 99 }), minute, (h, m) => {
        fc.pre(!(h === 24 && m === 0));
        expect(parseLocalTime(`${h}:${pad(m)}`)).toBeUndefined();
      }),
    );
    fc.assert(
      fc.property(
        hour,
        fc.integer({ min: 60, max: 99 }),
        (h, m) => void expect(parseLocalTime(`${h}:${m}`)).toBeUndefined(),
      ),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 13, max: 99 }),
        fc.constantFrom("am", "pm"),
        (h, mer) => void expect(parseLocalTime(`${h}${mer}`)).toBeUndefined(),
      ),
    );
  });
});

describe("time zones", () => {
  it("any string gives a valid IANA zone in canonical spelling, or nothing; never throws", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          fc.stringMatching(/^[A-Za-z_/+\-0-9 ]{0,30}$/),
          zone.map((z) => z.toLowerCase()),
        ),
        (s) => {
          const z = normalizeZone(s);
          if (z === undefined) return;
          expect(isValidZone(z)).toBe(true);
          expect(normalizeZone(z)).toBe(z); // canonical: a fixed point
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("every zone the runtime knows, typed in any case or with spaces for _, names the same zone", () => {
    fc.assert(
      fc.property(
        zone.filter((z) => z.includes("/")),
        fc.constantFrom("lower", "upper", "spaces", "padded"),
        instant,
        (z, how, at) => {
          const typed =
            how === "lower"
              ? z.toLowerCase()
              : how === "upper"
                ? z.toUpperCase()
                : how === "spaces"
                  ? z.replace(/_/g, " ")
                  : `  ${z} `;
          const got = normalizeZone(typed);
          expect(got).toBeDefined();
          // The same rules: the same offset at any instant.
          expect(IANAZone.create(got!).offset(at)).toBe(IANAZone.create(z).offset(at));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("nextDailyAt", () => {
  it("is strictly after now, within about a day, and at the chosen local time unless that time does not exist that day (DST gap)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), zone, instant, (h, m, z, after) => {
        const next = nextDailyAt({ hour: h, minute: m }, z, after);
        expect(Number.isFinite(next)).toBe(true);
        expect(next).toBeGreaterThan(after);
        expect(next - after).toBeLessThanOrEqual(26 * 3600_000);
        const local = DateTime.fromMillis(next, { zone: z });
        if (local.hour !== h || local.minute !== m) {
          // Only allowed when h:m that day is skipped by a clock change.
          const asked = DateTime.fromObject(
            { year: local.year, month: local.month, day: local.day, hour: h, minute: m },
            { zone: z },
          );
          expect(asked.hour !== h || asked.minute !== m).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("parseReminder (dates and plain words)", () => {
  // Words chrono will not read as a date ("may", "sun", "march", "now" would be).
  const what = reminderText;

  it("never throws on any string; an accepted reminder is a valid instant strictly in the future with a short text", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          fc
            .tuple(
              fc.constantFrom(
                "in 2 days",
                "tomorrow",
                "next friday",
                "on 1 march",
                "at 9",
                "in -3 days",
                "yesterday",
                "today",
                "in 0 minutes",
                "last week",
              ),
              anyText,
            )
            .map(([a, b]) => `${a} ${b}`),
        ),
        instant,
        zone,
        fc.boolean(),
        (s, now, z, needText) => {
          const p = parseReminder(s, now, z, { needText });
          if (p.status === "ok") {
            expect(Number.isFinite(p.dueAt)).toBe(true);
            expect(DateTime.fromMillis(p.dueAt, { zone: z }).isValid).toBe(true);
            expect(p.dueAt).toBeGreaterThan(now);
            expect([...p.what].length).toBeLessThanOrEqual(MAX_REMINDER_TEXT);
            if (needText) expect(p.what).toMatch(/[\p{L}\p{N}]/u);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("'in N days/weeks <what>' is N days/weeks later in the user's zone, and keeps the words", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom("days", "weeks"),
        what,
        instant,
        zone,
        (n, unit, w, now, z) => {
          const p = parseReminder(`in ${n} ${unit} ${w}`, now, z);
          expect(p.status).toBe("ok");
          if (p.status !== "ok") return;
          expect(p.what).toBe(w);
          const expectedDay = DateTime.fromMillis(now, { zone: z }).plus({ [unit]: n });
          expect(DateTime.fromMillis(p.dueAt, { zone: z }).toISODate()).toBe(expectedDay.toISODate());
        },
      ),
      { numRuns: 500 },
    );
  });

  it("'tomorrow <h>am <what>' is tomorrow at that hour (local), with the words kept, whichever side they are on", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 11 }),
        what,
        fc.boolean(),
        fc.date({ min: new Date("2001-01-01"), max: new Date("2039-01-01"), noInvalidDate: true }),
        (h, w, before, date) => {
          const z = "Africa/Johannesburg"; // no DST: the hour always exists
          const now = date.getTime();
          const typed = before ? `${w} tomorrow ${h}am` : `tomorrow ${h}am ${w}`;
          const p = parseReminder(typed, now, z);
          expect(p.status).toBe("ok");
          if (p.status !== "ok") return;
          const due = DateTime.fromMillis(p.dueAt, { zone: z });
          expect(due.toISODate()).toBe(DateTime.fromMillis(now, { zone: z }).plus({ days: 1 }).toISODate());
          expect(due.hour).toBe(h);
          expect(p.what).toBe(w);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a negative wait is never accepted", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        what,
        instant,
        (n, w, now) => void expect(parseReminder(`in -${n} days ${w}`, now, "Europe/London").status).toBe("past"),
      ),
    );
  });
});

describe("parseCommand", () => {
  const words = new Map([
    ["help", "help"],
    ["remind", "remind"],
    ["daily", "daily"],
  ]);
  it("never throws; a slash command's name is its own word in lower case and its argument the rest", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_]{1,32}$/),
        fc.oneof(fc.constant(""), fc.string({ maxLength: 30 })),
        (name, arg) => {
          const p = parseCommand(`/${name}${arg.trim() ? ` ${arg}` : ""}`, words);
          expect(p).toEqual({ name: name.toLowerCase(), arg: arg.trim(), slash: true });
        },
      ),
    );
    fc.assert(fc.property(anyText, (s) => void parseCommand(s, words)));
  });
});

describe("matchOffered (typed choices)", () => {
  const label = fc
    .string({ minLength: 1, maxLength: 20, unit: "grapheme" })
    .filter((l) => normalize(l) !== "" && !/^\s*#?\d{1,2}[.)]?\s*$/.test(l));
  const offeredArb = fc
    .uniqueArray(label, { minLength: 1, maxLength: 8, selector: (l) => normalize(l) })
    .map((labels) => labels.map((l, i): Choice => ({ label: l, value: `flow.step:v${i}` })));

  it("a typed number n picks offered[n-1] (also '#n', 'n.', 'n)'), and nothing past the end", () => {
    fc.assert(
      fc.property(
        offeredArb,
        fc.integer({ min: 0, max: 99 }),
        fc.constantFrom("%", "#%", "%.", "%)", " % "),
        (offered, n, shape) => {
          const got = matchOffered(shape.replace("%", String(n)), offered);
          expect(got).toBe(n >= 1 && n <= offered.length ? offered[n - 1] : undefined);
        },
      ),
    );
  });

  it("a label typed in other case, with punctuation or spaces, picks itself", () => {
    fc.assert(
      fc.property(offeredArb, fc.nat(), fc.constantFrom("upper", "lower", "punct", "spaces"), (offered, i, how) => {
        const c = offered[i % offered.length]!;
        const typed =
          how === "upper"
            ? c.label.toUpperCase()
            : how === "lower"
              ? c.label.toLowerCase()
              : how === "punct"
                ? `${c.label}!!`
                : `  ${c.label}  `;
        // Case changes can alter some letters' normal form (ß -> SS): only claim what normalize agrees on.
        fc.pre(normalize(typed) === normalize(c.label));
        expect(matchOffered(typed, offered)).toBe(c);
      }),
    );
  });

  it("random text never picks a wrong choice: only the number's own or the one whose label it is", () => {
    fc.assert(
      fc.property(offeredArb, anyText, (offered, typed) => {
        const got = matchOffered(typed, offered);
        if (got === undefined) return;
        const num = /^\s*#?(\d{1,2})[.)]?\s*$/.exec(typed);
        if (num) expect(got).toBe(offered[Number(num[1]) - 1]);
        else expect(normalize(got.label)).toBe(normalize(typed));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("/daily <time> in <zone> through the engine", () => {
  let r: TestRedis;
  beforeAll(async () => {
    r = await testRedis();
  });
  afterAll(async () => {
    await r.cleanup();
  });

  it("any zone typed gives a subscription in a valid zone or the kind 'unknown zone' answer, never an error", async () => {
    const engine = makeEngine(r.redis, r.prefix);
    const keys = new Keys(r.prefix);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.stringMatching(/^\S{1,30}$/),
          zone.map((z) => z.toLowerCase()),
        ),
        async (typed) => {
          const user = `console:z${n++}` as UserKey;
          const out = await chatAs(engine, user).say(`/daily 7:30 in ${typed}`);
          expect(out.status).toBe("handled");
          const stored = await r.redis.hget(keys.user(user, "profile"), "timezone");
          if (normalizeZone(typed)) {
            expect(stored).toBe(normalizeZone(typed));
          } else {
            expect(out.texts[0]).toBe(en.text("daily.bad_zone"));
            expect(stored === null || isValidZone(stored)).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
