// Everything the core uses, typed and required, grouped by area. Built once, in order, by the
// composition root (src/app.ts, buildEngine); nothing else assigns a service anywhere. A test of
// the core builds it through the same function, replacing a port with a double where it must.
import type { Content } from "../content/content.js";
import type { Clock } from "./clock.js";
import type { BroadcastService } from "./ports/broadcast.js";
import type { StatsReader, UserDataService } from "./ports/privacy.js";
import type { DailyService, Scheduler } from "./ports/schedule.js";
import type { Conversations, Dedup, FloodGuard, Profiles, SeenVariants, Turns } from "./ports/state.js";
import type { FlowStores } from "./ports/stores.js";
import type { Understanding } from "./understanding.js";

/** Settings the core reads, from config (src/config.ts) or from the store that enforces them. */
export interface CoreSettings {
  defaultTimezone: string;
  adminIds: ReadonlySet<string>;
  /** Longer messages are refused kindly. */
  maxMessageChars: number;
  /** Journal entries and moods are kept this long (told at consent and in /privacy). */
  retentionMonths: number;
  /** A user silent this long is told, then forgotten a week later (told in /privacy). */
  inactiveMonths: number;
  /** Upcoming reminders a user may have: the very limit the schedule enforces on `add`. */
  reminderLimit: number;
}

export interface CoreServices {
  content: Content;
  clock: Clock;
  /** What each message means: language, intent, risk, and the things it names (src/understanding/). */
  understanding: Understanding;
  /** Per-user state between turns (core/ports/state.ts). */
  state: {
    profiles: Profiles;
    conversations: Conversations;
    turns: Turns;
    seen: SeenVariants;
    dedup: Dedup;
    flood: FloodGuard;
  };
  /** What the flows keep for a user: applications, journal, moods, goals. */
  stores: FlowStores;
  /** Reminders and other due items, the daily subscription, operator broadcasts. */
  schedule: { scheduler: Scheduler; daily: DailyService; broadcasts: BroadcastService };
  /** The user's data (export, forget, consent withdrawn) and the operator's figures. */
  privacy: { userData: UserDataService; stats: StatsReader };
  settings: CoreSettings;
}
