// What the user logged about their search: applications, interviews, rejections, offers.
// A sorted set per user scored by time, so "this week" and streaks are range queries.
import type { Redis } from "ioredis";
import type { UserKey } from "../core/types.js";
import type { Keys } from "./keys.js";

export const SEARCH_EVENTS = ["applied", "interview", "rejected", "offer"] as const;
export type SearchEventKind = (typeof SEARCH_EVENTS)[number];

export interface SearchEvent {
  at: number;
  kind: SearchEventKind;
  /** Company or role, in the user's words, if given. */
  what?: string;
}

export class Applications {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly retentionSeconds: number,
  ) {}

  async log(user: UserKey, e: SearchEvent): Promise<void> {
    const key = this.keys.user(user, "apps");
    const member = JSON.stringify({ ...e, n: Math.random().toString(36).slice(2, 8) });
    await this.redis.multi().zadd(key, e.at, member).expire(key, this.retentionSeconds).exec();
  }

  /** Events since `from` (ms), oldest first. */
  async since(user: UserKey, from = 0): Promise<SearchEvent[]> {
    const raw = await this.redis.zrangebyscore(this.keys.user(user, "apps"), from, "+inf");
    return raw.map((r) => {
      const { at, kind, what } = JSON.parse(r) as SearchEvent;
      return what ? { at, kind, what } : { at, kind };
    });
  }
}
