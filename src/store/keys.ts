// Every Redis key the bot writes is built here, under one configurable prefix, so the bot can
// share a Redis safely and `/forget` can find everything a user owns.
//
// Hash slots (Redis Cluster): every Lua script and MULTI touches keys of one slot only. A user's
// own keys share the tag `{u:<userKey>}`; the due index `{sched}`; broadcasts `{bc}`; BullMQ's
// queues and the send guards `{q}`. Everything else is one key per command. What spans two
// slots is done as steps, each atomic in its slot, in an order a crash cannot hurt
// (docs/scheduling.md#redis-cluster).
import type { UserKey } from "../core/types.js";

/** The per-user keys, by part name. `/forget` and `/mydata` iterate this list. */
// "jobs": the ids of the user's delivery jobs (schedule/delivery.ts), so /forget removes them from the queues.
// "appcounts", "applied": the counters beside the applications log "apps" (store/applications.ts);
// "apprecs": the application records, whose ids and order are in "apps" (store/applications.ts).
// "sched": the ids of the user's scheduled items; "schedpending": ids being added right now,
// with when (schedule/store.ts: an add is two steps in two slots, see there).
export const USER_PARTS = [
  "profile",
  "conv",
  "seen",
  "sched",
  "schedpending",
  "journal",
  "moods",
  "goals",
  "apps",
  "appcounts",
  "applied",
  "apprecs",
  "flood",
  "jobs",
] as const;
export type UserPart = (typeof USER_PARTS)[number];

/** The user indexes: everyone who wrote, and the daily subscribers. */
export type IndexName = "users" | "subscribers";
/**
 * Buckets per user index. Fixed: a user's bucket must never move. 16384 keeps a bucket at <= 128
 * fields (Redis's `hash-max-listpack-entries` default, the compact encoding) up to about two
 * million users; past that, buckets turn into hashtables and still work (docs/scaling.md).
 */
export const INDEX_BUCKETS = 16384;

/** 32-bit FNV-1a over a string's UTF-16 code units: stable across processes and versions. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A stable bucket for a user key in the user indexes. */
export function indexBucketOf(user: string): number {
  return fnv1a(user) % INDEX_BUCKETS;
}

/**
 * Buckets of daily subscribers in the due index (schedule/store.ts): small sorted sets, so a
 * subscriber costs a listpack entry (about 35 B) rather than a skiplist member (about 128 B).
 * Fixed, like INDEX_BUCKETS. 1024 keeps a bucket at <= 128 members (Redis's
 * `zset-max-listpack-entries` default) up to about 120,000 subscribers; past that an operator
 * raises the setting (docs/scaling.md), or the buckets turn into skiplists and still work.
 */
export const DAILY_BUCKETS = 1024;

/** The daily bucket that holds (or would hold) this user. */
export function dailyBucketOf(user: string): number {
  return fnv1a(user) % DAILY_BUCKETS;
}

export class Keys {
  constructor(readonly prefix: string) {}

  user(user: UserKey, part: UserPart): string {
    return `${this.prefix}:{u:${user}}:${part}`;
  }
  /** Inbound deduplication marker for one platform update. */
  dedup(channel: string, updateId: string): string {
    return `${this.prefix}:dd:${channel}:${updateId}`;
  }
  /** The schedule's keys share the hash tag `{sched}` so the claim script may touch them all. */
  sched(part: "due" | "items" | "lease" | "seq"): string {
    return `${this.prefix}:{sched}:${part}`;
  }
  /** The daily subscribers' buckets (sorted sets, member = user key, score = next due), in `{sched}`. */
  dailyBucket(bucket: number): string {
    return `${this.dailyBucketPrefix()}${bucket}`;
  }
  /** What every daily bucket's key starts with (the claim script appends the bucket number). */
  dailyBucketPrefix(): string {
    return `${this.prefix}:{sched}:dd:`;
  }
  /**
   * Per-delivery send guard: set once a message went out, so a replayed job does not send again.
   * In the queues' slot `{q}`: on a Cluster the guard lives on the same master as the job it
   * guards, so a master away cannot leave a job finished without its guard, or the reverse.
   */
  sent(deliveryId: string): string {
    return `${this.prefix}:{q}:sent:${deliveryId}`;
  }
  /** Where send guards were kept before they moved into `{q}`; read for a week after an upgrade. */
  legacySent(deliveryId: string): string {
    return `${this.prefix}:sent:${deliveryId}`;
  }
  /**
   * The user indexes (store/user-index.ts): hashes `idx:<name>:<bucket>`, field = user key,
   * bucketed by a hash of the user key. Each bucket is its own key, in any Cluster slot.
   */
  indexBucket(name: IndexName, bucket: number): string {
    return `${this.prefix}:idx:${name}:${bucket}`;
  }
  /** The bucket that holds (or would hold) this user in the index. */
  indexOf(name: IndexName, user: UserKey): string {
    return this.indexBucket(name, indexBucketOf(user));
  }
  /** Where the indexes were kept before, as one set each; read only by the migration. */
  legacyIndex(name: IndexName): string {
    return `${this.prefix}:idx:${name}`;
  }
  /** Operator broadcasts (src/schedule/broadcast.ts); the hash tag keeps them in one Cluster slot. */
  broadcast(part: string): string {
    return `${this.prefix}:{bc}:${part}`;
  }
  meta(name: string): string {
    return `${this.prefix}:meta:${name}`;
  }
  counter(name: string): string {
    return `${this.prefix}:stat:${name}`;
  }
  /** BullMQ's prefix; the hash tag keeps each queue's keys in one Cluster slot. */
  queuePrefix(): string {
    return `${this.prefix}:{q}`;
  }
}
