// Operator counters for /stats, in Redis so every process adds to the same numbers.
//
// Counter keys (all under `keys.counter(...)`, i.e. `<prefix>:stat:<name>`):
//   sent:<day>      hash, field = channel, value = messages sent that day (replies + deliveries)
//   failed:<day>    hash, field = `<channel>|<status>|<reason>`, value = failed deliveries that day
//   arrivals        hash, field = `<entry>|<channel>`, value = arrivals through that entry point
//   arrivals:<day>  the same, that day
//   blocked:<chan>  set of user keys whose last delivery said "gone" (blocked, deactivated);
//                   a user who writes again leaves it; /forget removes them from it
// <day> is the date in DEFAULT_TIMEZONE (YYYY-MM-DD); day counters expire after 35 days.
//
// Who calls what: channels and the delivery worker call `sent(channel)` after each message
// out, `failed(channel, failure)` when one could not be delivered (a "gone" failure also
// marks the user blocked); main.ts calls `inbound` for each inbound message and its replies
// (buffered in memory, written once a second: `sent` figures from other processes lag <= 1 s).
import type { RedisClient } from "./redis.js";
import { DateTime } from "luxon";
import type { Clock } from "../core/clock.js";
import type { DeliveryFailure } from "../core/ports/delivery.js";
import type { StatsReader, StatsSnapshot } from "../core/ports/privacy.js";
import { channelOf, type ChannelName, type UserKey } from "../core/types.js";
import type { Keys } from "./keys.js";
import { UserIndex } from "./user-index.js";
import { DailySubscribers } from "./daily-subscribers.js";

const CHANNELS: readonly ChannelName[] = ["telegram", "whatsapp", "console"];
const DAY_TTL_SECONDS = 35 * 24 * 3600;
const FLUSH_MS = 1000;

/** Sets that hold user keys: /forget removes the user from each (and from the indexes, store/user-index.ts). */
export function userSets(keys: Keys): string[] {
  return CHANNELS.map((c) => keys.counter(`blocked:${c}`));
}

export type QueueDepthReader = () => Promise<Record<string, number>>;

