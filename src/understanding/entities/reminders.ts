// Reminders in plain words: "in two weeks call Thandi", "tomorrow at 9 to follow up", "next week",
// "at half past seven tonight". chrono-node finds the date (British day-first, as South Africa
// writes 1/3 for 1 March) and Luxon places it in the user's zone; before chrono reads the text,
// the forms it misreads are rewritten ("two" -> "2" in a duration, "7 in the evening" -> "at 19:00").
// Input past the cap is refused before anything parses it, so the cost never grows with length.
import * as chrono from "chrono-node";
import { DateTime, IANAZone } from "luxon";
import type { ParsedReminder } from "../../core/understanding.js";
import { readNumber } from "./numbers.js";
import { tokenize, type Token } from "./text.js";
import { applyPeriod } from "./time-dayparts.js";
import { scanTimes, type TimeSpan } from "./times.js";

export interface ReminderOptions {
  /** Longest reminder text kept (code points). */
  maxText: number;
  /** When only a day is given ("next Friday"), remind at this local hour. */
  defaultHour: number;
  /** Used when the zone handed in is not a valid IANA zone. */
  fallbackZone: string;
}

/** A little room for the date words around the text. */
const DATE_ROOM = 60;
const UNITS = new Set([
  "minute",
  "minutes",
  "min",
  "mins",
  "hour",
  "hours",
  "hr",
  "hrs",
  "day",
  "days",
  "week",
  "weeks",
  "month",
  "months",
  "year",
  "years",
]);
const DURATION_LEAD = new Set(["in", "within", "after"]);
// A part of the day named without an hour ("tomorrow morning", "tonight"): chrono's own guesses
// (06:00, 22:00) are not when anyone wants a nudge.
const DAYPART_HOUR: readonly [RegExp, number | "default"][] = [
  [/\bmorning\b/i, "default"],
  [/\bafternoon\b/i, 14],
  [/\b(evening|tonight)\b/i, 18],
  [/\bnight\b/i, 20],
];

// Day words chrono-node knows only in English (Afrikaans, isiZulu/isiXhosa, Sesotho, Setswana;
// a first draft for native speakers to review). Matched on the typed spelling: "more" without
// the circumflex is English.
const DAY_WORDS: readonly [typed: string[], english: string][] = [
  [["môre"], "tomorrow"],
  [["oormôre"], "in 2 days"],
  [["vandag"], "today"],
  [["volgende", "week"], "next week"],
  [["volgende", "maand"], "next month"],
  [["kusasa"], "tomorrow"],
  [["namhlanje"], "today"],
  [["hosane"], "tomorrow"],
  [["ka", "moso"], "tomorrow"],
  [["kajeno"], "today"],
  [["gompieno"], "today"],
];

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** "in twenty five minutes" -> "in 25 minutes", "in a fortnight" -> "in 2 weeks". */
function durationEdits(toks: readonly Token[]): Edit[] {
  const edits: Edit[] = [];
  for (let i = 0; i + 1 < toks.length; i++) {
    if (!DURATION_LEAD.has(toks[i]!.t)) continue;
    const a = toks[i + 1]!;
    if ((a.t === "a" || a.t === "one") && toks[i + 2]?.t === "fortnight") {
      edits.push({ start: a.start, end: toks[i + 2]!.end, text: "2 weeks" });
      continue;
    }
    if (a.kind !== "word") continue;
    const n = readNumber(toks, i + 1);
    const unit = n ? toks[n.next] : undefined;
    if (n && unit && UNITS.has(unit.t) && n.lang !== "digits")
      edits.push({ start: a.start, end: toks[n.next - 1]!.end, text: String(n.value) });
  }
  return edits;
}

function dayWordEdits(raw: string, toks: readonly Token[]): Edit[] {
  const edits: Edit[] = [];
  for (let i = 0; i < toks.length; i++) {
    for (const [typed, english] of DAY_WORDS) {
      const ok = typed.every(
        (w, k) =>
          toks[i + k] !== undefined &&
          raw
            .slice(toks[i + k]!.start, toks[i + k]!.end)
            .normalize("NFC")
            .toLowerCase() === w,
      );
      if (ok) {
        edits.push({ start: toks[i]!.start, end: toks[i + typed.length - 1]!.end, text: english });
        break;
      }
    }
  }
  return edits;
}

/** Times chrono misreads, written as "at HH:MM" with any "tonight" said apart folded in. */
function timeEdits(toks: readonly Token[]): Edit[] {
  const { spans, periods } = scanTimes(toks);
  const edits: Edit[] = [];
  for (const s of spans) {
    if ("bad" in s || !s.strong) continue;
    const t = s as TimeSpan;
    // "at 9 tonight": chrono would keep 09:00.
    const hour = t.open && periods.size === 1 ? applyPeriod(t.hour, [...periods][0]) : t.hour;
    if (hour === undefined || (!t.wordy && hour === t.hour)) continue;
    const hh = String(hour).padStart(2, "0");
    const mm = String(t.minute).padStart(2, "0");
    edits.push({ start: toks[t.from]!.start, end: toks[t.to - 1]!.end, text: `at ${hh}:${mm}` });
  }
  return edits;
}

