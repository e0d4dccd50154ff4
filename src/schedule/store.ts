// The due index: every scheduled thing is a member of one sorted set scored by its UTC due
// time. Reminders and check-ins keep their details in a hash beside it; a daily subscriber is
// one member `d:<userKey>` whose time and zone live on the user's profile (cheap at scale).
// All keys share the `{sched}` hash tag, so the claim script is legal on Redis Cluster.
//
// Claim: one Lua call moves at most `limit` due members (and any expired leases) to the lease
// set, scored by lease expiry, and returns them. Ack, after the delivery job is enqueued,
// removes the lease (and puts a daily member back at its next time). A claimer that dies
// between the two leaves a lease that expires; any process then claims it again, and the
// delivery's deterministic job id plus the send guard keep that replay from sending twice.
import type { RedisClient } from "../store/redis.js";
import type { DueItem, ScheduleResult, Scheduler } from "../core/ports/schedule.js";
import type { UserKey } from "../core/types.js";
import type { Keys } from "../store/keys.js";

export const DAILY_PREFIX = "d:";
export const MAX_ACTIVE_PER_USER = 50;
/** Delivered reminders kept for their buttons ("done", "again in a week"): the newest, for 14 days at most. */
export const MAX_DELIVERED_KEPT = 50;

/** A claimed entry: the item and the lease member to ack. */
export interface Claimed {
  item: DueItem;
  lease: string;
}

/** What the items hash holds for one reminder (the user and id are implied by the field). */
interface StoredItem extends DueItem {
  /** Set once delivered; kept a while so "remind me again in a week" can reuse it. */
  deliveredAt?: number;
}

const CLAIM = `
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
const ACK = `
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
const MARK_DELIVERED = `
local j = redis.call('HGET', KEYS[1], ARGV[1])
if not j or string.find(j, '"deliveredAt"', 1, true) then return 0 end
local due = '"dueAt":' .. ARGV[2]
if not (string.find(j, due .. ',', 1, true) or string.find(j, due .. '}', 1, true)) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], string.sub(j, 1, -2) .. ',"deliveredAt":' .. ARGV[3] .. '}')
return 1
`;

// KEYS: due, items, user index. ARGV: id, due, json, limit. Counts only undelivered items.
const ADD = `
local ids = redis.call('SMEMBERS', KEYS[3])
local active = 0
for _, id in ipairs(ids) do
  local j = redis.call('HGET', KEYS[2], id)
  if not j then
    redis.call('SREM', KEYS[3], id)
  elseif not string.find(j, '"deliveredAt"', 1, true) then
    active = active + 1
  end
end
if active >= tonumber(ARGV[4]) then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
return 1
`;

