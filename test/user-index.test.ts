// The bucketed user indexes (src/store/user-index.ts) on a real Redis: membership, a resumable
// scan that returns every user exactly once, the compact encoding of a bucket, the move from the
// old one-set index (once, twice, from two processes at once), and /forget leaving no member.
// The subscribers, read from the daily buckets instead: test/daily-subscribers.test.ts.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { UserKey } from "../src/core/types.js";
import { UserData } from "../src/privacy/userdata.js";
import { Daily } from "../src/schedule/daily.js";
import { DueIndex } from "../src/schedule/store.js";
import { INDEX_BUCKETS, indexBucketOf } from "../src/store/keys.js";
import { RedisProfiles } from "../src/store/profiles.js";
import { migrateIndexes, UserIndex } from "../src/store/user-index.js";
import { RedisSeenVariants } from "../src/store/variants.js";
import { testRedis, type TestRedis } from "./helpers/redis.js";

let r: TestRedis;
beforeEach(async () => {
  r = await testRedis();
});
afterEach(() => r.cleanup());

const usersFrom = (n: number, from = 1) =>
  Array.from({ length: n }, (_, i) => `${i % 3 ? "telegram" : "whatsapp"}:${from + i}` as UserKey);

/** Every user a full scan returns, resuming from each cursor it hands back, `count` at a time. */
async function scanAll(index: UserIndex, count: number): Promise<{ users: UserKey[]; calls: number }> {
  const users: UserKey[] = [];
  let cursor = "0";
  let calls = 0;
  do {
    const [next, batch] = await index.scan(cursor, count);
    users.push(...batch);
    cursor = next;
    calls++;
  } while (cursor !== "0");
  return { users, calls };
}

describe("UserIndex", () => {
  it("adds, removes and tells membership, each user in its own bucket key only", async () => {
    const index = new UserIndex(r.redis, r.keys, "users");
    expect(await index.add("telegram:1")).toBe(1);
    expect(await index.add("telegram:1")).toBe(0);
    expect(await index.has("telegram:1")).toBe(true);
    expect(await index.has("telegram:2")).toBe(false);
    const bucket = r.keys.indexBucket("users", indexBucketOf("telegram:1"));
    expect(await r.redis.hgetall(bucket)).toEqual({ "telegram:1": "" });
    expect(await r.allKeys()).toEqual([bucket]);
    expect(await index.remove("telegram:1")).toBe(1);
    expect(await index.has("telegram:1")).toBe(false);
    expect(await r.allKeys()).toEqual([]); // an emptied bucket is no key at all
  });

  it("scans every user exactly once across buckets, resuming from its cursor, and counts per channel", async () => {
    const index = new UserIndex(r.redis, r.keys, "users");
    const users = usersFrom(3000);
    await Promise.all(users.map((u) => index.add(u)));
    expect(new Set(users.map(indexBucketOf)).size).toBeGreaterThan(2000); // spread, not a few buckets

    const small = await scanAll(index, 7);
    expect(small.users.sort()).toEqual([...users].sort());
    expect(small.calls).toBeGreaterThan(100); // it did resume, many times
    const big = await scanAll(index, 1000);
    expect(big.users.sort()).toEqual([...users].sort());

    expect(await index.countByChannel()).toEqual({ telegram: 2000, whatsapp: 1000 });
    expect(await index.countByChannel(new Set(["telegram", "console"]))).toEqual({ telegram: 2000, console: 0 });
  });

  it("starts over on a cursor it did not make (an SSCAN cursor from before the buckets)", async () => {
    const index = new UserIndex(r.redis, r.keys, "users");
    await Promise.all(usersFrom(50).map((u) => index.add(u)));
    const fromOld = (await index.scan("1536", 1_000_000))[1];
    expect(fromOld.sort()).toEqual(usersFrom(50).sort());
    // A count of 0 still moves on (at least one user a call), so a loop over it ends.
    expect((await scanAll(index, 0)).users.sort()).toEqual(usersFrom(50).sort());
  });

  it("keeps a bucket of 100 users in the compact listpack encoding", async () => {
    const index = new UserIndex(r.redis, r.keys, "users");
    const target = indexBucketOf("telegram:1");
    const same: UserKey[] = [];
    for (let i = 1; same.length < 100; i++) if (indexBucketOf(`telegram:${i}`) === target) same.push(`telegram:${i}`);
    await Promise.all(same.map((u) => index.add(u)));
    const key = r.keys.indexBucket("users", target);
    expect(await r.redis.hlen(key)).toBe(100);
    expect(await r.redis.object("ENCODING", key)).toBe("listpack");
    expect(INDEX_BUCKETS).toBe(16384); // the count users are bucketed by never changes
  });
});