function applyEdits(s: string, edits: Edit[]): string {
  if (edits.length === 0) return s;
  edits.sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const e of edits) {
    if (e.start < at) continue; // overlapping: the first one wins
    out += s.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + s.slice(at);
}

// Luxon's isValidZone builds an Intl formatter on every call (about a millisecond): remember the
// zones seen valid (a few dozen in practice); an invalid one is rare and simply checked again.
const validZones = new Set<string>();
function validZone(zone: string): boolean {
  if (validZones.has(zone)) return true;
  if (!IANAZone.isValidZone(zone)) return false;
  if (validZones.size >= 1000) validZones.clear(); // case variants ("africa/JOHANNESBURG") are many
  validZones.add(zone);
  return true;
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export function readReminder(
  input: string,
  nowMs: number,
  zoneIn: string,
  o: { needText?: boolean },
  opts: ReminderOptions,
): ParsedReminder {
  const limit = opts.maxText + DATE_ROOM;
  // Each code point is one or two UTF-16 units: past twice the limit (plus room for the blanks
  // trim removes) it is too long without counting, so a huge input costs nothing.
  if (input.length > 2 * limit + 2000) return { status: "too_long", max: opts.maxText };
  const raw = input.trim();
  if (codePoints(raw) > limit) return { status: "too_long", max: opts.maxText };
  if (!Number.isFinite(nowMs)) return { status: "no_date" };
  const zone = validZone(zoneIn) ? zoneIn : opts.fallbackZone;
  const local = DateTime.fromMillis(nowMs, { zone });
  if (!local.isValid) return { status: "no_date" };
  const toks = tokenize(raw);
  const text = applyEdits(raw, [...durationEdits(toks), ...timeEdits(toks), ...dayWordEdits(raw, toks)]);
  // chrono reads components against a Date in the process's zone: hand it the user's wall clock.
  const ref = new Date(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  const r = chrono.en.GB.parse(text, ref, { forwardDate: true })[0];
  if (!r) return { status: "no_date" };
  // "in -3 days": chrono reads "-3 days" as three days ago; a negative wait is never meant.
  const before = text.slice(0, r.index);
  if (/-\s*$/.test(before.slice(-8)) || r.text.startsWith("-")) return { status: "past", dueAt: nowMs - 1 };
  const c = r.start;
  const timeGiven = c.isCertain("hour");
  let hour = opts.defaultHour;
  if (timeGiven) hour = c.get("hour") ?? 0;
  else {
    const part = DAYPART_HOUR.find(([re]) => re.test(r.text));
    if (part && part[1] !== "default") hour = part[1];
  }
  let dt = DateTime.fromObject(
    {
      year: c.get("year") ?? local.year,
      month: c.get("month") ?? local.month,
      day: c.get("day") ?? local.day,
      hour,
      minute: timeGiven ? (c.get("minute") ?? 0) : 0,
    },
    { zone },
  );
  if (!dt.isValid) return { status: "no_date" };
  // "today" with no hour, said after that hour: later today rather than in the past.
  if (!timeGiven && dt.toMillis() <= nowMs && dt.hasSame(local, "day")) dt = local.plus({ hours: 1 }).startOf("hour");
  const dueAt = dt.toMillis();
  if (dueAt <= nowMs) return { status: "past", dueAt };
  const what = cleanWhat(before, text.slice(r.index + r.text.length));
  if (codePoints(what) > opts.maxText) return { status: "too_long", max: opts.maxText };
  if (o.needText !== false && !/[\p{L}\p{N}]/u.test(what)) return { status: "no_text" };
  return { status: "ok", dueAt, what };
}

/** What is left once the date is cut out, without "remind me to" and the date's stray prepositions. */
function cleanWhat(before: string, after: string): string {
  const b = before
    .replace(/\s+/g, " ")
    .trim()
    .replace(/(?:^|\s)(?:at|on|by|in|for|from|this|next|around|about)$/i, "");
  const a = after.replace(/\s+/g, " ").trim();
  return `${b} ${a}`
    .trim()
    .replace(/^(?:please\s+|pls\s+|can you\s+|could you\s+)*(?:remind\s+me|set\s+(?:me\s+)?a\s+reminder)\b[\s,:]*/i, "")
    .replace(/^(?:to|that|about|of|for)\s+/i, "")
    .replace(/[\s,]+(?:to|on|at|by|please)$/i, "")
    .replace(/^(?:to|that|about)\s+/i, "")
    .trim();
}
