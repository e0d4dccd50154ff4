// The daily subscribers' entries in the due index (store.ts): DAILY_BUCKETS small sorted sets
// `{sched}:dd:<b>` (member = user key, score = next due; their time and zone live on the
// profile), each bucket standing in the index as one head `D:<b>` at or before its first member:
// a listpack entry a subscriber instead of a skiplist member (docs/scaling.md#memory-142). The
// claim and ack scripts (scripts.ts) read and write the same buckets; the buckets are also the
// list of subscribers /broadcast fans out over and /stats counts (store/daily-subscribers.ts).
//
// Older versions kept a subscriber as a member `d:<userKey>` of the index itself: such members
// are still claimed, and move into their bucket when acked, set again, removed or at start.
import type { UserKey } from "../core/types.js";
import { DAILY_MEMBER } from "../store/daily-subscribers.js";
import { DAILY_BUCKETS, dailyBucketOf, type Keys } from "../store/keys.js";
import type { RedisClient } from "../store/redis.js";
import type { SchedCommands } from "./scripts.js";

export const DAILY_PREFIX = DAILY_MEMBER;
/** A daily bucket's head in the due index: `D:<bucket>`. */
export const BUCKET_HEAD = "D:";

export class DailyEntries {
  private readonly due: string;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly cmd: SchedCommands,
  ) {
    this.due = keys.sched("due");
  }

  /** The user at `nextAt`: one MULTI in `{sched}` (member, head moved up, an older version's member gone: two would both come due). */
  async set(user: UserKey, nextAt: number): Promise<void> {
    const b = dailyBucketOf(user);
    await this.redis
      .multi()
      .zadd(this.keys.dailyBucket(b), nextAt, user)
      .zadd(this.due, "LT", nextAt, BUCKET_HEAD + b)
      .zrem(this.due, DAILY_PREFIX + user)
      .exec();
  }

  /** 1 if the user had an entry (REMOVE_DAILY: the bucket's head goes with its last member). */
  async remove(user: UserKey): Promise<number> {
    const n = (await this.cmd.bbSchedRemoveDaily(
      this.due,
      this.keys.dailyBucketPrefix(),
      dailyBucketOf(user),
      user,
    )) as number;
    return n > 0 ? 1 : 0;
  }

  /** The next due time; an older version's member is read only when the bucket has none. */
  async at(user: UserKey): Promise<number | undefined> {
    const s =
      (await this.redis.zscore(this.keys.dailyBucket(dailyBucketOf(user)), user)) ??
      (await this.redis.zscore(this.due, DAILY_PREFIX + user));
    return s === null ? undefined : Number(s);
  }

  /**
   * Moves members an older version kept in the index itself (`d:<user>`) into their buckets, at
   * start, a batch a script (MOVE_DAILIES: only members still there, at the time they have then).
   * Several processes at once are harmless. Returns how many moved.
   */
  async moveOld(): Promise<number> {
    let moved = 0;
    let cursor = "0";
    do {
      const [next, flat] = await this.redis.zscan(this.due, cursor, "MATCH", `${DAILY_PREFIX}*`, "COUNT", 1000);
      cursor = next;
      const args = flat.flatMap((m, i) => {
        if (i % 2) return [];
        const user = m.slice(DAILY_PREFIX.length);
        return [user, String(dailyBucketOf(user))];
      });
      if (args.length)
        moved += (await this.cmd.bbSchedMoveDailies(this.due, this.keys.dailyBucketPrefix(), ...args)) as number;
    } while (cursor !== "0");
    return moved;
  }

  /**
   * Subscribers due at `now` and in all, and the heads standing for them in the index (due, and
   * in all). The heads in one ZMSCORE; a bucket with members always has a head, at or before its
   * first member, so only buckets whose head is due are counted member by member (ZCOUNT, linear
   * in a listpack), the others by ZCARD. One short command a bucket, sent together.
   */
  async count(now: number): Promise<{ due: number; total: number; heads: number; dueHeads: number }> {
    const names = Array.from({ length: DAILY_BUCKETS }, (_, b) => BUCKET_HEAD + b);
    const live = (await this.redis.zmscore(this.due, ...names)).flatMap((h, b) =>
      h === null ? [] : [{ b, due: Number(h) <= now }],
    );
    const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
    const [sizes, dueIn] = await Promise.all([
      Promise.all(live.map(({ b }) => this.redis.zcard(this.keys.dailyBucket(b)))),
      Promise.all(live.filter((h) => h.due).map(({ b }) => this.redis.zcount(this.keys.dailyBucket(b), "-inf", now))),
    ]);
    return { due: sum(dueIn), total: sum(sizes), heads: live.length, dueHeads: dueIn.length };
  }
}
