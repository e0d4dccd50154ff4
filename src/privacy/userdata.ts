// Everything stored about one user, read and deleted generically: every part in USER_PARTS,
// whatever its Redis type, so data that later modules add under `keys.user(user, part)` is
// exported by /mydata and deleted by /forget without touching this file. Schedules live in
// shared keys and are reached through the core's Scheduler port (`removeAllFor`, `list`) and
// the schedule's queues.
import type { RedisClient } from "../store/redis.js";
import type { Clock } from "../core/clock.js";
import type { ForgetResult, StoredValue, UserDataService, UserExport } from "../core/ports/privacy.js";
import type { DailyService, Scheduler } from "../core/ports/schedule.js";
import type { UserKey } from "../core/types.js";
import { USER_PARTS, type Keys, type UserPart } from "../store/keys.js";
import { userSets } from "../store/stats.js";
import { INDEX_NAMES, UserIndex } from "../store/user-index.js";
import type { RedisSeenVariants } from "../store/variants.js";

/** Special personal information (POPIA): deleted when consent is withdrawn, and after RETENTION_MONTHS. */
export const SENSITIVE_PARTS: readonly UserPart[] = ["journal", "moods"];

export interface QueuedDeliveries {
  /**
   * Removes the user's waiting delivery jobs; returns how many. Nothing would be sent anyway
   * (the worker renders at delivery time, and renders nothing for a user without a profile),
   * but the job's data would sit in Redis until its turn.
   */
  removeQueuedFor(user: UserKey): Promise<number>;
}

export interface UserDataOptions {
  redis: RedisClient;
  keys: Keys;
  clock: Clock;
  scheduler: Scheduler;
  daily: Pick<DailyService, "status">;
  /** Reads the variants seen, stored as short codes, back as their ids (the engine's own instance). */
  seen: Pick<RedisSeenVariants, "plain">;
  queued: QueuedDeliveries;
}

export class UserData implements UserDataService {
  constructor(private readonly o: UserDataOptions) {}

  async export(user: UserKey): Promise<UserExport> {
    const stored: Record<string, StoredValue> = {};
    for (const part of USER_PARTS) {
      const v = await readAny(this.o.redis, this.o.keys.user(user, part));
      // The variants seen are stored as short codes (store/variants.ts): shown as their ids.
      if (v?.type === "hash" && part === "seen") v.value = await this.o.seen.plain(v.value);
      if (v) stored[part] = v;
    }
    return {
      user,
      exportedAt: new Date(this.o.clock.now()).toISOString(),
      stored,
      reminders: await this.o.scheduler.list(user),
      daily: (await this.o.daily.status(user)) ?? null,
    };
  }

  async forget(user: UserKey): Promise<ForgetResult> {
    // Schedules first: if deleting the keys failed midway, no reminder fires for a half-gone user.
    const scheduled = (await this.o.scheduler.removeAllFor(user)) + (await this.o.queued.removeQueuedFor(user));
    const { redis, keys } = this.o;
    // Separate commands, not one MULTI: the user's keys share a Cluster slot, the indexes and
    // sets do not. The connection auto-pipelines them into one round trip anyway.
    const [deleted] = await Promise.all([
      redis.del(...USER_PARTS.map((p) => keys.user(user, p))),
      ...INDEX_NAMES.map((name) => new UserIndex(redis, keys, name).remove(user)),
      // The subscribers index is deleted at start; an older process may still write it meanwhile.
      new UserIndex(redis, keys, "subscribers").remove(user),
      ...userSets(keys).map((set) => redis.srem(set, user)),
    ]);
    return { status: "forgotten", keys: deleted, scheduled };
  }

  async dropSensitive(user: UserKey): Promise<number> {
    return this.o.redis.del(...SENSITIVE_PARTS.map((p) => this.o.keys.user(user, p)));
  }
}

/** Reads a key whatever its type; JSON text is parsed so the export is readable. Undefined if absent. */
export async function readAny(redis: RedisClient, key: string): Promise<StoredValue | undefined> {
  const type = await redis.type(key);
  switch (type) {
    case "none":
      return undefined;
    case "string":
      return { type, value: maybeJson((await redis.get(key)) ?? "") };
    case "hash": {
      const h = await redis.hgetall(key);
      return { type, value: Object.fromEntries(Object.entries(h).map(([k, v]) => [k, maybeJson(v)])) };
    }
    case "list":
      return { type, value: (await redis.lrange(key, 0, -1)).map(maybeJson) };
    case "set":
      return { type, value: (await redis.smembers(key)).map(maybeJson) };
    case "zset": {
      const flat = await redis.zrange(key, 0, -1, "WITHSCORES");
      const value: { member: unknown; score: number }[] = [];
      for (let i = 0; i < flat.length; i += 2) value.push({ member: maybeJson(flat[i]!), score: Number(flat[i + 1]) });
      return { type, value };
    }
    case "stream": {
      const entries = await redis.xrange(key, "-", "+");
      return {
        type,
        value: entries.map(([id, kv]) => {
          const fields: Record<string, unknown> = {};
          for (let i = 0; i < kv.length; i += 2) fields[kv[i]!] = maybeJson(kv[i + 1]!);
          return { id, fields };
        }),
      };
    }
    default:
      // A type this code does not know yet (a module using JSON or a probabilistic type): say so
      // rather than drop it silently from an export that promises everything.
      return { type: "string", value: `(stored as Redis type "${type}")` };
  }
}

function maybeJson(s: string): unknown {
  const c = s.trimStart()[0];
  if (c !== "{" && c !== "[" && c !== '"') return s;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
}
