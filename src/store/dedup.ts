// Platforms deliver at least once (Telegram on any non-2xx, WhatsApp by design): every inbound
// update is remembered by its platform id for a day, and a repeat is dropped.
import type { RedisClient } from "./redis.js";
import type { Dedup } from "../core/ports/state.js";
import type { Keys } from "./keys.js";

const REMEMBER_SECONDS = 26 * 3600; // Telegram keeps undelivered updates 24 h; a little margin.

export class RedisDedup implements Dedup {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** True the first time an update id is seen, false for every repeat. */
  async firstSeen(channel: string, updateId: string): Promise<boolean> {
    const ok = await this.redis.set(this.keys.dedup(channel, updateId), "1", "EX", REMEMBER_SECONDS, "NX");
    return ok === "OK";
  }

  /** Forgets an update so a redelivery is processed again (used when handling failed midway). */
  async release(channel: string, updateId: string): Promise<void> {
    await this.redis.del(this.keys.dedup(channel, updateId));
  }
}
