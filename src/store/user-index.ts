// The user index: `users` (everyone who wrote: retention walks it, /stats counts it). There was
// a second, `subscribers`; the daily buckets list them now (store/daily-subscribers.ts), and the
// start deletes it. An index is INDEX_BUCKETS hashes
// `<prefix>:idx:<name>:<bucket>`, field = user key, value "", the bucket a stable hash of the
// user key (keys.ts). A bucket of <= 128 fields stays a listpack, about 26 B a member where a set
// member costs 72 B (docs/scaling.md#memory-142); a bigger bucket becomes a hashtable and still
// works (an operator may raise `hash-max-listpack-entries` instead).
//
// Every bucket is its own key, in whatever Cluster slot it hashes to: no command or script here
// names two buckets. Reads send one command per bucket, many at once (auto-pipelined: one round
// trip per batch on one Redis, one per master on a Cluster).
//
// The scan is resumable like SSCAN: cursor "0" starts, "0" comes back after the last bucket.
// A bucket is read whole, so a user present for the whole scan comes back exactly once.
// The index used to be one set per name: `migrateFromSet()`, run at start, moves it here.
import { channelOf, type ChannelName, type UserKey } from "../core/types.js";
import { INDEX_BUCKETS, type IndexName, type Keys } from "./keys.js";
import type { RedisClient } from "./redis.js";

export type { IndexName } from "./keys.js";
/** The indexes kept; `subscribers` is only deleted now (store/daily-subscribers.ts). */
export const INDEX_NAMES: readonly IndexName[] = ["users"];

/** Buckets read at once at most (one batch of commands). */
const MAX_ROUND = 256;
/** Old-set members moved per SSCAN step of the migration. */
const MIGRATE_BATCH = 1000;
/** Full passes over an old set before the migration leaves what older processes keep adding for the next start. */
const MIGRATE_PASSES = 5;

export class UserIndex {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    readonly name: IndexName,
  ) {}

  /** Adds the user; 1 if new. */
  async add(user: UserKey): Promise<number> {
    return this.redis.hset(this.keys.indexOf(this.name, user), user, "");
  }

  /** Removes the user; 1 if they were in. */
  async remove(user: UserKey): Promise<number> {
    return this.redis.hdel(this.keys.indexOf(this.name, user), user);
  }

  async has(user: UserKey): Promise<boolean> {
    return (await this.redis.hexists(this.keys.indexOf(this.name, user), user)) === 1;
  }

  /** Every bucket's key (for benchmarks and tests). */
  bucketKeys(): string[] {
    return Array.from({ length: INDEX_BUCKETS }, (_, b) => this.keys.indexBucket(this.name, b));
  }

  /**
   * The next users from `cursor` ("0" to start): about `count` of them (whole buckets, so a few
   * more or fewer), and the cursor to go on with, "0" when every bucket was read. A cursor this
   * code did not make (an SSCAN cursor kept by an older version) starts over from the first
   * bucket: callers that persist the cursor (broadcasts) tolerate seeing users twice.
   */
  async scan(cursor: string, count: number): Promise<[string, UserKey[]]> {
    const { next, users } = await readBuckets(
      parseCursor(cursor, CURSOR_TAG, INDEX_BUCKETS),
      INDEX_BUCKETS,
      count,
      (b) => this.redis.hkeys(this.keys.indexBucket(this.name, b)),
    );
    return [next >= INDEX_BUCKETS ? "0" : `${CURSOR_TAG}${next}`, users];
  }

  /** Every user, in batches of about `count`. */
  batches(count = 1000): AsyncGenerator<UserKey[]> {
    return scanBatches(this, count);
  }

  /** Users per channel (reads every bucket: an operator command, not a hot path). */
  countByChannel(only?: ReadonlySet<ChannelName>): Promise<Partial<Record<ChannelName, number>>> {
    return countByChannel(this.batches(10_000), only);
  }

  /**
   * Moves the old set `idx:<name>` into the buckets: copies a batch, then removes exactly that
   * batch from the set (Redis deletes the set once empty). A crash between the two leaves the
   * batch in the set for the next start; several processes at once copy the same members
   * (HSET is idempotent) and remove them once; a member an older process adds meanwhile stays
   * in the set for another pass, or for the next start. Returns the members this call removed
   * from the set; 0 (one EXISTS) when there is no old set.
   */
  async migrateFromSet(): Promise<number> {
    const set = this.keys.legacyIndex(this.name);
    let moved = 0;
    for (let pass = 0; pass < MIGRATE_PASSES; pass++) {
      if ((await this.redis.type(set)) !== "set") break;
      let cursor = "0";
      do {
        const [next, members] = await this.redis.sscan(set, cursor, "COUNT", MIGRATE_BATCH);
        cursor = next;
        if (members.length === 0) continue;
        const byBucket = new Map<string, string[]>();
        for (const u of members) {
          const key = this.keys.indexOf(this.name, u as UserKey);
          const list = byBucket.get(key);
          if (list) list.push(u, "");
          else byBucket.set(key, [u, ""]);
        }
        await Promise.all([...byBucket].map(([key, flat]) => this.redis.hset(key, ...flat)));
        // Only what was copied, so a member added since (by an older process) is not lost.
        moved += await this.redis.srem(set, ...members);
      } while (cursor !== "0");
    }
    return moved;
  }
}