describe("the move from the old index set", () => {
  const seedOldSet = async (users: UserKey[]) => {
    for (let i = 0; i < users.length; i += 1000)
      await r.redis.sadd(r.keys.legacyIndex("users"), ...users.slice(i, i + 1000));
  };

  it("moves every member into its bucket and deletes the set; a second run does nothing", async () => {
    const users = usersFrom(2500);
    await seedOldSet(users);
    const index = new UserIndex(r.redis, r.keys, "users");
    expect(await index.migrateFromSet()).toBe(2500);
    expect(await r.redis.exists(r.keys.legacyIndex("users"))).toBe(0);
    expect((await scanAll(index, 500)).users.sort()).toEqual([...users].sort());
    expect(await index.migrateFromSet()).toBe(0);
    expect((await scanAll(index, 500)).users).toHaveLength(2500);
  });

  it("is harmless from two processes at once: every member once, the set gone", async () => {
    const users = usersFrom(4000, 10_000);
    await seedOldSet(users);
    // Two processes starting together: two connections, two instances.
    const other = await testRedis();
    try {
      const a = new UserIndex(r.redis, r.keys, "users");
      const b = new UserIndex(other.redis, r.keys, "users");
      const [movedA, movedB] = await Promise.all([a.migrateFromSet(), b.migrateFromSet()]);
      expect(movedA + movedB).toBe(4000); // each member removed from the set once
      expect(await r.redis.exists(r.keys.legacyIndex("users"))).toBe(0);
      const all = (await scanAll(a, 1000)).users;
      expect(all).toHaveLength(4000);
      expect(new Set(all)).toEqual(new Set(users));
    } finally {
      await other.cleanup();
    }
  });
});

describe("/forget", () => {
  it("leaves the user in no bucket of the index (nor of the old subscribers index), and others where they were", async () => {
    const clock = { now: () => Date.UTC(2026, 10, 1) };
    const scheduler = new DueIndex(r.redis, r.keys, { now: clock.now });
    const profiles = new RedisProfiles(r.redis, r.keys);
    const daily = new Daily(scheduler, profiles, clock, "Africa/Johannesburg");
    for (const u of ["telegram:41", "telegram:42"] as UserKey[]) {
      await profiles.touch(u, clock.now());
      await daily.subscribe(u, "07:00", "Africa/Johannesburg");
    }
    const users = new UserIndex(r.redis, r.keys, "users");
    // As an older process may still write it while a new one starts.
    const subscribers = new UserIndex(r.redis, r.keys, "subscribers");
    await subscribers.add("telegram:41");
    await subscribers.add("telegram:42");
    expect(await users.has("telegram:41")).toBe(true);

    const data = new UserData({
      redis: r.redis,
      keys: r.keys,
      clock,
      scheduler,
      daily,
      seen: new RedisSeenVariants(r.redis, r.keys),
      queued: { removeQueuedFor: async () => 0 },
    });
    await data.forget("telegram:41");
    expect((await scanAll(users, 100)).users).toEqual(["telegram:42"]);
    expect((await scanAll(subscribers, 100)).users).toEqual(["telegram:42"]);
  });
});

describe("migrateIndexes (at start, src/app.ts)", () => {
  it("moves the old users set and says so once; a later start finds nothing to move and logs nothing", async () => {
    await r.redis.sadd(r.keys.legacyIndex("users"), "telegram:1", "telegram:2");
    const lines: { o: object; msg: string }[] = [];
    const log = {
      info: (o: object, msg: string) => lines.push({ o, msg }),
      warn: (o: object, msg: string) => lines.push({ o, msg }),
    };
    await migrateIndexes(r.redis, r.keys, log);
    expect(lines).toEqual([{ o: { users: 2 }, msg: "user index set moved into buckets" }]);
    expect(await new UserIndex(r.redis, r.keys, "users").has("telegram:2")).toBe(true);
    expect(await r.allKeys()).not.toContain(r.keys.legacyIndex("users"));
    await migrateIndexes(r.redis, r.keys, log);
    expect(lines).toHaveLength(1);
  });
});
