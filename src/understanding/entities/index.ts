// The Entities port of src/core/understanding.ts: the things a message names, read one way in
// every flow. Each concern lives in its own file (times, reminders, numbers, places,
// applications, plausible); this file only assembles them with their options. Every reader is
// pure, total (any string in, a valid answer out) and bounded: it cuts or refuses input past a
// cap before parsing, so its cost is linear in the input and constant beyond the cap.
import type { Entities, Slot } from "../../core/understanding.js";
import { DEFAULT_REMINDER_HOUR, MAX_REMINDER_TEXT } from "../../core/time.js";
import { readApplication } from "./applications.js";
import { readCount } from "./numbers.js";
import { createZoneReader } from "./places.js";
import { createPlausible, type PhraseLists } from "./plausible.js";
import { readReminder, type ReminderOptions } from "./reminders.js";
import { readTimeOfDay } from "./times.js";

export interface EntitiesOptions {
  /** Reminder limits; by default those of core/time.ts, and Africa/Johannesburg for a zone that is not one. */
  reminders?: Partial<ReminderOptions>;
  /** More places, as in places-data.ts: { "Africa/Johannesburg": "ekurhuleni, ekasi" }. */
  places?: Readonly<Record<string, string>>;
  /** A catalog's phrase lists (intent_greeting, reply_yes + reply_no, command words) added to the built-in ones. */
  phrases?: PhraseLists;
}

/** Non-strings from untyped callers (a JSON payload) read as empty text rather than throwing. */
const str = (x: unknown): string => (typeof x === "string" ? x : "");

export function createEntities(opts: EntitiesOptions = {}): Entities {
  const reminderOptions: ReminderOptions = {
    maxText: opts.reminders?.maxText ?? MAX_REMINDER_TEXT,
    defaultHour: opts.reminders?.defaultHour ?? DEFAULT_REMINDER_HOUR,
    fallbackZone: opts.reminders?.fallbackZone ?? "Africa/Johannesburg",
  };
  const zone = createZoneReader(opts.places);
  const plausible = createPlausible(opts.phrases);
  return {
    timeOfDay: (text) => readTimeOfDay(str(text)),
    reminder: (text, nowMs, userZone, o) => readReminder(str(text), nowMs, str(userZone), o ?? {}, reminderOptions),
    count: (text) => readCount(str(text)),
    zone: (text) => zone(str(text)),
    application: (text) => readApplication(str(text)),
    plausible: (text, slot: Slot) => plausible(str(text), slot),
  };
}

export type { PhraseLists } from "./plausible.js";
export type { ReminderOptions } from "./reminders.js";