/** New cursors carry a tag, so an SSCAN cursor from before the buckets is told apart. */
const CURSOR_TAG = "b";

/** The bucket a cursor `<tag><n>` names; 0 (start over) for anything else. */
export function parseCursor(cursor: string, tag: string, buckets: number): number {
  if (!cursor.startsWith(tag)) return 0;
  const n = Number(cursor.slice(tag.length));
  return Number.isInteger(n) && n > 0 && n < buckets ? n : 0;
}

/**
 * Reads whole buckets from `start` until about `count` users came back (a few more or fewer),
 * at most MAX_ROUND buckets a round trip; `next` is the first bucket not read (`total` at the end).
 */
export async function readBuckets(
  start: number,
  total: number,
  count: number,
  read: (bucket: number) => Promise<string[]>,
): Promise<{ next: number; users: UserKey[] }> {
  let bucket = start;
  const wanted = Math.max(1, count);
  const users: UserKey[] = [];
  let done = 0;
  while (bucket < total && users.length < wanted) {
    // As many buckets as the ones read so far say hold the users still wanted (16 to start).
    const perBucket = done ? users.length / done : 0;
    const want = perBucket > 0 ? Math.ceil((wanted - users.length) / perBucket) : 16;
    const n = Math.min(MAX_ROUND, total - bucket, Math.max(1, want));
    const lists = await Promise.all(Array.from({ length: n }, (_, i) => read(bucket + i)));
    for (const list of lists) users.push(...(list as UserKey[]));
    bucket += n;
    done += n;
  }
  return { next: bucket, users };
}

/** A resumable scan of users, like SSCAN: cursor "0" starts, and comes back after the last. */
export interface UserScan {
  scan(cursor: string, count: number): Promise<[string, UserKey[]]>;
}

/** Every user a scan returns, in batches of about `count`. */
export async function* scanBatches(s: UserScan, count: number): AsyncGenerator<UserKey[]> {
  let cursor = "0";
  do {
    const [next, users] = await s.scan(cursor, count);
    cursor = next;
    if (users.length) yield users;
  } while (cursor !== "0");
}

/** Users per channel over batches of users; `only` limits (and zero-fills) the channels. */
export async function countByChannel(
  batches: AsyncIterable<UserKey[]>,
  only?: ReadonlySet<ChannelName>,
): Promise<Partial<Record<ChannelName, number>>> {
  const counts: Partial<Record<ChannelName, number>> = {};
  for (const ch of only ?? []) counts[ch] = 0;
  for await (const users of batches) {
    for (const u of users) {
      const ch = channelOf(u);
      if (!only || only.has(ch)) counts[ch] = (counts[ch] ?? 0) + 1;
    }
  }
  return counts;
}

/**
 * Moves the old users set into its buckets, at start (src/app.ts), before anything reads
 * them; one TYPE once done. A failure is logged, not thrown: the next start retries.
 */
export async function migrateIndexes(
  redis: RedisClient,
  keys: Keys,
  log: { info(o: object, msg: string): void; warn(o: object, msg: string): void },
): Promise<void> {
  try {
    const users = await new UserIndex(redis, keys, "users").migrateFromSet();
    if (users) log.info({ users }, "user index set moved into buckets");
  } catch (err) {
    log.warn({ err: { message: (err as Error).message } }, "user index sets not moved; the next start retries");
  }
}
