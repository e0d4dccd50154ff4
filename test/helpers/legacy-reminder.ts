// The reminder parser the flows used before the Entities port (src/understanding/entities/),
// frozen here as the reference its replacement is checked against (test/entities.property.test.ts).
// Not used by the bot.
import * as chrono from "chrono-node";
import { DateTime } from "luxon";
import type { ParsedReminder } from "../../src/core/understanding.js";
import { DEFAULT_REMINDER_HOUR, MAX_REMINDER_TEXT } from "../../src/core/time.js";

/**
 * Reads "in 2 weeks call Thandi", "tomorrow 9am follow up with Acme", "on 1 March reapply at
 * Shoprite" in the user's zone. What remains of the words, once the date is taken out, is what
 * to be reminded of. `needText: false` accepts a date alone ("next Friday").
 */
export function parseReminder(
  input: string,
  nowMs: number,
  zone: string,
  o: { needText?: boolean } = {},
): ParsedReminder {
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
