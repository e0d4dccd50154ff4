// Daily encouragement subscriptions. The subscription itself is two short fields on the
// user's profile (`daily` = "HH:MM", `dailyPause` = until when) plus the user's `timezone`;
// the only schedule entry is the user key in their daily bucket `{sched}:dd:<b>`, scored at the
// next local time; the bucket's head `D:<b>` stands for it in the due index (store.ts). A member
// `d:<userKey>` an older version kept in the due index itself is removed when the time is set
// again or the subscription stopped.
//
// The profile (the user's slot) and the bucket member (`{sched}`) are written by separate
// commands, in an order a crash between them cannot hurt: the bucket member first when
// subscribing or pausing, last when stopping. A bucket member without a subscription on the
// profile is dropped when it comes due (nothing is sent: the worker asks `status`); a
// subscription without a bucket member would never send, so that state is never left behind.
import type { DailyService, DailySubscription } from "../core/ports/schedule.js";
import type { Profiles } from "../core/ports/state.js";
import { formatHHMM, nextDailyAt, parseLocalTime } from "../core/time.js";
import type { UserKey } from "../core/types.js";
import type { DueIndex } from "./store.js";

export class Daily implements DailyService {
  constructor(
    private readonly index: DueIndex,
    private readonly profiles: Profiles,
    private readonly clock: { now(): number },
    private readonly defaultTimezone: string,
  ) {}

  async subscribe(user: UserKey, time: string, timezone: string): Promise<DailySubscription> {
    const t = parseLocalTime(time);
    if (!t) throw new Error(`daily.subscribe: "${time}" is not a time of day (HH:MM)`);
    const hhmm = formatHHMM(t);
    // A new time or zone keeps a pause the user asked for: they are told it still holds, rather
    // than woken by a boost they paused. A pause that has passed is cleared.
    const profile = await this.profiles.get(user);
    const paused = profile?.daily ? profile.dailyPause : undefined;
    const pause = paused ? Number(paused) : undefined;
    const pausedUntil = pause !== undefined && pause > this.clock.now() ? pause : undefined;
    const nextAt = nextDailyAt(t, timezone, Math.max(pausedUntil ?? 0, this.clock.now()));
    await this.index.setDaily(user, nextAt);
    await this.profiles.set(user, { daily: hhmm, timezone });
    if (pausedUntil === undefined) await this.profiles.unset(user, "dailyPause");
    return { time: hhmm, timezone, nextAt, ...(pausedUntil ? { pausedUntil } : {}) };
  }

  async unsubscribe(user: UserKey): Promise<boolean> {
    const profile = await this.profiles.get(user);
    const was = Boolean(profile?.daily);
    if (profile) await this.profiles.unset(user, "daily", "dailyPause");
    const removed = await this.index.removeDaily(user);
    return was || removed;
  }

  async pause(user: UserKey, untilMs: number): Promise<DailySubscription | undefined> {
    const sub = await this.status(user);
    if (!sub) return undefined;
    const t = parseLocalTime(sub.time)!;
    const nextAt = nextDailyAt(t, sub.timezone, Math.max(untilMs, this.clock.now()));
    await this.index.setDaily(user, nextAt);
    await this.profiles.set(user, { dailyPause: untilMs });
    return { ...sub, pausedUntil: untilMs, nextAt };
  }

  async status(user: UserKey): Promise<DailySubscription | undefined> {
    const profile = await this.profiles.get(user);
    const time = profile?.daily;
    if (!profile || !time) return undefined;
    const timezone = profile.timezone ?? this.defaultTimezone;
    const pause = profile.dailyPause;
    const pausedUntil = pause !== undefined && pause > this.clock.now() ? pause : undefined;
    // While a delivery is being handed to the queue the entry is leased, not in the index.
    const nextAt =
      (await this.index.dailyAt(user)) ??
      nextDailyAt(parseLocalTime(time)!, timezone, Math.max(pausedUntil ?? 0, this.clock.now()));
    return { time, timezone, nextAt, ...(pausedUntil ? { pausedUntil } : {}) };
  }

  /**
   * The next time after a delivery due at `dueAt` was enqueued, or undefined if the user has
   * unsubscribed meanwhile. Computed after max(now, dueAt), so a late tick never sends twice a day.
   */
  async nextAfterDelivery(user: UserKey, dueAt: number): Promise<number | undefined> {
    const sub = await this.status(user);
    if (!sub) return undefined;
    return nextDailyAt(
      parseLocalTime(sub.time)!,
      sub.timezone,
      Math.max(dueAt, this.clock.now(), sub.pausedUntil ?? 0),
    );
  }
}
