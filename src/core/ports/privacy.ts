// What the privacy and operator flows need, without knowing Redis (src/privacy/ and
// src/store/stats.ts provide them): the export, /forget, consent withdrawn, and /stats figures.
import type { DailySubscription, DueItem } from "./schedule.js";
import type { ChannelName, UserKey } from "../types.js";

/** One stored value, read whatever its Redis type, so data that lands later is exported too. */
export type StoredValue =
  | { type: "string"; value: unknown }
  | { type: "hash"; value: Record<string, unknown> }
  | { type: "list"; value: unknown[] }
  | { type: "set"; value: unknown[] }
  | { type: "zset"; value: { member: unknown; score: number }[] }
  | { type: "stream"; value: { id: string; fields: Record<string, unknown> }[] };

export interface UserExport {
  user: UserKey;
  exportedAt: string;
  /** Every part of the user's data (profile, consent, journal, moods, goals, apps...), by part name. */
  stored: Record<string, StoredValue>;
  /** Upcoming reminders and follow-ups, from the schedule. */
  reminders: DueItem[];
  /** The daily encouragement subscription, if any. */
  daily: DailySubscription | null;
}

export type ForgetResult = { status: "forgotten"; keys: number; scheduled: number };

export interface UserDataService {
  export(user: UserKey): Promise<UserExport>;
  /** Deletes every key of the user, their scheduled items and their index entries. */
  forget(user: UserKey): Promise<ForgetResult>;
  /** Deletes the special personal information (journal text, moods): consent withdrawn. */
  dropSensitive(user: UserKey): Promise<number>;
}

type PerChannel = Partial<Record<ChannelName, number>>;

export interface StatsSnapshot {
  day: string;
  users: Partial<Record<ChannelName, number>>;
  subscribers: Partial<Record<ChannelName, number>>;
  sentToday: Partial<Record<ChannelName, number>>;
  failedToday: { channel: string; status: string; reason: string; count: number }[];
  blocked: Partial<Record<ChannelName, number>>;
  /** Arrivals through each entry point, per channel: today and since the start. */
  arrivals: Record<string, { today: PerChannel; total: PerChannel }>;
  /** Waiting deliveries per queue, when the delivery queues registered a reader. */
  queues?: Record<string, number>;
}

export interface StatsReader {
  snapshot(): Promise<StatsSnapshot>;
  /** Someone arrived through an entry point's link (`/start <entry>`, a WhatsApp prefilled text). */
  arrived(entry: string, channel: ChannelName): Promise<void>;
}
