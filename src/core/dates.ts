// Dates the flows compute in the user's zone: working days for follow-ups, calendar days for
// reminders, and the short local date they show. Public holidays are not skipped: a follow-up a
// day early or late does no harm.
import { DateTime } from "luxon";

/** `days` working days (Monday to Friday) after `from`, at `hour`:00 in `zone`. */
export function addBusinessDays(from: number, zone: string, days: number, hour = 9): number {
  let d = DateTime.fromMillis(from, { zone });
  let left = days;
  while (left > 0) {
    d = d.plus({ days: 1 });
    if (d.weekday <= 5) left--;
  }
  return d.set({ hour, minute: 0, second: 0, millisecond: 0 }).toMillis();
}

/** `days` calendar days after `from`, at `hour`:00 in `zone`. */
export function daysLater(from: number, zone: string, days: number, hour: number): number {
  return DateTime.fromMillis(from, { zone })
    .plus({ days })
    .set({ hour, minute: 0, second: 0, millisecond: 0 })
    .toMillis();
}

/** The same local time, `days` later (a check-in "tomorrow" at the hour the user asked for it). */
export function sameTimeLater(from: number, zone: string, days: number): number {
  return DateTime.fromMillis(from, { zone }).plus({ days }).toMillis();
}

/** A short local date for messages ("Tue 2 Dec"). */
export function localDate(ms: number, zone: string, locale = "en"): string {
  return DateTime.fromMillis(ms, { zone }).setLocale(locale).toFormat("ccc d LLL");
}