export class Stats implements StatsReader {
  private queueDepth: QueueDepthReader | undefined;
  private readonly pendingSent = new Map<ChannelName, number>();
  private readonly pendingActive = new Map<ChannelName, Set<UserKey>>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly clock: Clock,
    private readonly timezone: string,
  ) {}

  /** The delivery queues register how to count what waits; /stats and /metrics show it. */
  setQueueDepthReader(read: QueueDepthReader): void {
    this.queueDepth = read;
  }

  async readQueueDepth(): Promise<Record<string, number> | undefined> {
    return this.queueDepth?.();
  }

  day(at = this.clock.now()): string {
    return DateTime.fromMillis(at, { zone: this.timezone }).toISODate()!;
  }

  /** Messages sent proactively (the delivery worker): counted in memory, written with the next flush (<= 1 s). */
  async sent(channel: ChannelName, n = 1): Promise<void> {
    if (n <= 0) return;
    this.pendingSent.set(channel, (this.pendingSent.get(channel) ?? 0) + n);
    this.flushTimer ??= setTimeout(() => void this.flush().catch(() => undefined), FLUSH_MS).unref();
  }

  async failed(channel: ChannelName, failure: DeliveryFailure, user?: UserKey): Promise<void> {
    const key = this.keys.counter(`failed:${this.day()}`);
    // A user who blocked us right after writing must not be "unblocked" by the pending write.
    if (failure.status === "gone" && user) this.pendingActive.get(channel)?.delete(user);
    const reason = "reason" in failure ? failure.reason : failure.status === "rate_limited" ? "retry_after" : "";
    // Separate commands (auto-pipelined), not MULTI: the keys live in different Cluster slots.
    await Promise.all([
      this.redis.hincrby(key, `${channel}|${failure.status}|${reason.replaceAll("|", "/")}`, 1),
      this.redis.expire(key, DAY_TTL_SECONDS),
      failure.status === "gone" && user ? this.redis.sadd(this.keys.counter(`blocked:${channel}`), user) : undefined,
    ]);
  }

  /**
   * A user wrote to us and got `replies` answers: count them as sent today, and whatever
   * blocked us before, the user is reachable again. Kept in memory and written once a second
   * (one HINCRBY and one SREM per channel), so the hot path costs no Redis round trip.
   */
  inbound(user: UserKey, replies: number): void {
    const channel = channelOf(user);
    if (replies > 0) this.pendingSent.set(channel, (this.pendingSent.get(channel) ?? 0) + replies);
    let active = this.pendingActive.get(channel);
    if (!active) this.pendingActive.set(channel, (active = new Set()));
    active.add(user);
    this.flushTimer ??= setTimeout(() => void this.flush().catch(() => undefined), FLUSH_MS).unref();
  }

  /** Writes the counts gathered in memory; called by the timer, by snapshot() and at stop. */
  async flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const sent = [...this.pendingSent];
    const active = [...this.pendingActive].filter(([, users]) => users.size > 0);
    this.pendingSent.clear();
    this.pendingActive.clear();
    const key = this.keys.counter(`sent:${this.day()}`);
    await Promise.all([
      ...sent.map(([channel, n]) => this.redis.hincrby(key, channel, n)),
      sent.length ? this.redis.expire(key, DAY_TTL_SECONDS) : undefined,
      ...active.map(([channel, users]) => this.redis.srem(this.keys.counter(`blocked:${channel}`), ...users)),
    ]);
  }

  /** An arrival through an entry point: counted at once (arrivals are rare next to messages). */
  async arrived(entry: string, channel: ChannelName): Promise<void> {
    const field = `${entry.replaceAll("|", "/")}|${channel}`;
    const today = this.keys.counter(`arrivals:${this.day()}`);
    await Promise.all([
      this.redis.hincrby(this.keys.counter("arrivals"), field, 1),
      this.redis.hincrby(today, field, 1),
      this.redis.expire(today, DAY_TTL_SECONDS),
    ]);
  }

  async snapshot(): Promise<StatsSnapshot> {
    await this.flush();
    const day = this.day();
    const [users, subscribers, sent, failed, blocked, queues, arrivedTotal, arrivedToday] = await Promise.all([
      new UserIndex(this.redis, this.keys, "users").countByChannel(),
      new DailySubscribers(this.redis, this.keys).countByChannel(),
      this.redis.hgetall(this.keys.counter(`sent:${day}`)),
      this.redis.hgetall(this.keys.counter(`failed:${day}`)),
      Promise.all(CHANNELS.map(async (c) => [c, await this.redis.scard(this.keys.counter(`blocked:${c}`))] as const)),
      this.readQueueDepth().catch(() => undefined),
      this.redis.hgetall(this.keys.counter("arrivals")),
      this.redis.hgetall(this.keys.counter(`arrivals:${day}`)),
    ]);
    const arrivals: StatsSnapshot["arrivals"] = {};
    for (const [which, counts] of [
      ["total", arrivedTotal],
      ["today", arrivedToday],
    ] as const) {
      for (const [field, n] of Object.entries(counts)) {
        const [entry = "", channel = ""] = field.split("|");
        const a = (arrivals[entry] ??= { today: {}, total: {} });
        a[which][channel as ChannelName] = Number(n);
      }
    }
    return {
      day,
      users,
      subscribers,
      sentToday: Object.fromEntries(Object.entries(sent).map(([c, n]) => [c, Number(n)])),
      failedToday: Object.entries(failed)
        .map(([f, n]) => {
          const [channel = "", status = "", reason = ""] = f.split("|");
          return { channel, status, reason, count: Number(n) };
        })
        .sort((a, b) => b.count - a.count),
      blocked: Object.fromEntries(blocked.filter(([, n]) => n > 0)),
      arrivals,
      ...(queues ? { queues } : {}),
    };
  }
}
