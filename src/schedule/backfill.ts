// A one-off migration, run at start: the subscribers index (`idx:subscribers:<bucket>`, which
// /stats counts and /broadcast fans out over) came after the first daily subscribers, so every
// daily member of the due index is added to it, once per deployment.
import type { Keys } from "../store/keys.js";
import type { RedisClient } from "../store/redis.js";
import { UserIndex } from "../store/user-index.js";
import type { UserKey } from "../core/types.js";
import { DAILY_PREFIX } from "./store.js";

/** Adds the daily members (leased ones, `d:<user>|<due>` mid-claim, too); 0 when done before. */
export async function backfillSubscribers(redis: RedisClient, keys: Keys): Promise<number> {
  if (!(await redis.set(keys.meta("subscribers-backfilled"), String(Date.now()), "NX"))) return 0;
  const subscribers = new UserIndex(redis, keys, "subscribers");
  let added = 0;
  for (const key of [keys.sched("due"), keys.sched("lease")]) {
    let cursor = "0";
    do {
      const [next, flat] = await redis.zscan(key, cursor, "MATCH", `${DAILY_PREFIX}*`, "COUNT", 1000);
      cursor = next;
      const users = flat.filter((_, i) => i % 2 === 0).map((m) => m.slice(DAILY_PREFIX.length).replace(/\|[^|]*$/, ""));
      // One command per user: their buckets are different keys (auto-pipelined).
      const fresh = await Promise.all(users.map((u) => subscribers.add(u as UserKey)));
      added += fresh.reduce((a, b) => a + b, 0);
    } while (cursor !== "0");
  }
  return added;
}
