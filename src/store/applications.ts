// What the user logged about their search: applications, interviews, rejections, offers.
//
// Three keys per user, written together by one script so they never disagree:
// - `apps`: the log, a sorted set scored by time, capped at APPS_MAX (the oldest entries go);
// - `appcounts`: a hash of totals per kind, so "12 applications so far" is a counter, not a read
//   of the log (a user who logged 100,000 events made every message cost 0.5 s and stalled Redis);
// - `applied`: the times of applications alone, capped likewise, so "this week" and the streak of
//   weeks are ZCOUNTs over a range (logarithmic), never a scan.
// Totals keep counting past the cap: only the detail of the oldest entries is dropped.
import { randomBytes } from "node:crypto";
import type { Result } from "ioredis";
import type { RedisClient } from "./redis.js";
import type { Applications, SearchEvent, SearchTally } from "../core/ports/stores.js";
import type { UserKey } from "../core/types.js";
import type { Keys } from "./keys.js";

/** Entries kept in the log (and application times kept for weeks and streaks); the oldest go first. */
export const APPS_MAX = 1000;
const WEEK_MS = 7 * 24 * 3600 * 1000;

// KEYS: apps, appcounts, applied. ARGV: now, week ms, cap, ttl seconds, then for a log: at,
// log member, kind, applied member. Returns the four totals, this week's applications, the streak.
const SCRIPT = `
local apps, counts, applied = KEYS[1], KEYS[2], KEYS[3]
local now, week, cap, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
-- A log from before the counters: keep its newest entries and count them, once.
if redis.call('EXISTS', counts) == 0 and redis.call('TYPE', apps).ok == 'zset' then
  redis.call('ZREMRANGEBYRANK', apps, 0, -(cap + 1))
  local flat = redis.call('ZRANGE', apps, 0, -1, 'WITHSCORES')
  for i = 1, #flat, 2 do
    local ok, e = pcall(cjson.decode, flat[i])
    if ok and type(e) == 'table' and type(e.kind) == 'string' then
      redis.call('HINCRBY', counts, e.kind, 1)
      if e.kind == 'applied' then redis.call('ZADD', applied, flat[i + 1], 'm' .. i) end
    end
  end
  redis.call('HSET', counts, 'v', 1)
  local left = redis.call('PTTL', apps)
  if left > 0 then
    redis.call('PEXPIRE', counts, left)
    redis.call('PEXPIRE', applied, left)
  end
end
if ARGV[5] then
  redis.call('ZADD', apps, ARGV[5], ARGV[6])
  redis.call('ZREMRANGEBYRANK', apps, 0, -(cap + 1))
  redis.call('HINCRBY', counts, ARGV[7], 1)
  redis.call('HSET', counts, 'v', 1)
  if ARGV[7] == 'applied' then
    redis.call('ZADD', applied, ARGV[5], ARGV[8])
    redis.call('ZREMRANGEBYRANK', applied, 0, -(cap + 1))
  end
  redis.call('EXPIRE', apps, ttl)
  redis.call('EXPIRE', counts, ttl)
  redis.call('EXPIRE', applied, ttl)
end
local t = redis.call('HMGET', counts, 'applied', 'interview', 'rejected', 'offer')
local out = {}
for i = 1, 4 do out[i] = tonumber(t[i] or '0') or 0 end
out[5] = redis.call('ZCOUNT', applied, string.format('(%.0f', now - week), '+inf')
-- Each window that counts holds at least one of at most cap applications: at most cap rounds.
local weeks = 0
while weeks < cap do
  local from, to = now - (weeks + 1) * week, now - weeks * week
  if redis.call('ZCOUNT', applied, string.format('(%.0f', from), string.format('%.0f', to)) == 0 then break end
  weeks = weeks + 1
end
out[6] = weeks
return out
`;

declare module "ioredis" {
  interface RedisCommander<Context> {
    bbApplications(apps: string, counts: string, applied: string, ...args: (string | number)[]): Result<number[], Context>;
  }
}

export class RedisApplications implements Applications {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly retentionSeconds: number,
    private readonly cap = APPS_MAX,
  ) {
    redis.defineCommand("bbApplications", { numberOfKeys: 3, lua: SCRIPT });
  }

  /** Logs the event and returns the tally with it, in one round trip. */
  async log(user: UserKey, e: SearchEvent, now = e.at): Promise<SearchTally> {
    // A random suffix keeps two events of the same millisecond apart (set members are unique).
    const n = randomBytes(4).toString("hex");
    const member = JSON.stringify({ ...e, n });
    return this.run(user, now, [e.at, member, e.kind, `${e.at}-${n}`]);
  }

  /** The counts at `now`, without reading the log. */
  async tally(user: UserKey, now: number): Promise<SearchTally> {
    return this.run(user, now, []);
  }

  private async run(user: UserKey, now: number, logArgs: (string | number)[]): Promise<SearchTally> {
    const k = (part: "apps" | "appcounts" | "applied") => this.keys.user(user, part);
    const r = await this.redis.bbApplications(k("apps"), k("appcounts"), k("applied"), now, WEEK_MS, this.cap, this.retentionSeconds, ...logArgs);
    return {
      totals: { applied: r[0]!, interview: r[1]!, rejected: r[2]!, offer: r[3]! },
      appliedThisWeek: r[4]!,
      streakWeeks: r[5]!,
    };
  }
}
