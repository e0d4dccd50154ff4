// The daily subscribers as /broadcast and /stats read them (src/store/daily-subscribers.ts):
// from the due index's daily buckets, with subscribers whose delivery is being enqueued and
// members an older version kept in the index; and the old subscribers index deleted once at
// start. On real Redis.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { UserKey } from "../src/core/types.js";
import { DueIndex } from "../src/schedule/store.js";
import { DailySubscribers, dropSubscribersIndex } from "../src/store/daily-subscribers.js";
import { UserIndex } from "../src/store/user-index.js";
import { testRedis, type TestRedis } from "./helpers/redis.js";

let r: TestRedis;
let index: DueIndex;
let subs: DailySubscribers;
const T0 = Date.UTC(2026, 10, 1, 5, 0);
beforeEach(async () => {
  r = await testRedis();
  index = new DueIndex(r.redis, r.keys);
  subs = new DailySubscribers(r.redis, r.keys);
});
afterEach(() => r.cleanup());

/** Every user a full scan returns, resuming from each cursor it hands back. */
async function scanAll(count: number, from = "0"): Promise<{ users: UserKey[]; calls: number }> {
  const users: UserKey[] = [];
  let cursor = from;
  let calls = 0;
  do {
    const [next, batch] = await subs.scan(cursor, count);
    users.push(...batch);
    cursor = next;
    calls++;
  } while (cursor !== "0");
  return { users, calls };
}

describe("DailySubscribers", () => {
  it("returns every subscriber once, resuming from its cursor, and counts them per channel", async () => {
    const users = Array.from({ length: 3000 }, (_, i) => `${i % 3 ? "telegram" : "whatsapp"}:${100 + i}` as UserKey);
    for (let i = 0; i < users.length; i += 500)
      await Promise.all(users.slice(i, i + 500).map((u, j) => index.setDaily(u, T0 + j)));
    await index.add({ user: "telegram:5", kind: "reminder", dueAt: T0, text: "not a subscriber" });
    const { users: seen, calls } = await scanAll(200);
    expect(seen.sort()).toEqual([...users].sort());
    expect(calls).toBeGreaterThan(10); // it did resume, about 200 at a time
    expect(await subs.countByChannel()).toEqual({ telegram: 2000, whatsapp: 1000 });
    expect(await subs.countByChannel(new Set(["whatsapp", "console"] as const))).toEqual({
      whatsapp: 1000,
      console: 0,
    });
  });

  it("follows /daily and /stop, and includes a delivery being enqueued and an older version's member", async () => {
    await index.setDaily("telegram:1", T0);
    await index.setDaily("telegram:2", T0 + 3600_000);
    await index.setDaily("telegram:3", T0 + 3600_000);
    await index.removeDaily("telegram:3");
    await index.removeAllFor("telegram:2");
    await index.setDaily("telegram:4", T0 + 3600_000);
    expect((await scanAll(100)).users.sort()).toEqual(["telegram:1", "telegram:4"]);
    // telegram:1 claimed (its lease `d:telegram:1|<due>`), and a member kept by an older version.
    expect((await index.claim(T0, 10, 60_000)).map((c) => c.item.user)).toEqual(["telegram:1"]);
    await r.redis.zadd(r.keys.sched("due"), T0 + 7200_000, "d:whatsapp:27830000004");
    expect((await scanAll(100)).users.sort()).toEqual(["telegram:1", "telegram:4", "whatsapp:27830000004"]);
  });

  it("starts over on a cursor the subscribers index made", async () => {
    await index.setDaily("telegram:1", T0);
    await index.setDaily("telegram:2", T0);
    // "b900" was bucket 900 of the old index: as a bucket number here it would skip users.
    expect((await scanAll(100, "b900")).users.sort()).toEqual(["telegram:1", "telegram:2"]);
  });
});

describe("dropSubscribersIndex (at start)", () => {
  it("deletes the old index's buckets and set once, leaving the users index and the subscribers alone", async () => {
    const old = new UserIndex(r.redis, r.keys, "subscribers");
    const users = new UserIndex(r.redis, r.keys, "users");
    for (const u of ["telegram:1", "telegram:2", "whatsapp:3"] as UserKey[]) {
      await old.add(u);
      await users.add(u);
      await index.setDaily(u, T0);
    }
    await r.redis.sadd(r.keys.legacyIndex("subscribers"), "telegram:9");
    // A deployment that never kept the index (no mark of the versions that did): nothing to do.
    expect(await dropSubscribersIndex(r.redis, r.keys)).toBe(0);
    expect(await old.countByChannel()).toEqual({ telegram: 2, whatsapp: 1 });
    await r.redis.set(r.keys.meta("subscribers-backfilled"), "1");
    expect(await dropSubscribersIndex(r.redis, r.keys)).toBe(4);
    const left = await r.allKeys();
    expect(left.filter((k) => k.includes(":idx:subscribers") || k.includes("subscribers-backfilled"))).toEqual([]);
    expect(await users.countByChannel()).toEqual({ telegram: 2, whatsapp: 1 });
    expect(await subs.countByChannel()).toEqual({ telegram: 2, whatsapp: 1 });
    // A later start reads one key; an older process started again marks it, and it goes again.
    await old.add("telegram:1");
    expect(await dropSubscribersIndex(r.redis, r.keys)).toBe(0);
    await r.redis.set(r.keys.meta("subscribers-backfilled"), "1");
    expect(await dropSubscribersIndex(r.redis, r.keys)).toBe(1);
  });
});
