// The due index's Lua scripts, each over the keys of one hash slot (Redis Cluster allows no
// other): CLAIM, ACK and MARK_DELIVERED over `{sched}`, RESERVE over the user's `{u:<user>}`.
// Adding an item spans both slots, so it is two steps (store.ts, `DueIndex.add`): RESERVE in
// the user's slot, then the item and its due entry in `{sched}` in one MULTI.

import type { RedisClient } from "../store/redis.js";

/** The due index's scripts as typed commands of its connection (ioredis: EVALSHA, EVAL as fallback). */
export interface SchedCommands {
  bbSchedClaim(due: string, lease: string, items: string, now: number, limit: number, until: number): Promise<unknown>;
  bbSchedAck(lease: string, due: string, ...args: string[]): Promise<unknown>;
  bbSchedMarkDelivered(items: string, id: string, dueAt: string, at: string): Promise<unknown>;
  bbSchedReserve(ids: string, pending: string, ...args: (string | number)[]): Promise<unknown>;
}

/** Defines the scripts on the connection (idempotent) and returns it, typed with them. */
export function schedCommands(redis: RedisClient): SchedCommands {
  redis.defineCommand("bbSchedClaim", { numberOfKeys: 3, lua: CLAIM });
  redis.defineCommand("bbSchedAck", { numberOfKeys: 2, lua: ACK });
  redis.defineCommand("bbSchedMarkDelivered", { numberOfKeys: 1, lua: MARK_DELIVERED });
  redis.defineCommand("bbSchedReserve", { numberOfKeys: 2, lua: RESERVE });
  return redis as unknown as SchedCommands;
}

// KEYS: due, lease, items (`{sched}`). ARGV: now, limit, lease expiry.
export const CLAIM = `
local due, lease, items = KEYS[1], KEYS[2], KEYS[3]
local now, limit, leaseUntil = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
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
    local id, score = fresh[i], fresh[i + 1]
    local m = id .. '|' .. score
    redis.call('ZREM', due, id)
    redis.call('ZADD', lease, leaseUntil, m)
    out[#out + 1] = m
    out[#out + 1] = redis.call('HGET', items, id) or ''
  end
end
return out
`;

// KEYS: lease, due. ARGV: per claimed entry, three values: the lease member, then the daily
// member and its next time (both "" for anything else). A daily member goes back only if it is
// not already in the index with a newer time from /daily. One call acks a whole claimed batch.
export const ACK = `
local removed = 0
for i = 1, #ARGV, 3 do
  removed = removed + redis.call('ZREM', KEYS[1], ARGV[i])
  if ARGV[i + 1] ~= '' then redis.call('ZADD', KEYS[2], 'NX', ARGV[i + 2], ARGV[i + 1]) end
end
return removed
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
