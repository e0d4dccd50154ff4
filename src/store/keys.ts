// Every Redis key the bot writes is built here, under one configurable prefix, so the bot can
// share a Redis safely and `/forget` can find everything a user owns.
// A user's own keys share the hash tag `{u:<userKey>}`: on Redis Cluster they live in one slot,
// so a multi-key script over one user's data stays legal.
import type { UserKey } from "../core/types.js";

/** The per-user keys, by part name. `/forget` and `/mydata` iterate this list. */
// "jobs": the ids of the user's delivery jobs (schedule/delivery.ts), so /forget removes them from the queues.
// "appcounts", "applied": the counters beside the applications log "apps" (store/applications.ts).
export const USER_PARTS = ["profile", "conv", "seen", "sched", "journal", "moods", "goals", "apps", "appcounts", "applied", "flood", "jobs"] as const;
export type UserPart = (typeof USER_PARTS)[number];

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
  /** Per-delivery send guard: set once a message went out, so a replayed job does not send again. */
  sent(deliveryId: string): string {
    return `${this.prefix}:sent:${deliveryId}`;
  }
  /** Sets of user keys, for counting and broadcasting. */
  index(name: "users" | "subscribers"): string {
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
