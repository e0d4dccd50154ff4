// The due index's Lua scripts, each over the keys of one hash slot (Redis Cluster allows no
// other): CLAIM, ACK, REMOVE_DAILY, MOVE_DAILIES and MARK_DELIVERED over `{sched}`, RESERVE over the user's `{u:<user>}`.
// Adding an item spans both slots, so it is two steps (store.ts, `DueIndex.add`): RESERVE in
// the user's slot, then the item and its due entry in `{sched}` in one MULTI.
//
// Daily subscribers sit in DAILY_BUCKETS small sorted sets `{sched}:dd:<b>` (member = user key,
// score = next due); the due index holds one head `D:<b>` per bucket, scored at or before the
// bucket's earliest member (a head may be early after a removal: the claim then finds nothing
// due in the bucket and moves the head to the bucket's real first time). CLAIM, ACK, REMOVE_DAILY and MOVE_DAILIES
// name the buckets by a key prefix and a number: every bucket is in `{sched}`, the slot of the
// keys they declare, so a Cluster node that serves one serves them all.

import type { RedisClient } from "../store/redis.js";

/** The due index's scripts as typed commands of its connection (ioredis: EVALSHA, EVAL as fallback). */
export interface SchedCommands {
  bbSchedClaim(
    due: string,
    lease: string,
    items: string,
    now: number,
    limit: number,
    until: number,
    buckets: string,
  ): Promise<unknown>;
  bbSchedAck(lease: string, due: string, buckets: string, ...args: string[]): Promise<unknown>;
  bbSchedRemoveDaily(due: string, buckets: string, bucket: number, user: string): Promise<unknown>;
  bbSchedMoveDailies(due: string, buckets: string, ...userBucketPairs: string[]): Promise<unknown>;
  bbSchedMarkDelivered(items: string, id: string, dueAt: string, at: string): Promise<unknown>;
  bbSchedReserve(ids: string, pending: string, ...args: (string | number)[]): Promise<unknown>;
}

/** Defines the scripts on the connection (idempotent) and returns it, typed with them. */
export function schedCommands(redis: RedisClient): SchedCommands {
  redis.defineCommand("bbSchedClaim", { numberOfKeys: 3, lua: CLAIM });
  redis.defineCommand("bbSchedAck", { numberOfKeys: 2, lua: ACK });
  redis.defineCommand("bbSchedRemoveDaily", { numberOfKeys: 1, lua: REMOVE_DAILY });
  redis.defineCommand("bbSchedMoveDailies", { numberOfKeys: 1, lua: MOVE_DAILIES });
  redis.defineCommand("bbSchedMarkDelivered", { numberOfKeys: 1, lua: MARK_DELIVERED });
  redis.defineCommand("bbSchedReserve", { numberOfKeys: 2, lua: RESERVE });
  return redis as unknown as SchedCommands;
}

// KEYS: due, lease, items (`{sched}`). ARGV: now, limit, lease expiry, the daily buckets' key
// prefix. A daily subscriber's lease member is `d:<user>|<due>`, whichever way it was stored.
export const CLAIM = `
local due, lease, items = KEYS[1], KEYS[2], KEYS[3]
local now, limit, leaseUntil = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local buckets = ARGV[4]
local out = {}
-- Leases of a claimer that died: take them over first (oldest first).
local expired = redis.call('ZRANGEBYSCORE', lease, '-inf', now, 'LIMIT', 0, limit)
for _, m in ipairs(expired) do
  redis.call('ZADD', lease, leaseUntil, m)
  local id = string.match(m, '^(.*)|')
  out[#out + 1] = m
  out[#out + 1] = redis.call('HGET', items, id) or ''
end
local left = limit - #expired
if left > 0 then
  local fresh = redis.call('ZRANGEBYSCORE', due, '-inf', now, 'WITHSCORES', 'LIMIT', 0, left)
  for i = 1, #fresh, 2 do
    if left <= 0 then break end
    local id, score = fresh[i], fresh[i + 1]
    if string.sub(id, 1, 2) == 'D:' then
      -- A bucket's head: its due subscribers, then the head moves to what is left (or goes).
      local bucket = buckets .. string.sub(id, 3)
      local subs = redis.call('ZRANGEBYSCORE', bucket, '-inf', now, 'WITHSCORES', 'LIMIT', 0, left)
      for j = 1, #subs, 2 do
        local m = 'd:' .. subs[j] .. '|' .. subs[j + 1]
        redis.call('ZREM', bucket, subs[j])
        redis.call('ZADD', lease, leaseUntil, m)
        out[#out + 1] = m
        out[#out + 1] = ''
        left = left - 1
      end
      local first = redis.call('ZRANGE', bucket, 0, 0, 'WITHSCORES')
      if #first == 0 then redis.call('ZREM', due, id) else redis.call('ZADD', due, first[2], id) end
    else
      local m = id .. '|' .. score
      redis.call('ZREM', due, id)
      redis.call('ZADD', lease, leaseUntil, m)
      out[#out + 1] = m
      out[#out + 1] = redis.call('HGET', items, id) or ''
      left = left - 1
    end
  end
end
return out
`;

