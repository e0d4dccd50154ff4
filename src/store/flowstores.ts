// The stores the conversation flows use (journal, moods, goals, applications), on Redis, each
// expiring after the retention period. Flows reach them as `ctx.services.stores`.
import type { RedisClient } from "./redis.js";
import type { FlowStores } from "../core/ports/stores.js";
import { RedisApplications } from "./applications.js";
import { RedisGoals } from "./goals.js";
import { RedisJournal } from "./journal.js";
import type { Keys } from "./keys.js";
import { RedisMoods } from "./moods.js";

export function createFlowStores(redis: RedisClient, keys: Keys, retentionMonths = 12): FlowStores {
  const ttl = Math.round(retentionMonths * 30.5 * 24 * 3600);
  return {
    journal: new RedisJournal(redis, keys, ttl),
    moods: new RedisMoods(redis, keys, ttl),
    goals: new RedisGoals(redis, keys, ttl),
    applications: new RedisApplications(redis, keys, ttl),
  };
}
