// Mood check-ins (1-5 and an optional word): a sorted set per user scored by time. Moods are
// special personal information (POPIA): callers store them only with consent.
import type { RedisClient } from "./redis.js";
import type { MoodEntry, Moods } from "../core/ports/stores.js";
import type { UserKey } from "../core/types.js";
import type { Keys } from "./keys.js";

/** Check-ins kept; past it the oldest go (the trend shows four weeks; retention removes older ones anyway). */
export const MOODS_MAX = 500;

export class RedisMoods implements Moods {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly retentionSeconds: number,
  ) {}

  async add(user: UserKey, entry: MoodEntry): Promise<void> {
    const key = this.keys.user(user, "moods");
    // A random suffix keeps two check-ins in the same millisecond apart (set members are unique).
    const member = JSON.stringify({ ...entry, n: Math.random().toString(36).slice(2, 8) });
    await this.redis
      .multi()
      .zadd(key, entry.at, member)
      .zremrangebyscore(key, "-inf", entry.at - this.retentionSeconds * 1000)
      .zremrangebyrank(key, 0, -(MOODS_MAX + 1))
      .expire(key, this.retentionSeconds)
      .exec();
  }

  /** Check-ins since `from` (ms), oldest first. */
  async since(user: UserKey, from: number): Promise<MoodEntry[]> {
    const raw = await this.redis.zrangebyscore(this.keys.user(user, "moods"), from, "+inf");
    return raw.map((r) => {
      const { at, mood, word } = JSON.parse(r) as MoodEntry;
      return word ? { at, mood, word } : { at, mood };
    });
  }
}
