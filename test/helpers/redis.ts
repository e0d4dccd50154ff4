// Real Redis for every test, isolated by a random key prefix and cleaned after.
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { Redis } from "ioredis";
import { Keys } from "../../src/store/keys.js";

export function redisUrl(): string {
  return inject("redisUrl");
}

export interface TestRedis {
  url: string;
  redis: Redis;
  prefix: string;
  keys: Keys;
  /** Every key under this test's prefix (BullMQ's included). */
  allKeys(): Promise<string[]>;
  cleanup(): Promise<void>;
}

export async function testRedis(): Promise<TestRedis> {
  const url = redisUrl();
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  const prefix = `t${randomBytes(5).toString("hex")}`;
  const allKeys = async () => {
    const found: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      found.push(...batch);
    } while (cursor !== "0");
    return found;
  };
  return {
    url,
    redis,
    prefix,
    keys: new Keys(prefix),
    allKeys,
    async cleanup() {
      const keys = await allKeys();
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
      redis.disconnect();
    },
  };
}

/**
 * Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`: a
 * deadline for reporting a failure, generous so that a loaded machine passes, never a claim
 * about speed.
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 15_000, what = "condition"): Promise<Exclude<T, undefined | false>> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as Exclude<T, undefined | false>;
    } catch (e) {
      last = e;
    }
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
