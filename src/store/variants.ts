// Remembers which variants of a message a user saw recently, so a tip or a daily message does
// not repeat: one small hash per user, a field per message id holding the recent variant ids.
import type { Result } from "ioredis";
import type { RedisClient } from "./redis.js";
import type { SeenVariants } from "../core/ports/state.js";
import type { UserKey } from "../core/types.js";
import type { Keys } from "./keys.js";

/**
 * Message ids remembered per user. The ids come from the code (a dozen today), so this is a
 * guard, not a limit anyone meets: past it the memory starts over, which costs at worst one
 * repeated tip.
 */
export const SEEN_MAX_MESSAGES = 64;

// KEYS[1] the user's hash. ARGV: message id, recent variant ids, the cap.
const REMEMBER = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if redis.call('HLEN', KEYS[1]) > tonumber(ARGV[3]) then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
return 1
`;

declare module "ioredis" {
  interface RedisCommander<Context> {
    bbSeenRemember(key: string, messageId: string, recent: string, cap: number): Result<number, Context>;
  }
}

export class RedisSeenVariants implements SeenVariants {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {
    redis.defineCommand("bbSeenRemember", { numberOfKeys: 1, lua: REMEMBER });
  }

  async recent(user: UserKey, messageId: string): Promise<string[]> {
    const v = await this.redis.hget(this.keys.user(user, "seen"), messageId);
    return v ? v.split(",") : [];
  }

  /**
   * Puts `variantId` first in the recent list. Takes the list the caller just read with
   * `recent` (one user's turns run one at a time), so a pick costs one read and one write.
   */
  async remember(
    user: UserKey,
    messageId: string,
    variantId: string,
    keep: number,
    recent: readonly string[],
  ): Promise<void> {
    const next = [variantId, ...recent.filter((x) => x !== variantId)].slice(0, Math.max(1, keep));
    await this.redis.bbSeenRemember(this.keys.user(user, "seen"), messageId, next.join(","), SEEN_MAX_MESSAGES);
  }
}
