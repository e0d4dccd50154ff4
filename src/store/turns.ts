// The start of every turn in one round trip: create or touch the profile and load the
// conversation state, in one Lua script (both keys share the user's hash tag, so it is legal on
// Redis Cluster too). The hot path of every message, so it is kept to one command.
import type { Result } from "ioredis";
import type { RedisClient } from "./redis.js";
import type { UserKey } from "../core/types.js";
import type { ConversationState, Profile, Turns } from "../core/ports/state.js";
import { parseState } from "./conversations.js";
import type { Keys } from "./keys.js";
import { cleanHint, toProfile } from "./profiles.js";

// ARGV[2]: the platform's language hint, kept when given (Telegram sends it with every update;
// a user who changes their phone's language changes it), so a button press, which may lack one,
// is answered in the same language as the message before.
const BEGIN = `
local created = redis.call('HSETNX', KEYS[1], 'createdAt', ARGV[1])
if ARGV[2] ~= '' then
  redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[1], 'languageHint', ARGV[2])
else
  redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[1])
end
return {created, redis.call('HGETALL', KEYS[1]), redis.call('GET', KEYS[2]) or false}
`;

type BeginReply = [number, string[], string | null];

declare module "ioredis" {
  interface RedisCommander<Context> {
    bbBeginTurn(profileKey: string, convKey: string, now: string, languageHint: string): Result<BeginReply, Context>;
  }
}

export class RedisTurns implements Turns {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {
    // defineCommand is idempotent per connection; ioredis then uses EVALSHA with a fallback to EVAL.
    redis.defineCommand("bbBeginTurn", { numberOfKeys: 2, lua: BEGIN });
  }

  async begin(user: UserKey, now: number, languageHint?: string): Promise<{ profile: Profile; state: ConversationState | null }> {
    const [created, flat, conv] = await this.redis.bbBeginTurn(this.keys.user(user, "profile"), this.keys.user(user, "conv"), String(now), cleanHint(languageHint));
    const hash: Record<string, string> = {};
    for (let i = 0; i < flat.length; i += 2) hash[flat[i]!] = flat[i + 1]!;
    if (created === 1) {
      // The users index lives outside the user's slot (on a Cluster, maybe on a master that is
      // away): a second command, for new users only. If it fails, the profile is made new again,
      // so the user's next message retries it: a user missing from the index would never be
      // reached by retention's deletion of inactive users.
      await this.redis.sadd(this.keys.index("users"), user).catch(async (err: unknown) => {
        await this.redis.hdel(this.keys.user(user, "profile"), "createdAt").catch(() => undefined);
        throw err;
      });
    }
    return { profile: toProfile(user, hash, created === 1), state: parseState(conv) };
  }
}
