// Inbound flood protection per user: a fixed one-minute window counted in Redis (so it holds
// across processes), on the injected clock (so tests need no sleeping). Past the limit the
// user gets ONE polite note per flood: the note is remembered until a whole minute passes
// under the limit, so a script hammering the bot gets one answer, not one a minute.
import type { Result } from "ioredis";
import type { RedisClient } from "./redis.js";
import type { FloodGuard, FloodVerdict } from "../core/ports/state.js";
import type { UserKey } from "../core/types.js";
import type { Keys } from "./keys.js";

// KEYS[1] the user's flood hash; ARGV: window id, limit, ttl seconds.
// Fields: w = window id, n = messages in it, noted = 1 once the note was sent this flood.
const SCRIPT = `
local w = redis.call('HGET', KEYS[1], 'w')
if w ~= ARGV[1] then
  local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
  local prevOver = (w ~= false) and (tonumber(ARGV[1]) - tonumber(w) == 1) and n > tonumber(ARGV[2])
  redis.call('HSET', KEYS[1], 'w', ARGV[1], 'n', 0)
  if not prevOver then redis.call('HSET', KEYS[1], 'noted', 0) end
end
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
if n <= tonumber(ARGV[2]) then return 0 end
if redis.call('HGET', KEYS[1], 'noted') == '1' then return 2 end
redis.call('HSET', KEYS[1], 'noted', 1)
return 1
`;

const WINDOW_MS = 60_000;

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
    const r = await this.redis.bbFloodCheck(this.keys.user(user, "flood"), window, this.limitPerMinute, 180);
    return r === 0 ? "ok" : r === 1 ? "note" : "quiet";
  }
}
