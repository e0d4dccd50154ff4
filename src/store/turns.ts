// The start of every turn in one round trip (issue 14.3): the update's dedup marker (SET NX) and
// one Lua script that counts the message against the flood limit, creates or touches the profile,
// and loads the conversation state and the variants the user saw (so picking a tip needs no read
// of its own). The script's keys share the user's hash tag, so it is legal on Redis Cluster; the
// dedup marker has a key of its own (a command of its own, in the same auto-pipelined write). The
// hot path of every message: two commands, one round trip.
import type { Result } from "ioredis";
import type { RedisClient } from "./redis.js";
import type { UserKey } from "../core/types.js";
import type { FloodVerdict, Turns, TurnStart, TurnStartOptions } from "../core/ports/state.js";
import { parseState } from "./conversations.js";
import { RedisDedup } from "./dedup.js";
import { FLOOD_LUA, FLOOD_TTL_S, WINDOW_MS } from "./flood.js";
import type { Keys } from "./keys.js";
import { cleanHint, toProfile } from "./profiles.js";

// KEYS: profile, conv, flood, seen. ARGV: now, flood window id ('' = not counted), limit, ttl seconds,
// the platform's language hint ('' = none). The hint is kept when given (Telegram sends it with
// every update; a user who changes their phone's language changes it), so a button press, which
// may lack one, is answered in the same language as the message before.
const BEGIN = `${FLOOD_LUA}
local verdict = 0
if ARGV[2] ~= '' then verdict = flood(KEYS[3], ARGV[2], ARGV[3], ARGV[4]) end
local created = redis.call('HSETNX', KEYS[1], 'createdAt', ARGV[1])
if ARGV[5] ~= '' then
  redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[1], 'languageHint', ARGV[5])
else
  redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[1])
end
return {created, redis.call('HGETALL', KEYS[1]), redis.call('GET', KEYS[2]) or false, verdict,
  redis.call('HGETALL', KEYS[4])}
`;

type BeginReply = [number, string[], string | null, number, string[]];

declare module "ioredis" {
  interface RedisCommander<Context> {
    bbBeginTurn(
      profileKey: string,
      convKey: string,
      floodKey: string,
      seenKey: string,
      now: string,
      window: string,
      limit: number,
      ttl: number,
      languageHint: string,
    ): Result<BeginReply, Context>;
  }
}

const VERDICTS: readonly FloodVerdict[] = ["ok", "note", "quiet"];

export class RedisTurns implements Turns {
  private readonly dedup: RedisDedup;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    /** Messages a user may send a minute (FLOOD_LIMIT_PER_MINUTE). */
    private readonly floodLimitPerMinute = 20,
  ) {
    // defineCommand is idempotent per connection; ioredis then uses EVALSHA with a fallback to EVAL.
    redis.defineCommand("bbBeginTurn", { numberOfKeys: 4, lua: BEGIN });
    this.dedup = new RedisDedup(redis, keys);
  }

  async begin(user: UserKey, now: number, o: TurnStartOptions = {}): Promise<TurnStart> {
    const window = o.flood ? String(Math.floor(now / WINDOW_MS)) : "";
    // Issued in the same tick: the connection auto-pipelines them into one write.
    const [fresh, [created, flat, conv, verdict, seenFlat]] = await Promise.all([
      o.update ? this.dedup.firstSeen(o.update.channel, o.update.id) : true,
      this.redis.bbBeginTurn(
        this.keys.user(user, "profile"),
        this.keys.user(user, "conv"),
        this.keys.user(user, "flood"),
        this.keys.user(user, "seen"),
        String(now),
        window,
        this.floodLimitPerMinute,
        FLOOD_TTL_S,
        cleanHint(o.languageHint),
      ),
    ]);
    const hash = pairs(flat);
    if (created === 1) {
      // The users index lives outside the user's slot (on a Cluster, maybe on a master that is
      // away): a second command, for new users only. If it fails, the profile is made new again,
      // so the user's next message retries it: a user missing from the index would never be
      // reached by retention's deletion of inactive users.
      await this.redis.hset(this.keys.indexOf("users", user), user, "").catch(async (err: unknown) => {
        await this.redis.hdel(this.keys.user(user, "profile"), "createdAt").catch(() => undefined);
        throw err;
      });
    }
    const profile = toProfile(user, hash, created === 1);
    return { fresh, verdict: VERDICTS[verdict] ?? "ok", profile, state: parseState(conv), seen: pairs(seenFlat) };
  }
}

/** HGETALL's flat reply as a record. */
function pairs(flat: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
}
