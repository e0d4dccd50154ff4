// Job-search goals: one small hash per user (roles, industries, salary, weekly targets).
import type { RedisClient } from "./redis.js";
import type { Goals, GoalsStore } from "../core/ports/stores.js";
import type { UserKey } from "../core/types.js";
import type { Keys } from "./keys.js";

export class RedisGoals implements GoalsStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly retentionSeconds: number,
  ) {}

  async get(user: UserKey): Promise<Goals | undefined> {
    const h = await this.redis.hgetall(this.keys.user(user, "goals"));
    if (!h.updatedAt) return undefined;
    return {
      roles: h.roles || undefined,
      industries: h.industries || undefined,
      salary: h.salary || undefined,
      applications: Number(h.applications ?? 0),
      contacts: Number(h.contacts ?? 0),
      updatedAt: Number(h.updatedAt),
    };
  }

  async save(user: UserKey, g: Goals): Promise<void> {
    const key = this.keys.user(user, "goals");
    const fields: Record<string, string> = {
      roles: g.roles ?? "",
      industries: g.industries ?? "",
      salary: g.salary ?? "",
      applications: String(g.applications),
      contacts: String(g.contacts),
      updatedAt: String(g.updatedAt),
    };
    await this.redis.multi().del(key).hset(key, fields).expire(key, this.retentionSeconds).exec();
  }
}