// KEYS: lease, due. ARGV: the daily buckets' key prefix, then per claimed entry three values:
// the lease member, then the daily subscriber's bucket number and next time (both "" for
// anything else). A subscriber goes back into their bucket only if not already there with a
// newer time from /daily; the bucket's head moves up if that member is now its first. One
// call acks a whole claimed batch.
export const ACK = `
local removed = 0
for i = 2, #ARGV, 3 do
  removed = removed + redis.call('ZREM', KEYS[1], ARGV[i])
  if ARGV[i + 1] ~= '' then
    local user = string.match(ARGV[i], '^d:(.*)|')
    local bucket = ARGV[1] .. ARGV[i + 1]
    redis.call('ZADD', bucket, 'NX', ARGV[i + 2], user)
    redis.call('ZADD', KEYS[2], 'LT', redis.call('ZSCORE', bucket, user), 'D:' .. ARGV[i + 1])
  end
end
return removed
`;

// KEYS: due. ARGV: the daily buckets' key prefix, the user's bucket, the user. Removes the
// subscriber (from their bucket, and an older version's member `d:<user>`), and the bucket's
// head once the bucket is empty; a head left early by a removal is moved by the next claim.
export const REMOVE_DAILY = `
local bucket = ARGV[1] .. ARGV[2]
local n = redis.call('ZREM', bucket, ARGV[3]) + redis.call('ZREM', KEYS[1], 'd:' .. ARGV[3])
if redis.call('EXISTS', bucket) == 0 then redis.call('ZREM', KEYS[1], 'D:' .. ARGV[2]) end
return n
`;

// KEYS: due. ARGV: the daily buckets' key prefix, then user and bucket pairs. Moves each user's
// member of an older version (`d:<user>`) into their bucket at the time it has now, if it is
// still there (a claim may have taken it meanwhile); a time already in the bucket (set by /daily)
// stays. Returns how many moved.
export const MOVE_DAILIES = `
local moved = 0
for i = 2, #ARGV, 2 do
  local s = redis.call('ZSCORE', KEYS[1], 'd:' .. ARGV[i])
  if s then
    local bucket = ARGV[1] .. ARGV[i + 1]
    redis.call('ZADD', bucket, 'NX', s, ARGV[i])
    redis.call('ZADD', KEYS[1], 'LT', redis.call('ZSCORE', bucket, ARGV[i]), 'D:' .. ARGV[i + 1])
    redis.call('ZREM', KEYS[1], 'd:' .. ARGV[i])
    moved = moved + 1
  end
end
return moved
`;

// KEYS: items. ARGV: id, the due time it was delivered for, the delivery time. Appends
// "deliveredAt" to the stored JSON (written by JSON.stringify, so it ends with "}") unless the
// item was cancelled, moved to another time (snoozed) or already marked meanwhile. One call
// instead of a read and a write.
export const MARK_DELIVERED = `
local j = redis.call('HGET', KEYS[1], ARGV[1])
if not j or string.find(j, '"deliveredAt"', 1, true) then return 0 end
local due = '"dueAt":' .. ARGV[2]
if not (string.find(j, due .. ',', 1, true) or string.find(j, due .. '}', 1, true)) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], string.sub(j, 1, -2) .. ',"deliveredAt":' .. ARGV[3] .. '}')
return 1
`;

// KEYS: the user's item ids (set) and ids being added (hash id -> when), both `{u:<user>}`.
// ARGV: the cap, now, the new id, then how many ids of each list follow, then the lists:
// delivered (read from `{sched}:items` just before; they do not count against the cap),
// gone (no item any more, and not being added: removed from both keys), and stale pending
// marks (their item exists: the mark alone goes). Counts what is left as upcoming, refuses at
// the cap, otherwise records the new id and the time it is being added.
// Returns 0 at the cap, 1 when the id is new, 2 when it was already the user's (a replace).
export const RESERVE = `
local ids, pending = KEYS[1], KEYS[2]
local cap, now, id = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local nDelivered, nGone = tonumber(ARGV[4]), tonumber(ARGV[5])
local first = 6
for i = first + nDelivered, first + nDelivered + nGone - 1 do
  redis.call('SREM', ids, ARGV[i])
  redis.call('HDEL', pending, ARGV[i])
end
for i = first + nDelivered + nGone, #ARGV do redis.call('HDEL', pending, ARGV[i]) end
local upcoming = redis.call('SCARD', ids)
for i = first, first + nDelivered - 1 do upcoming = upcoming - redis.call('SISMEMBER', ids, ARGV[i]) end
if upcoming >= cap then return 0 end
local added = redis.call('SADD', ids, id)
redis.call('HSET', pending, id, now)
return added == 1 and 1 or 2
`;

// Operator broadcasts (broadcast.ts), over `{bc}`.
// KEYS: latest, the new hash. ARGV: the latest id expected ("" = none), the new id, field/value pairs.
/** Starts a broadcast unless another started first; its hash kept `keepSeconds`. */
export const broadcastStartScript = (keepSeconds: number) => `
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], unpack(ARGV, 3))
redis.call('EXPIRE', KEYS[2], ${keepSeconds})
redis.call('SET', KEYS[1], ARGV[2])
return 1
`;
/** Releases a lock held with the given token. */
export const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
