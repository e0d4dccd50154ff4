// The start of every turn in one round trip: create or touch the profile and load the
// conversation state, in one Lua script (both keys share the user's hash tag, so it is legal on
// Redis Cluster too). The hot path of every message, so it is kept to one command.
import type { Result } from "ioredis";
import type { RedisClient } from "./redis.js";
import type { UserKey } from "../core/types.js";
import type { ConversationState, Profile, Turns } from "../core/ports/state.js";
import { parseState } from "./conversations.js";
import type { Keys } from "./keys.js";
import { toProfile } from "./profiles.js";

const BEGIN = `
local created = redis.call('HSETNX', KEYS[1], 'createdAt', ARGV[1])
redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[1])
return {created, redis.call('HGETALL', KEYS[1]), redis.call('GET', KEYS[2]) or false}
`;

type BeginReply = [number, string[], string | null];

declare module "ioredis" {
  interface RedisCommander<Context> {
    bbBeginTurn(profileKey: string, convKey: string, now: string): Result<BeginReply, Context>;
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
    const [created, flat, conv] = await this.redis.bbBeginTurn(this.keys.user(user, "profile"), this.keys.user(user, "conv"), String(now));
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
      if (languageHint) hash.localeHint = languageHint;
    }
    return { profile: toProfile(user, hash, created === 1), state: parseState(conv) };
  }
}
