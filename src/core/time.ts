// Pure time functions (core and schedule share them): local daily times, the next daily occurrence in a
// user's zone, and reminders in plain words. Luxon does the zone arithmetic, chrono-node reads
// the words; nothing here adds milliseconds by hand.
import * as chrono from "chrono-node";
import { DateTime, IANAZone } from "luxon";

export interface LocalTime {
  hour: number;
  minute: number;
}

/** Formats a local time as "HH:MM" (the form kept on the profile). */
export function formatHHMM(t: LocalTime): string {
  return `${String(t.hour).padStart(2, "0")}:${String(t.minute).padStart(2, "0")}`;
}

// The shapes people type: "7:30", "07h30", "0730", "8am", "8 pm", "8:15pm", "20:00", "7".
const TIME_FORMATS = ["H:mm", "H.mm", "H'h'mm", "H'h'", "HHmm", "H", "ha", "h:mma", "h.mma", "h'h'mma"];

/** Reads a local time of day, or undefined ("25:00", "7:75", words). */
export function parseLocalTime(input: string): LocalTime | undefined {
  const s = input.trim().toLowerCase().replace(/\s+/g, "").replace(/\.$/, "").replace(/(a|p)\.?m\.?$/, "$1m");
  if (s.length === 0 || s.length > 8) return undefined;
  const meridiem = /[ap]m$/.test(s);
  // "13pm" is not a time; Luxon would read it leniently.
  if (meridiem && !/^(0?[1-9]|1[0-2])(\D|$)/.test(s)) return undefined;
  for (const f of TIME_FORMATS.filter((x) => x.endsWith("a") === meridiem)) {
    const dt = DateTime.fromFormat(s, f, { locale: "en" });
    if (dt.isValid) return { hour: dt.hour, minute: dt.minute };
  }
  return undefined;
}

const SPACE = /\s/;
const LINE_END = /[\n\r\u2028\u2029]/;
/**
 * "7:30 in Europe/London" -> the time part and the zone's name, as
 * `/^(.*?)(?:\s+in\s+(\S+))?\s*$/i` read them from the trimmed text, in linear time (that
 * regex rescanned a run of spaces from each of its positions: 28 s on 100,000 characters).
 * A zone is named by the last word when the word before it is "in"; the time part is what comes
 * before, and must hold no line break (`.` stops at one; then the whole text is the time part).
 */
export function splitTimeAndZone(typed: string): { timePart: string; zoneName?: string } {
  const t = typed.trim();
  const firstBreak = t.search(LINE_END);
  const noMatch = { timePart: typed };
  // The last word, the whitespace before it, "in", and the whitespace before that.
  let i = t.length;
  while (i > 0 && !SPACE.test(t[i - 1]!)) i--;
  const zoneStart = i;
  while (i > 0 && SPACE.test(t[i - 1]!)) i--;
  const inEnd = i;
  if (zoneStart < t.length && inEnd < zoneStart && inEnd >= 2 && /^in$/i.test(t.slice(inEnd - 2, inEnd))) {
    let start = inEnd - 2;
    if (start > 0 && SPACE.test(t[start - 1]!)) {
      while (start > 0 && SPACE.test(t[start - 1]!)) start--;
      if (firstBreak === -1 || start <= firstBreak) return { timePart: t.slice(0, start), zoneName: t.slice(zoneStart) };
    }
  }
  return firstBreak === -1 ? { timePart: t } : noMatch;
}

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** A zone name typed loosely ("europe/london", "Europe/London ") in its canonical spelling. */
export function normalizeZone(input: string): string | undefined {
  const z = input.trim().replace(/\s+/g, "_");
  if (!/^[A-Za-z_+\-/0-9]{2,40}$/.test(z) || !z.includes("/")) return undefined;
  if (!IANAZone.isValidZone(z)) return undefined;
  // The canonical spelling ("europe/london" -> "Europe/London").
  return new Intl.DateTimeFormat("en", { timeZone: z }).resolvedOptions().timeZone;
}

