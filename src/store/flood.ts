// Inbound flood protection per user: a fixed one-minute window counted in Redis (so it holds
// across processes), on the injected clock (so tests need no sleeping). Past the limit the
// user gets ONE polite note per flood: the note is remembered until a whole minute passes
// under the limit, so a script hammering the bot gets one answer, not one a minute.
import type { Result } from "ioredis";
import type { RedisClient } from "./redis.js";
import type { FloodGuard, FloodVerdict } from "../core/ports/state.js";
import type { UserKey } from "../core/types.js";
import type { Keys } from "./keys.js";

// The check as a Lua function, so the start of a turn (store/turns.ts) runs it in its own script.
// key: the user's flood hash; window id, limit, ttl seconds. Returns 0 ok, 1 note, 2 quiet.
// Fields: w = window id, n = messages in it, noted = 1 once the note was sent this flood.
export const FLOOD_LUA = `
local function flood(key, window, limit, ttl)
  local w = redis.call('HGET', key, 'w')
  if w ~= window then
    local n = tonumber(redis.call('HGET', key, 'n') or '0')
    local prevOver = (w ~= false) and (tonumber(window) - tonumber(w) == 1) and n > tonumber(limit)
    redis.call('HSET', key, 'w', window, 'n', 0)
    if not prevOver then redis.call('HSET', key, 'noted', 0) end
  end
  local n = redis.call('HINCRBY', key, 'n', 1)
  redis.call('EXPIRE', key, tonumber(ttl))
  if n <= tonumber(limit) then return 0 end
  if redis.call('HGET', key, 'noted') == '1' then return 2 end
  redis.call('HSET', key, 'noted', 1)
  return 1
end
`;

// KEYS[1] the user's flood hash; ARGV: window id, limit, ttl seconds.
const SCRIPT = `${FLOOD_LUA}
return flood(KEYS[1], ARGV[1], ARGV[2], ARGV[3])
`;

/** Seconds a flood hash outlives its last message. */
export const FLOOD_TTL_S = 180;

export const WINDOW_MS = 60_000;

declare module "ioredis" {
  interface RedisCommander<Context> {
    bbFloodCheck(key: string, window: number, limit: number, ttlSeconds: number): Result<number, Context>;
  }
}

export class RedisFloodGuard implements FloodGuard {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly limitPerMinute: number,
  ) {
    // EVALSHA with a fallback to EVAL: the script is not resent with every message.
    redis.defineCommand("bbFloodCheck", { numberOfKeys: 1, lua: SCRIPT });
  }

  async check(user: UserKey, now: number): Promise<FloodVerdict> {
    const window = Math.floor(now / WINDOW_MS);
    const r = await this.redis.bbFloodCheck(this.keys.user(user, "flood"), window, this.limitPerMinute, FLOOD_TTL_S);
    return r === 0 ? "ok" : r === 1 ? "note" : "quiet";
  }
}
