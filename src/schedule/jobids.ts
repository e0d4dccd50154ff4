// BullMQ job ids (and the send guards named after them) without the user in them. An id that
// carried `whatsapp_<number>` kept the phone number in BullMQ's event stream, in `sent:` guards
// and in any tool that lists jobs, after /forget deleted everything else. Ids are keyed hashes
// instead: HMAC-SHA256 under a per-deployment secret kept in Redis, cut to 128 bits. They stay
// deterministic, so a claim replayed after a crash gets the same id and BullMQ ignores it, and
// /forget can still compute a user's broadcast job ids. Without the secret an id says nothing
// about whom it is for, and two ids of the same user cannot be linked (the item, the due time
// or the broadcast are hashed with the user).
import { createHmac, randomBytes } from "node:crypto";
import type { RedisClient } from "../store/redis.js";
import type { DueItem } from "../core/ports/schedule.js";
import type { UserKey } from "../core/types.js";
import type { Keys } from "../store/keys.js";

export type JobIdKey = Buffer;

/** base64url of the first 128 bits: no ":" (BullMQ refuses it), and after a letter prefix never all digits. */
function mac(key: JobIdKey, input: string): string {
  return createHmac("sha256", key).update(input).digest().subarray(0, 16).toString("base64url");
}

/** A scheduled delivery's job id: the same item due at the same time always gets the same id. */
export function deliveryId(item: Pick<DueItem, "id" | "dueAt">, key: JobIdKey): string {
  return `d-${mac(key, `d|${item.id}|${item.dueAt}`)}`;
}

/** A broadcast job's id, per broadcast and user; the broadcast id (`b1a`) stays readable. */
export function broadcastJobId(broadcastId: string, user: UserKey, key: JobIdKey): string {
  return `bc-${broadcastId}-${mac(key, `bc|${broadcastId}|${user}`)}`;
}

/**
 * The deployment's job id key: made once (SET NX, 256 random bits) by whichever process comes
 * first, then read by every process, so all of them compute the same ids.
 */
export async function loadJobIdKey(redis: RedisClient, keys: Keys): Promise<JobIdKey> {
  const name = keys.meta("jobidkey");
  await redis.set(name, randomBytes(32).toString("base64url"), "NX");
  const value = await redis.get(name);
  if (!value) throw new Error("the job id key vanished right after it was written");
  return Buffer.from(value, "base64url");
}

/** `loadJobIdKey`, read once per process (a failed read is tried again next time). */
export function jobIdKeySource(redis: RedisClient, keys: Keys): () => Promise<JobIdKey> {
  let loading: Promise<JobIdKey> | undefined;
  return () =>
    (loading ??= loadJobIdKey(redis, keys).catch((err: unknown) => {
      loading = undefined;
      throw err;
    }));
}