/**
 * The first instant strictly after `afterMs` when the wall clock in `zone` shows `time`.
 * Across a DST change the local time is kept (07:00 stays 07:00); a time that does not exist
 * that day (skipped hour) is moved forward by Luxon to the next valid instant.
 */
export function nextDailyAt(time: LocalTime, zone: string, afterMs: number): number {
  const now = DateTime.fromMillis(afterMs, { zone });
  let candidate = now.set({ hour: time.hour, minute: time.minute, second: 0, millisecond: 0 });
  if (candidate.toMillis() <= afterMs) candidate = now.plus({ days: 1 }).set({ hour: time.hour, minute: time.minute, second: 0, millisecond: 0 });
  return candidate.toMillis();
}

/** "Tue 3 Dec, 09:00" in the user's zone. */
export function formatLocal(ms: number, zone: string, locale = "en"): string {
  return DateTime.fromMillis(ms, { zone }).setLocale(locale).toFormat("ccc d LLL yyyy, HH:mm");
}

export type ParsedReminder =
  | { status: "ok"; dueAt: number; what: string }
  | { status: "no_date" }
  | { status: "past"; dueAt: number }
  | { status: "no_text" }
  | { status: "too_long"; max: number };

export const MAX_REMINDER_TEXT = 300;
/** When only a day is given ("next Friday"), remind at this local hour. */
export const DEFAULT_REMINDER_HOUR = 9;

/**
 * Reads "in 2 weeks call Thandi", "tomorrow 9am follow up with Acme", "on 1 March reapply at
 * Shoprite" in the user's zone. What remains of the words, once the date is taken out, is what
 * to be reminded of. `needText: false` accepts a date alone ("next Friday").
 */
export function parseReminder(input: string, nowMs: number, zone: string, o: { needText?: boolean } = {}): ParsedReminder {
  const raw = input.trim();
  if ([...raw].length > MAX_REMINDER_TEXT + 60) return { status: "too_long", max: MAX_REMINDER_TEXT };
  const local = DateTime.fromMillis(nowMs, { zone });
  // chrono reads components against a Date in the process's zone: hand it the user's wall clock.
  const ref = new Date(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  const results = chrono.en.parse(raw, ref, { forwardDate: true });
  const r = results[0];
  if (!r) return { status: "no_date" };
  // "in -3 days": chrono reads "-3 days" as three days ago; a negative wait is never meant.
  const before = raw.slice(0, r.index);
  if (/-\s*$/.test(before) || /^-/.test(r.text)) return { status: "past", dueAt: nowMs - 1 };
  const c = r.start;
  const timeGiven = c.isCertain("hour");
  let dt = DateTime.fromObject(
    {
      year: c.get("year") ?? local.year,
      month: c.get("month") ?? local.month,
      day: c.get("day") ?? local.day,
      hour: timeGiven ? (c.get("hour") ?? 0) : DEFAULT_REMINDER_HOUR,
      minute: timeGiven ? (c.get("minute") ?? 0) : 0,
    },
    { zone },
  );
  if (!dt.isValid) return { status: "no_date" };
  // "today" with no hour, said after 09:00: later today rather than in the past.
  if (!timeGiven && dt.toMillis() <= nowMs && dt.hasSame(local, "day")) dt = local.plus({ hours: 1 }).startOf("hour");
  const dueAt = dt.toMillis();
  if (dueAt <= nowMs) return { status: "past", dueAt };
  const what = cleanWhat(raw.slice(0, r.index) + " " + raw.slice(r.index + r.text.length));
  if ([...what].length > MAX_REMINDER_TEXT) return { status: "too_long", max: MAX_REMINDER_TEXT };
  if (o.needText !== false && !/[\p{L}\p{N}]/u.test(what)) return { status: "no_text" };
  return { status: "ok", dueAt, what };
}

function cleanWhat(s: string): string {
  return s
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^(please\s+)?(remind\s+me\s+)?(to|that|about|of)\s+/i, "")
    .replace(/^remind\s+me\s+/i, "")
    .replace(/\s+(to|on|at|by)$/i, "")
    .replace(/^(to|that|about)\s+/i, "")
    .trim();
}
