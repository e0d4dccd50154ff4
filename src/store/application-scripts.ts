// The application store's Lua scripts (store/applications.ts), each over one user's keys, which share
// a hash slot: SCRIPT logs an event and returns the tally in one round trip (counting a log from
// before the counters once), RECORD writes or deletes a record together with the counters, so the
// counts are the records' own.

import type { RedisClient } from "./redis.js";

/** The scripts as typed commands of the connection (ioredis: EVALSHA, EVAL as fallback). */
export interface AppCommands {
  bbApplications(apps: string, counts: string, applied: string, ...args: (string | number)[]): Promise<number[]>;
  bbAppRecord(
    recs: string,
    idx: string,
    counts: string,
    applied: string,
    ...args: (string | number)[]
  ): Promise<number>;
}

/** Defines the scripts on the connection (idempotent) and returns it, typed with them. */
export function appCommands(redis: RedisClient): AppCommands {
  redis.defineCommand("bbApplications", { numberOfKeys: 3, lua: SCRIPT });
  redis.defineCommand("bbAppRecord", { numberOfKeys: 4, lua: RECORD });
  return redis as unknown as AppCommands;
}

// KEYS: apps, appcounts, applied. ARGV: now, week ms, cap, ttl seconds, then for a log: at,
// log member, kind, applied member. Returns the four totals, this week's applications, the streak.
export const SCRIPT = `
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
  if ARGV[7] == 'offer' then redis.call('HSET', counts, 'offerat', ARGV[5]) end
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

// KEYS: apprecs, apps (the index), appcounts, applied. ARGV: op ("put" or "del"), id, cap, ttl; for
// "put": the record's JSON, "1" to count the stages it reaches for the first time ("0" when
// migrating a log the totals already counted), and the time of the change. Returns 1 if done.
export const RECORD = `
local recs, idx, counts, applied = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local op, id, cap, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local function decode(j)
  local ok, o = pcall(cjson.decode, j)
  if ok and type(o) == 'table' then return o end
  return nil
end
-- The company's name entry goes with the record it points at (and only then).
local function unname(o, rid)
  if o and type(o.nameKey) == 'string' and redis.call('HGET', recs, o.nameKey) == rid then
    redis.call('HDEL', recs, o.nameKey)
  end
end
local old = redis.call('HGET', recs, 'r:' .. id)
local oldrec = old and decode(old)
local was = {}
if oldrec and type(oldrec.reached) == 'table' then
  for _, s in ipairs(oldrec.reached) do was[s] = true end
end
if op == 'del' then
  if not old then return 0 end
  unname(oldrec, id)
  for s in pairs(was) do
    local n = tonumber(redis.call('HGET', counts, s) or '0') or 0
    if s ~= 'withdrawn' and n > 0 then redis.call('HINCRBY', counts, s, -1) end
  end
  redis.call('ZREM', applied, 'rec:' .. id)
  redis.call('HDEL', recs, 'r:' .. id)
  redis.call('ZREM', idx, id)
  return 1
end
local new = decode(ARGV[5])
if not new then return 0 end
unname(oldrec, id)
if ARGV[6] == '1' then
  for _, s in ipairs(new.reached or {}) do
    if not was[s] then
      if s ~= 'withdrawn' then redis.call('HINCRBY', counts, s, 1) end
      if s == 'offer' then redis.call('HSET', counts, 'offerat', ARGV[7]) end
      -- Only an application told as one has a date applied that momentum can trust.
      if s == 'applied' and not old and new.stage == 'applied' then
        redis.call('ZADD', applied, new.appliedAt, 'rec:' .. id)
        redis.call('ZREMRANGEBYRANK', applied, 0, -(cap + 1))
      end
    end
  end
  redis.call('HSET', counts, 'v', 1)
end
redis.call('HSET', recs, 'r:' .. id, ARGV[5])
if type(new.nameKey) == 'string' then redis.call('HSET', recs, new.nameKey, id) end
redis.call('ZADD', idx, ARGV[7], id)
-- At most cap records: the one untouched longest goes (its counts stay, like the log's).
while redis.call('ZCARD', idx) > cap do
  local gone = redis.call('ZRANGE', idx, 0, 0)[1]
  redis.call('ZREM', idx, gone)
  local gj = redis.call('HGET', recs, 'r:' .. gone)
  if gj then unname(decode(gj), gone) end
  redis.call('HDEL', recs, 'r:' .. gone)
end
for _, k in ipairs({recs, idx, counts, applied}) do redis.call('EXPIRE', k, ttl) end
return 1
`;