export class DueIndex implements Scheduler {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly o: { maxPerUser?: number; now?: () => number; keepDeliveredMs?: number } = {},
  ) {
    redis.defineCommand("bbSchedClaim", { numberOfKeys: 3, lua: CLAIM });
    redis.defineCommand("bbSchedAck", { numberOfKeys: 2, lua: ACK });
    redis.defineCommand("bbSchedMarkDelivered", { numberOfKeys: 1, lua: MARK_DELIVERED });
  }

  private get due() {
    return this.keys.sched("due");
  }
  private get items() {
    return this.keys.sched("items");
  }
  private get lease() {
    return this.keys.sched("lease");
  }

  async add(input: Omit<DueItem, "id"> & { id?: string }): Promise<ScheduleResult> {
    const limit = this.o.maxPerUser ?? MAX_ACTIVE_PER_USER;
    // Delivered reminders stay a while for their buttons; older ones go when the user adds more.
    const now = this.o.now?.() ?? Date.now();
    await this.pruneDelivered(input.user, now - (this.o.keepDeliveredMs ?? 14 * 86_400_000));
    const id = input.id ?? `r${(await this.redis.incr(this.keys.sched("seq"))).toString(36)}`;
    const item: DueItem = { ...input, id };
    // One script keeps the cap check and the insert together. It spans two hash tags ({sched}
    // and the user's), which a single Redis allows; on Cluster it would need splitting.
    const ok = (await this.redis.eval(ADD, 3, this.due, this.items, this.keys.user(item.user, "sched"), id, item.dueAt, JSON.stringify(item), limit)) as number;
    return ok === 1 ? { status: "scheduled", item } : { status: "limit_reached", limit };
  }

  async list(user: UserKey): Promise<DueItem[]> {
    const all = await this.itemsOf(user);
    return all.filter((i) => i.deliveredAt === undefined).sort((a, b) => a.dueAt - b.dueAt);
  }

  async get(user: UserKey, id: string): Promise<DueItem | undefined> {
    const item = await this.stored(id);
    return item && item.user === user ? item : undefined;
  }

  /** A delivered item (for "done" and "again in a week"), or an upcoming one. */
  async stored(id: string): Promise<StoredItem | undefined> {
    const j = await this.redis.hget(this.items, id);
    return j ? (JSON.parse(j) as StoredItem) : undefined;
  }

  async cancel(user: UserKey, id: string): Promise<boolean> {
    const item = await this.get(user, id);
    if (!item) return false;
    await this.redis.multi().zrem(this.due, id).hdel(this.items, id).exec();
    await this.redis.srem(this.keys.user(user, "sched"), id);
    return true;
  }

  async removeAllFor(user: UserKey): Promise<number> {
    const ids = await this.redis.smembers(this.keys.user(user, "sched"));
    const [dailyGone] = await Promise.all([this.redis.zrem(this.due, DAILY_PREFIX + user), this.redis.srem(this.keys.index("subscribers"), user)]);
    if (ids.length) await this.redis.multi().zrem(this.due, ...ids).hdel(this.items, ...ids).exec();
    await this.redis.del(this.keys.user(user, "sched"));
    return ids.length + dailyGone;
  }

  /** Puts a delivered item back in the index at a new time ("remind me again in a week"). */
  async reschedule(user: UserKey, id: string, dueAt: number): Promise<DueItem | undefined> {
    const item = await this.stored(id);
    if (!item || item.user !== user) return undefined;
    const { deliveredAt: _d, ...rest } = item;
    const next: DueItem = { ...rest, dueAt };
    await this.redis.multi().hset(this.items, id, JSON.stringify(next)).zadd(this.due, dueAt, id).exec();
    await this.redis.sadd(this.keys.user(user, "sched"), id);
    return next;
  }

  /** After delivery: keep the item a while, marked delivered, so its buttons still work. */
  async markDelivered(item: DueItem, at: number): Promise<void> {
    // Cancelled meanwhile, or moved to a new time (snoozed): the script leaves it alone.
    await (this.redis as unknown as ClaimCommands).bbSchedMarkDelivered(this.items, item.id, String(item.dueAt), String(Math.round(at)));
  }

  /**
   * Forgets delivered items older than `olderThan` (their buttons have had their time), and all
   * but the newest MAX_DELIVERED_KEPT: the user's set then holds at most 50 upcoming and 50
   * delivered items, which bounds what the cap check in ADD reads.
   */
  async pruneDelivered(user: UserKey, olderThan: number): Promise<void> {
    const delivered = (await this.itemsOf(user)).filter((i) => i.deliveredAt !== undefined).sort((a, b) => b.deliveredAt! - a.deliveredAt!);
    const stale = delivered.filter((i, n) => i.deliveredAt! < olderThan || n >= MAX_DELIVERED_KEPT).map((i) => i.id);
    if (stale.length === 0) return;
    // One round trip for all of them, not three per item.
    await this.redis.multi().zrem(this.due, ...stale).hdel(this.items, ...stale).exec();
    await this.redis.srem(this.keys.user(user, "sched"), ...stale);
  }

  private async itemsOf(user: UserKey): Promise<StoredItem[]> {
    const ids = await this.redis.smembers(this.keys.user(user, "sched"));
    if (ids.length === 0) return [];
    const vals = await this.redis.hmget(this.items, ...ids);
    return vals.flatMap((v) => (v ? [JSON.parse(v) as StoredItem] : []));
  }

  // --- the daily index entry -----------------------------------------------------------

  // The subscribers set (`idx:subscribers`) follows the daily member: /stats counts it and
  // /broadcast fans out over it. Separate commands: the two keys live in different Cluster slots.
  async setDaily(user: UserKey, nextAt: number): Promise<void> {
    await Promise.all([this.redis.zadd(this.due, nextAt, DAILY_PREFIX + user), this.redis.sadd(this.keys.index("subscribers"), user)]);
  }
  async removeDaily(user: UserKey): Promise<boolean> {
    const [removed] = await Promise.all([this.redis.zrem(this.due, DAILY_PREFIX + user), this.redis.srem(this.keys.index("subscribers"), user)]);
    return removed === 1;
  }

  /**
   * Adds every daily member of the index to the subscribers set, once per deployment: the set
   * came after the first subscribers. Leased members (`d:<user>|<due>`, mid-claim) count too.
   */
  async backfillSubscribers(): Promise<number> {
    if (!(await this.redis.set(this.keys.meta("subscribers-backfilled"), String(Date.now()), "NX"))) return 0;
    let added = 0;
    for (const key of [this.due, this.lease]) {
      let cursor = "0";
      do {
        const [next, flat] = await this.redis.zscan(key, cursor, "MATCH", `${DAILY_PREFIX}*`, "COUNT", 1000);
        cursor = next;
        const users = flat.filter((_, i) => i % 2 === 0).map((m) => m.slice(DAILY_PREFIX.length).replace(/\|[^|]*$/, ""));
        if (users.length) added += await this.redis.sadd(this.keys.index("subscribers"), ...users);
      } while (cursor !== "0");
    }
    return added;
  }
  async dailyAt(user: UserKey): Promise<number | undefined> {
    const s = await this.redis.zscore(this.due, DAILY_PREFIX + user);
    return s === null ? undefined : Number(s);
  }

  // --- claim and ack -------------------------------------------------------------------

  async claim(now: number, limit: number, leaseMs: number): Promise<Claimed[]> {
    const flat = (await (this.redis as unknown as ClaimCommands).bbSchedClaim(this.due, this.lease, this.items, now, limit, now + leaseMs)) as string[];
    const out: Claimed[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const lease = flat[i]!;
      const json = flat[i + 1]!;
      const bar = lease.lastIndexOf("|");
      const id = lease.slice(0, bar);
      const dueAt = Number(lease.slice(bar + 1));
      if (id.startsWith(DAILY_PREFIX)) {
        out.push({ lease, item: { id, user: id.slice(DAILY_PREFIX.length) as UserKey, kind: "daily", dueAt } });
      } else if (json) {
        out.push({ lease, item: { ...(JSON.parse(json) as DueItem), dueAt } });
      } else {
        // Cancelled after it was claimed: nothing to deliver, just drop the lease.
        out.push({ lease, item: { id, user: "console:unknown", kind: "cancelled", dueAt } });
      }
    }
    return out;
  }

  async ack(lease: string, dailyNext?: { member: string; at: number }): Promise<void> {
    await this.ackAll([{ lease, dailyNext }]);
  }

  /** Acks a claimed batch in one call (see ACK). */
  async ackAll(entries: readonly { lease: string; dailyNext?: { member: string; at: number } }[]): Promise<void> {
    if (entries.length === 0) return;
    const args = entries.flatMap((e) => (e.dailyNext ? [e.lease, e.dailyNext.member, String(e.dailyNext.at)] : [e.lease, "", ""]));
    await (this.redis as unknown as ClaimCommands).bbSchedAck(this.lease, this.due, ...args);
  }

  /** How many entries are due now and how many are leased (for /health and benchmarks). */
  async depth(now: number): Promise<{ due: number; leased: number; total: number }> {
    const [due, leased, total] = await Promise.all([this.redis.zcount(this.due, "-inf", now), this.redis.zcard(this.lease), this.redis.zcard(this.due)]);
    return { due, leased, total };
  }
}

interface ClaimCommands {
  bbSchedClaim(due: string, lease: string, items: string, now: number, limit: number, until: number): Promise<unknown>;
  bbSchedAck(lease: string, due: string, ...args: string[]): Promise<unknown>;
  bbSchedMarkDelivered(items: string, id: string, dueAt: string, at: string): Promise<unknown>;
}
