// The reflection journal: one Redis list per user, newest first, kept only with consent.
// Entries are JSON (so they lose nothing on the way out through /mydata), capped in number,
// and the whole list expires after the retention period since the last entry.
import type { RedisClient } from "./redis.js";
import type { Journal, JournalEntry } from "../core/ports/stores.js";
import type { UserKey } from "../core/types.js";
import type { Keys } from "./keys.js";

/**
 * Reflections kept; past it the oldest go. Each is a guided conversation of several minutes, so
 * only a script reaches it, and retention deletes entries past RETENTION_MONTHS anyway.
 */
export const JOURNAL_MAX = 200;

export class RedisJournal implements Journal {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly retentionSeconds: number,
  ) {}

  async add(user: UserKey, entry: JournalEntry): Promise<void> {
    const key = this.keys.user(user, "journal");
    await this.redis
      .multi()
      .lpush(key, JSON.stringify(entry))
      .ltrim(key, 0, JOURNAL_MAX - 1)
      .expire(key, this.retentionSeconds)
      .exec();
  }

  /** The newest `limit` entries, newest first. */
  async list(user: UserKey, limit: number): Promise<JournalEntry[]> {
    return parseAll(await this.redis.lrange(this.keys.user(user, "journal"), 0, limit - 1));
  }

  /** How many entries there are (LLEN, constant time) and the newest `limit`, in one round trip. */
  async recent(user: UserKey, limit: number): Promise<{ count: number; entries: JournalEntry[] }> {
    const key = this.keys.user(user, "journal");
    const [count, raw] = await Promise.all([this.redis.llen(key), this.redis.lrange(key, 0, limit - 1)]);
    return { count, entries: parseAll(raw) };
  }
}

function parseAll(raw: readonly string[]): JournalEntry[] {
  return raw.flatMap((r) => {
    try {
      return [JSON.parse(r) as JournalEntry];
    } catch {
      return [];
    }
  });
}
