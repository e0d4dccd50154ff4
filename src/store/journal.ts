// The reflection journal: one Redis list per user, newest first, kept only with consent.
// Entries are JSON (so they lose nothing on the way out through /mydata), capped in number,
// and the whole list expires after the retention period since the last entry.
import type { Redis } from "ioredis";
import type { UserKey } from "../core/types.js";
import type { Keys } from "./keys.js";

/** How a reflection question was answered: a quick choice, the user's own words, or skipped. */
export type ReflectAnswer = "yes" | "partly" | "no" | "skipped" | { words: string };

export interface JournalEntry {
  at: number;
  company?: string;
  role?: string;
  prepared: ReflectAnswer;
  skills: ReflectAnswer;
  connected: ReflectAnswer;
  differently?: string;
  feelings?: string;
  nextStep?: string;
}

const MAX_ENTRIES = 200;

export class Journal {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly retentionSeconds: number,
  ) {}

  async add(user: UserKey, entry: JournalEntry): Promise<void> {
    const key = this.keys.user(user, "journal");
    await this.redis.multi().lpush(key, JSON.stringify(entry)).ltrim(key, 0, MAX_ENTRIES - 1).expire(key, this.retentionSeconds).exec();
  }

  /** Newest first. */
  async list(user: UserKey, limit = MAX_ENTRIES): Promise<JournalEntry[]> {
    const raw = await this.redis.lrange(this.keys.user(user, "journal"), 0, limit - 1);
    return raw.flatMap((r) => {
      try {
        return [JSON.parse(r) as JournalEntry];
      } catch {
        return [];
      }
    });
  }
}
