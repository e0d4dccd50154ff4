// The stores the conversation flows use (journal, moods, goals, applications), built in one
// place so main.ts and the tests wire them the same way. Flows reach them through
// `ctx.services.ext` (see core/flows/services.ts).
import type { Redis } from "ioredis";
import { Applications } from "./applications.js";
import { GoalsStore } from "./goals.js";
import { Journal } from "./journal.js";
import type { Keys } from "./keys.js";
import { Moods } from "./moods.js";

export interface FlowStores {
  journal: Journal;
  moods: Moods;
  goals: GoalsStore;
  applications: Applications;
}

export function createFlowStores(redis: Redis, keys: Keys, retentionMonths = 12): FlowStores {
  const ttl = Math.round(retentionMonths * 30.5 * 24 * 3600);
  return {
    journal: new Journal(redis, keys, ttl),
    moods: new Moods(redis, keys, ttl),
    goals: new GoalsStore(redis, keys, ttl),
    applications: new Applications(redis, keys, ttl),
  };
}
