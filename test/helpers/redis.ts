// Real Redis for every test, isolated by a random key prefix and cleaned after: the suite's
// redis-server, or in the vitest project "cluster" its Redis Cluster (test/setup/cluster.ts).
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, inject } from "vitest";
import { Cluster, Redis } from "ioredis";
import { Keys } from "../../src/store/keys.js";
import { mastersOf } from "../../src/store/redis.js";

export function redisUrl(): string {
  return inject("redisUrl");
}

/** Is this test file running against the suite's Redis Cluster? */
export function onCluster(): boolean {
  return inject("redisMode") === "cluster";
}

export interface TestRedis {
  /** The single Redis's URL; "" on a cluster. */
  url: string;
  /** A Cluster client in the project "cluster" (typed as one Redis: the commands are the same). */
  redis: Redis;
  prefix: string;
  keys: Keys;
  /** How the bot reaches this Redis: REDIS_URL, or REDIS_CLUSTER_NODES. */
  env?: Record<string, string>;
  /** Every key under this test's prefix (BullMQ's included), on every master of a cluster. */
  allKeys(): Promise<string[]>;
  cleanup(): Promise<void>;
}

/** Seeds "h:p,h:p" as ioredis takes them. */
export function seedList(seeds: string): { host: string; port: number }[] {
  return seeds.split(",").map((s) => ({ host: s.split(":")[0]!, port: Number(s.split(":")[1]) }));
}

export async function testRedis(o: { clusterNodes?: string } = {}): Promise<TestRedis> {
  const seeds = o.clusterNodes ?? (onCluster() ? inject("clusterNodes") : "");
  const url = seeds ? "" : redisUrl();
  const redis = seeds
    ? (new Cluster(seedList(seeds), {
        scaleReads: "master",
        redisOptions: { maxRetriesPerRequest: 3 },
      }) as unknown as Redis)
    : new Redis(url, { maxRetriesPerRequest: 3 });
  const prefix = `t${randomBytes(5).toString("hex")}`;
  const allKeys = async () => {
    const found: string[] = [];
    // SCAN walks one node: a cluster's keys are spread over its masters.
    if (seeds) await (redis as unknown as Cluster).ping();
    for (const node of mastersOf(redis)) {
      let cursor = "0";
      do {
        const [next, batch] = await node.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
        cursor = next;
        found.push(...batch);
      } while (cursor !== "0");
    }
    return found;
  };
  return {
    url,
    redis,
    prefix,
    keys: new Keys(prefix),
    env: seeds ? { REDIS_URL: "", REDIS_CLUSTER_NODES: seeds } : { REDIS_URL: url },
    allKeys,
    async cleanup() {
      const keys = await allKeys();
      // One DEL per key on a cluster: a DEL of several keys must keep to one slot.
      if (seeds) await Promise.all(keys.map((k) => redis.del(k)));
      else for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
      redis.disconnect();
    },
  };
}

/**
 * A Redis prefix of its own for every test of the file: registers the beforeEach that makes it
 * and the afterEach that deletes its keys, and returns the object the tests read (its fields are
 * the running test's).
 */
export function redisPerTest(): TestRedis {
  const current = {} as TestRedis;
  beforeEach(async () => {
    Object.assign(current, await testRedis());
  });
  afterEach(() => current.cleanup());
  return current;
}

/**
 * Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`: a
 * deadline for reporting a failure, generous so that a loaded machine passes, never a claim
 * about speed.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 15_000,
  what = "condition",
): Promise<Exclude<T, undefined | false>> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as Exclude<T, undefined | false>;
    } catch (e) {
      last = e;
    }
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
