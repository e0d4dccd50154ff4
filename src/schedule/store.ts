// The due index: every scheduled thing is a member of one sorted set scored by its UTC due
// time. Reminders and check-ins keep their details in a hash beside it; daily subscribers sit
// in small buckets, each one head in the index (daily-entries.ts). The index's keys share the
// `{sched}` hash tag; each user's item ids are in the user's own slot (`{u:<user>}:sched`).
// The scripts are in scripts.ts, each within one slot.
//
// Claim: one Lua call leases at most `limit` due entries (and expired leases) and returns them;
// ack, once the jobs are enqueued, drops the leases (a daily goes back at its next time). A
// claimer dying between the two leaves leases that expire and are claimed again; the job id and
// the send guard keep that replay from sending twice.
//
// Add spans the user's slot and `{sched}`: the user's slot first (RESERVE: the cap, and the id
// with a "being added" mark), then the item and its due entry (one MULTI), then the mark goes.
// A crash after the first step leaves an id with no item: nothing to deliver, and the user was
// never told it was scheduled; the next add removes it once its mark is old. Every item in
// `{sched}` therefore has its id in the user's set, which is what /forget and the cap rely on.
// Removing goes the other way: `{sched}` first, the user's set last.
import type { RedisClient } from "../store/redis.js";
import type { DueItem, ScheduleResult, Scheduler } from "../core/ports/schedule.js";
import type { UserKey } from "../core/types.js";
import { DAILY_BUCKETS, dailyBucketOf, type Keys } from "../store/keys.js";
import { DAILY_PREFIX, DailyEntries } from "./daily-entries.js";
import { schedCommands, type SchedCommands } from "./scripts.js";

export { BUCKET_HEAD, DAILY_PREFIX } from "./daily-entries.js";
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

/** An id being added longer than this without its item is a crashed add's leftover. */
const PENDING_GRACE_MS = 10 * 60_000;

