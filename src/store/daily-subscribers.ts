// The daily subscribers, read where the due index keeps them (schedule/store.ts): DAILY_BUCKETS
// sorted sets `{sched}:dd:<b>` (member = user key), plus, for the moment it takes, a subscriber
// whose delivery is being enqueued (a lease `d:<user>|<due>`) or one an older version kept in the
// index itself (`d:<user>`, moved into the buckets at start). /broadcast fans out over this scan
// and /stats counts it.
//
// They used to be listed a second time, in the subscribers index `idx:subscribers:<b>` (38 B a
// subscriber at 100,000: docs/scaling.md#memory-142). `dropSubscribersIndex()` removes it at start.
//
// The scan is resumable like SSCAN: cursor "0" starts and comes back at the end; `d<n>` is the
// next bucket, `l` the last step (leases and older members). A user present for the whole scan
// comes back at least once; one moving between a bucket and a lease meanwhile may come twice,
// which a broadcast's job ids absorb. Any other cursor (one the subscribers index made) starts over.
import type { ChannelName, UserKey } from "../core/types.js";
import { DAILY_BUCKETS, INDEX_BUCKETS, type Keys } from "./keys.js";
import type { RedisClient } from "./redis.js";
import { countByChannel, parseCursor, readBuckets, scanBatches } from "./user-index.js";

/** How a daily subscriber appears in the due index and its lease set: `d:<user>`. */
export const DAILY_MEMBER = "d:";
const BUCKET_TAG = "d";
const LAST_STEP = "l";

export class DailySubscribers {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** The next subscribers from `cursor` ("0" to start): about `count`, and the cursor to go on with. */
  async scan(cursor: string, count: number): Promise<[string, UserKey[]]> {
    if (cursor === LAST_STEP) return ["0", await this.leasedAndOlder()];
    const start = parseCursor(cursor, BUCKET_TAG, DAILY_BUCKETS);
    const { next, users } = await readBuckets(start, DAILY_BUCKETS, count, (b) =>
      this.redis.zrange(this.keys.dailyBucket(b), 0, -1),
    );
    return [next >= DAILY_BUCKETS ? LAST_STEP : `${BUCKET_TAG}${next}`, users];
  }

  /** Every subscriber, in batches of about `count`. */
  batches(count = 1000): AsyncGenerator<UserKey[]> {
    return scanBatches(this, count);
  }

  /** Subscribers per channel (reads every bucket: an operator command, not a hot path). */
  countByChannel(only?: ReadonlySet<ChannelName>): Promise<Partial<Record<ChannelName, number>>> {
    return countByChannel(this.batches(10_000), only);
  }

  /** Subscribers in a lease (few: the claimed batches of the moment) and older members of the index itself. */
  private async leasedAndOlder(): Promise<UserKey[]> {
    const users: UserKey[] = [];
    for (const key of [this.keys.sched("lease"), this.keys.sched("due")]) {
      let cursor = "0";
      do {
        const [next, flat] = await this.redis.zscan(key, cursor, "MATCH", `${DAILY_MEMBER}*`, "COUNT", 1000);
        cursor = next;
        for (let i = 0; i < flat.length; i += 2)
          users.push(flat[i]!.slice(DAILY_MEMBER.length).replace(/\|[^|]*$/, "") as UserKey);
      } while (cursor !== "0");
    }
    return users;
  }
}

/**
 * Deletes the subscribers index (its buckets and the set before them), at start, where it was
 * kept: every version that kept it marked the deployment `meta:subscribers-backfilled` at its
 * start. The mark goes only after every bucket is gone, so a crash midway runs it again, and an
 * older process started again during a rolling upgrade marks it again. Elsewhere (a new
 * deployment) this is one EXISTS. Returns how many keys went.
 */
export async function dropSubscribersIndex(redis: RedisClient, keys: Keys): Promise<number> {
  const mark = keys.meta("subscribers-backfilled");
  if (!(await redis.exists(mark))) return 0;
  let deleted = await redis.unlink(keys.legacyIndex("subscribers"));
  for (let b = 0; b < INDEX_BUCKETS; b += 256) {
    // One key a command: on a Cluster the buckets are in different slots (auto-pipelined).
    const n = await Promise.all(
      Array.from({ length: Math.min(256, INDEX_BUCKETS - b) }, (_, i) =>
        redis.unlink(keys.indexBucket("subscribers", b + i)),
      ),
    );
    deleted += n.reduce((a, x) => a + x, 0);
  }
  await redis.del(mark);
  return deleted;
}
