// Finds every trace of a user in Redis under a test prefix: key names and stored values alike.
import type { TestRedis } from "./redis.js";
import { readAny } from "../../src/privacy/userdata.js";

export async function tracesOf(r: TestRedis, user: string): Promise<string[]> {
  const found: string[] = [];
  for (const key of await r.allKeys()) {
    if (key.includes(user)) {
      found.push(key);
      continue;
    }
    const v = await readAny(r.redis, key);
    if (v && JSON.stringify(v.value).includes(user)) found.push(`${key} (value)`);
  }
  return found;
}

/** Everything stored under keys whose name contains `user`, as comparable JSON. */
export async function snapshotOf(r: TestRedis, user: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const key of (await r.allKeys()).filter((k) => k.includes(user)).sort())
    out[key] = (await readAny(r.redis, key))?.value;
  return out;
}