export class DueIndex implements Scheduler {
  /** The index's scripts, defined on the connection once. */
  private readonly cmd: SchedCommands;
  private readonly due: string;
  private readonly items: string;
  private readonly lease: string;
  private readonly daily: DailyEntries;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly o: { maxPerUser?: number; now?: () => number; keepDeliveredMs?: number } = {},
  ) {
    this.cmd = schedCommands(redis);
    [this.due, this.items, this.lease] = [keys.sched("due"), keys.sched("items"), keys.sched("lease")];
    this.daily = new DailyEntries(redis, keys, this.cmd);
  }

  async add(input: Omit<DueItem, "id"> & { id?: string }): Promise<ScheduleResult> {
    const limit = this.o.maxPerUser ?? MAX_ACTIVE_PER_USER;
    const now = this.o.now?.() ?? Date.now();
    const id = input.id ?? `r${(await this.redis.incr(this.keys.sched("seq"))).toString(36)}`;
    const item: DueItem = { ...input, id };
    const [ids, pending] = [this.keys.user(item.user, "sched"), this.keys.user(item.user, "schedpending")];
    // Step 0, reads: the user's ids and marks first, then their items (an add that finished
    // meanwhile wrote its item before dropping its mark, so it is seen one way or the other).
    const { delivered, gone, stalePending } = await this.survey(item.user, now);
    // Step 1, the user's slot: the cap and the reservation, atomically.
    const reserved = (await this.cmd.bbSchedReserve(
      ids,
      pending,
      limit,
      now,
      id,
      delivered.length,
      gone.length,
      ...delivered,
      ...gone,
      ...stalePending,
    )) as number;
    if (reserved === 0) return { status: "limit_reached", limit };
    // Step 2, `{sched}`: the item and its due entry together.
    try {
      await this.redis.multi().hset(this.items, id, JSON.stringify(item)).zadd(this.due, item.dueAt, id).exec();
    } catch (err) {
      // Not stored: take the reservation back (a replace keeps the id: its old item is there).
      if (reserved === 1)
        await this.redis
          .multi()
          .srem(ids, id)
          .hdel(pending, id)
          .exec()
          .catch(() => undefined);
      throw err;
    }
    // Step 3: the mark goes. Left behind (a crash), the next add drops it: the item exists.
    await this.redis.hdel(pending, id).catch(() => undefined);
    return { status: "scheduled", item };
  }

  /**
   * What the cap must know of the user's ids, tidying as it goes: delivered items (kept a while
   * for their buttons; those older than `keepDeliveredMs`, and all but the newest
   * MAX_DELIVERED_KEPT, are removed here from `{sched}`), ids whose item is gone and which no
   * add is writing (a crashed add, a crash mid-cancel), and marks of adds that finished.
   */
  private async survey(
    user: UserKey,
    now: number,
  ): Promise<{ delivered: string[]; gone: string[]; stalePending: string[] }> {
    const [ids, marks] = await Promise.all([
      this.redis.smembers(this.keys.user(user, "sched")),
      this.redis.hgetall(this.keys.user(user, "schedpending")),
    ]);
    const vals = ids.length ? await this.redis.hmget(this.items, ...ids) : [];
    const delivered: StoredItem[] = [];
    const gone: string[] = [];
    const stalePending: string[] = [];
    ids.forEach((id, n) => {
      const v = vals[n];
      const mark = marks[id];
      if (v) {
        const item = JSON.parse(v) as StoredItem;
        if (item.deliveredAt !== undefined) delivered.push(item);
        if (mark !== undefined) stalePending.push(id);
      } else if (mark === undefined || Number(mark) < now - PENDING_GRACE_MS) gone.push(id);
    });
    // A mark whose id the set read did not show is an add that began between the two reads:
    // left alone (it is counted by RESERVE, which sees the set as it is then).
    delivered.sort((a, b) => b.deliveredAt! - a.deliveredAt!);
    const olderThan = now - (this.o.keepDeliveredMs ?? 14 * 86_400_000);
    const stale = delivered.filter((i, n) => i.deliveredAt! < olderThan || n >= MAX_DELIVERED_KEPT).map((i) => i.id);
    // `{sched}` first; their ids leave the user's set in RESERVE, with the other gone ones.
    if (stale.length)
      await this.redis
        .multi()
        .zrem(this.due, ...stale)
        .hdel(this.items, ...stale)
        .exec();
    return {
      delivered: delivered.map((i) => i.id).filter((id) => !stale.includes(id)),
      gone: [...gone, ...stale],
      stalePending,
    };
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
    const dailyGone = await this.daily.remove(user);
    if (ids.length)
      await this.redis
        .multi()
        .zrem(this.due, ...ids)
        .hdel(this.items, ...ids)
        .exec();
    // The user's keys last: until here they name every item still in `{sched}`.
    await Promise.all([
      this.redis.del(this.keys.user(user, "sched")),
      this.redis.del(this.keys.user(user, "schedpending")),
    ]);
    return ids.length + dailyGone;
  }

  /**
   * An upcoming item at a new time (/reminders: "a day later", "a week later"). A delivery of
   * the old time already claimed is dropped by the worker (its due time no longer matches).
   */
  async move(user: UserKey, id: string, dueAt: number): Promise<DueItem | undefined> {
    const item = await this.stored(id);
    if (!item || item.user !== user || item.deliveredAt !== undefined) return undefined;
    return this.reschedule(user, id, dueAt);
  }

  /** Puts a delivered item back in the index at a new time ("remind me again in a week"). */
  async reschedule(user: UserKey, id: string, dueAt: number): Promise<DueItem | undefined> {
    const item = await this.stored(id);
    if (!item || item.user !== user) return undefined;
    const { deliveredAt: _d, ...rest } = item;
    const next: DueItem = { ...rest, dueAt };
    // The user's set first (usually a no-op: the id is still there), then `{sched}`.
    await this.redis.sadd(this.keys.user(user, "sched"), id);
    await this.redis.multi().hset(this.items, id, JSON.stringify(next)).zadd(this.due, dueAt, id).exec();
    return next;
  }

  /** After delivery: keep the item a while, marked delivered, so its buttons still work. */
  async markDelivered(item: DueItem, at: number): Promise<void> {
    // Cancelled meanwhile, or moved to a new time (snoozed): the script leaves it alone.
    await this.cmd.bbSchedMarkDelivered(this.items, item.id, String(item.dueAt), String(Math.round(at)));
  }

  private async itemsOf(user: UserKey): Promise<StoredItem[]> {
    const ids = await this.redis.smembers(this.keys.user(user, "sched"));
    if (ids.length === 0) return [];
    const vals = await this.redis.hmget(this.items, ...ids);
    return vals.flatMap((v) => (v ? [JSON.parse(v) as StoredItem] : []));
  }

  // --- the daily entry (daily-entries.ts) ---------------------------------------------

  setDaily(user: UserKey, nextAt: number): Promise<void> {
    return this.daily.set(user, nextAt);
  }
  async removeDaily(user: UserKey): Promise<boolean> {
    return (await this.daily.remove(user)) === 1;
  }
  dailyAt(user: UserKey): Promise<number | undefined> {
    return this.daily.at(user);
  }
  /** At start: daily members an older version kept in the index move into their buckets. */
  moveDailies(): Promise<number> {
    return this.daily.moveOld();
  }

  // --- claim and ack -------------------------------------------------------------------

  async claim(now: number, limit: number, leaseMs: number): Promise<Claimed[]> {
    const flat = (await this.cmd.bbSchedClaim(
      this.due,
      this.lease,
      this.items,
      now,
      limit,
      now + leaseMs,
      this.keys.dailyBucketPrefix(),
    )) as string[];
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

  /** Acks a claimed batch in one call (see ACK); a daily's lease member names its user. */
  async ackAll(entries: readonly { lease: string; dailyNext?: { user: UserKey; at: number } }[]): Promise<void> {
    if (entries.length === 0) return;
    const args = entries.flatMap((e) =>
      e.dailyNext && e.lease.startsWith(DAILY_PREFIX)
        ? [e.lease, String(dailyBucketOf(e.dailyNext.user)), String(e.dailyNext.at)]
        : [e.lease, "", ""],
    );
    await this.cmd.bbSchedAck(this.lease, this.due, this.keys.dailyBucketPrefix(), ...args);
  }

  /** Due now, in all (daily subscribers, not heads) and leased: /stats, /metrics. Short commands, not a script. */
  async depth(now: number): Promise<{ due: number; leased: number; total: number }> {
    const [dueHere, totalHere, leased, daily] = await Promise.all([
      this.redis.zcount(this.due, "-inf", now),
      this.redis.zcard(this.due),
      this.redis.zcard(this.lease),
      this.daily.count(now),
    ]);
    return {
      due: dueHere - daily.dueHeads + daily.due,
      leased,
      total: totalHere - daily.heads + daily.total,
    };
  }
}
