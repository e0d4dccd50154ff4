// Pure time functions (core and schedule share them): the stored "HH:MM" daily time, the next
// daily occurrence in a user's zone, formatting, and the reminder limits. Luxon does the zone
// arithmetic; nothing here adds milliseconds by hand. What users type (times in words, zones from
// places, reminders) is read by the Entities port (ctx.entities, src/understanding/entities/).
import { DateTime, IANAZone } from "luxon";

export interface LocalTime {
  hour: number;
  minute: number;
}

/** Formats a local time as "HH:MM" (the form kept on the profile). */
export function formatHHMM(t: LocalTime): string {
  return `${String(t.hour).padStart(2, "0")}:${String(t.minute).padStart(2, "0")}`;
}

// The stored form ("07:30") and the digit shapes people type ("07h30", "0730", "8am", "8:15pm"):
// the schedule reads stored times with it; typed words go through ctx.entities.timeOfDay.
const TIME_FORMATS = ["H:mm", "H.mm", "H'h'mm", "H'h'", "HHmm", "H", "ha", "h:mma", "h.mma", "h'h'mma"];

/** Reads a local time of day, or undefined ("25:00", "7:75", words). */
export function parseLocalTime(input: string): LocalTime | undefined {
  const s = input
    .trim()
    .toLowerCase()
    .replace(/\s+/g, "")
    .replace(/\.$/, "")
    .replace(/(a|p)\.?m\.?$/, "$1m");
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

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/**
 * The first instant strictly after `afterMs` when the wall clock in `zone` shows `time`.
 * Across a DST change the local time is kept (07:00 stays 07:00); a time that does not exist
 * that day (skipped hour) is moved forward by Luxon to the next valid instant.
 */
export function nextDailyAt(time: LocalTime, zone: string, afterMs: number): number {
  const now = DateTime.fromMillis(afterMs, { zone });
  let candidate = now.set({ hour: time.hour, minute: time.minute, second: 0, millisecond: 0 });
  if (candidate.toMillis() <= afterMs)
    candidate = now.plus({ days: 1 }).set({ hour: time.hour, minute: time.minute, second: 0, millisecond: 0 });
  return candidate.toMillis();
}

/** "Tue 3 Dec, 09:00" in the user's zone. */
export function formatLocal(ms: number, zone: string, locale = "en"): string {
  return DateTime.fromMillis(ms, { zone }).setLocale(locale).toFormat("ccc d LLL yyyy, HH:mm");
}

export const MAX_REMINDER_TEXT = 300;
/** When only a day is given ("next Friday"), remind at this local hour. */
export const DEFAULT_REMINDER_HOUR = 9;
