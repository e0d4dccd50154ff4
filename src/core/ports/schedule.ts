// What the core needs from the schedule, without knowing how it works (src/schedule/ provides
// it): items due at a time, and the daily encouragement subscription.
import type { UserKey } from "../types.js";

/** Something due at a time: a reminder, the next daily message, a follow-up, a check-in. */
export interface DueItem {
  /** Stable and unique; part of the delivery's job id, so a replayed claim never sends twice. */
  id: string;
  user: UserKey;
  /** Which flow renders it: "reminder", "daily", "followup", "reapply", "checkin", "goals_weekly"... */
  kind: string;
  /** UTC, ms since epoch. */
  dueAt: number;
  /** What the user asked to be reminded of, in their words. */
  text?: string;
  data?: Record<string, string>;
}

export type ScheduleResult = { status: "scheduled"; item: DueItem } | { status: "limit_reached"; limit: number };

export interface Scheduler {
  /** Refused with "limit_reached" past the per-user limit (`CoreSettings.reminderLimit`). */
  add(item: Omit<DueItem, "id"> & { id?: string }): Promise<ScheduleResult>;
  /** The user's upcoming items (daily entries excluded), soonest first. */
  list(user: UserKey): Promise<DueItem[]>;
  get(user: UserKey, id: string): Promise<DueItem | undefined>;
  cancel(user: UserKey, id: string): Promise<boolean>;
  /** An upcoming item at a new time (same id and details); undefined if the user has no such upcoming item. */
  move(user: UserKey, id: string, dueAt: number): Promise<DueItem | undefined>;
  /** Everything scheduled for the user, daily included (for /forget). Returns how many went. */
  removeAllFor(user: UserKey): Promise<number>;
}

export interface DailySubscription {
  /** Local time "HH:MM". */
  time: string;
  timezone: string;
  /** Paused until (UTC ms), if paused. */
  pausedUntil?: number;
  nextAt: number;
}

export interface DailyService {
  subscribe(user: UserKey, time: string, timezone: string): Promise<DailySubscription>;
  unsubscribe(user: UserKey): Promise<boolean>;
  pause(user: UserKey, untilMs: number): Promise<DailySubscription | undefined>;
  status(user: UserKey): Promise<DailySubscription | undefined>;
}
