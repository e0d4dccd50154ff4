// Daily subscribers in bucketed sorted sets (src/schedule/store.ts, scripts.ts): one head
// `D:<b>` per bucket in the due index; the claim takes a bucket's due members, moves or drops
// its head; members an older version kept as `d:<user>` are still claimed and move into their
// bucket on ack, on /daily and at start; depth() counts subscribers, not heads. On real Redis.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BUCKET_HEAD, DAILY_PREFIX, DueIndex } from "../src/schedule/store.js";
import { schedCommands } from "../src/schedule/scripts.js";
import { dailyBucketOf, DAILY_BUCKETS } from "../src/store/keys.js";
import type { UserKey } from "../src/core/types.js";
import { testRedis, type TestRedis } from "./helpers/redis.js";

let r: TestRedis;
let index: DueIndex;
const T0 = Date.UTC(2026, 2, 1, 7, 0);
const DAY = 86_400_000;
beforeEach(async () => {
  r = await testRedis();
  index = new DueIndex(r.redis, r.keys, { now: () => T0 });
});
afterEach(() => r.cleanup());

/** `n` Telegram users whose keys fall in one daily bucket. */
function sameBucket(n: number): { users: UserKey[]; bucket: number } {
  const byBucket = new Map<number, UserKey[]>();
  for (let i = 1; ; i++) {
    const u = `telegram:${1000 + i}` as UserKey;
    const list = byBucket.get(dailyBucketOf(u)) ?? [];
    list.push(u);
    byBucket.set(dailyBucketOf(u), list);
    if (list.length === n) return { users: list, bucket: dailyBucketOf(u) };
  }
}
const head = (b: number) => r.redis.zscore(r.keys.sched("due"), BUCKET_HEAD + b);
/** Claims everything due at `now` and acks each daily at `next` (as a tick does). */
async function claimAndAck(now: number, limit: number, next: number) {
  const claimed = await index.claim(now, limit, 60_000);
  await index.ackAll(claimed.map((c) => ({ lease: c.lease, dailyNext: { user: c.item.user, at: next } })));
  return claimed;
}

describe("daily buckets", () => {
  it("keeps a subscriber as a bucket member under one head at the bucket's first time", async () => {
    const { users, bucket } = sameBucket(3);
    await index.setDaily(users[0]!, T0 + 3000);
    await index.setDaily(users[1]!, T0 + 1000);
    await index.setDaily(users[2]!, T0 + 2000);
    expect(await r.redis.zcard(r.keys.sched("due"))).toBe(1);
    expect(Number(await head(bucket))).toBe(T0 + 1000);
    expect(await r.redis.object("ENCODING", r.keys.dailyBucket(bucket))).toBe("listpack");
    expect(await index.dailyAt(users[2]!)).toBe(T0 + 2000);
  });

  it("claims a bucket's due members in batches, moves the head to the next one, and drops it when empty", async () => {
    const { users, bucket } = sameBucket(5);
    for (const [i, u] of users.entries()) await index.setDaily(u, T0 + i);
    await index.setDaily(users[4]!, T0 + DAY); // not due today
    const first = await index.claim(T0 + 10, 2, 60_000);
    expect(first.map((c) => [c.item.kind, c.item.user, c.item.dueAt])).toEqual([
      ["daily", users[0], T0],
      ["daily", users[1], T0 + 1],
    ]);
    expect(first[0]!.lease).toBe(`${DAILY_PREFIX}${users[0]}|${T0}`);
    expect(Number(await head(bucket))).toBe(T0 + 2);
    const second = await index.claim(T0 + 10, 10, 60_000);
    expect(second.map((c) => c.item.user)).toEqual([users[2], users[3]]);
    expect(Number(await head(bucket))).toBe(T0 + DAY);
    expect(await index.claim(T0 + 10, 10, 60_000)).toEqual([]);
    await index.ackAll([...first, ...second].map((c) => ({ lease: c.lease })));

    await index.setDaily(users[0]!, T0 + 2 * DAY);
    await index.removeDaily(users[4]!);
    // The head is early now: a claim at its time finds nothing and moves it to the bucket's first.
    expect(Number(await head(bucket))).toBe(T0 + DAY);
    expect(await index.claim(T0 + DAY, 10, 60_000)).toEqual([]);
    expect(Number(await head(bucket))).toBe(T0 + 2 * DAY);
    // The last one gone, the head goes with the bucket.
    expect(await index.removeDaily(users[0]!)).toBe(true);
    expect(await head(bucket)).toBeNull();
    expect(await r.redis.exists(r.keys.dailyBucket(bucket))).toBe(0);
    expect(await index.removeDaily(users[0]!)).toBe(false);
  });

  it("puts an acked subscriber back at the next time, keeping a newer time set by /daily meanwhile", async () => {
    const { users, bucket } = sameBucket(2);
    await index.setDaily(users[0]!, T0);
    await index.setDaily(users[1]!, T0);
    const claimed = await index.claim(T0, 10, 60_000);
    expect(claimed).toHaveLength(2);
    expect(await head(bucket)).toBeNull();
    await index.setDaily(users[1]!, T0 + 5 * DAY); // changed while its delivery was being enqueued
    await index.ackAll(claimed.map((c) => ({ lease: c.lease, dailyNext: { user: c.item.user, at: T0 + DAY } })));
    expect(await r.redis.zcard(r.keys.sched("lease"))).toBe(0);
    expect(await index.dailyAt(users[0]!)).toBe(T0 + DAY);
    expect(await index.dailyAt(users[1]!)).toBe(T0 + 5 * DAY);
    expect(Number(await head(bucket))).toBe(T0 + DAY);
  });

  it("claims a member an older version kept in the index, and its ack moves it into the bucket", async () => {
    const user = "telegram:77" as UserKey;
    await r.redis.zadd(r.keys.sched("due"), T0, DAILY_PREFIX + user);
    expect(await index.dailyAt(user)).toBe(T0);
    const claimed = await claimAndAck(T0, 10, T0 + DAY);
    expect(claimed.map((c) => [c.item.kind, c.item.user, c.lease])).toEqual([["daily", user, `d:${user}|${T0}`]]);
    expect(await r.redis.zscore(r.keys.sched("due"), DAILY_PREFIX + user)).toBeNull();
    expect(Number(await r.redis.zscore(r.keys.dailyBucket(dailyBucketOf(user)), user))).toBe(T0 + DAY);
    expect(await index.dailyAt(user)).toBe(T0 + DAY);
  });

  it("/daily again or /stop reach a member an older version kept: never two entries for one user", async () => {
    const [a, b] = ["telegram:81", "telegram:82"] as [UserKey, UserKey];
    await r.redis.zadd(r.keys.sched("due"), T0, DAILY_PREFIX + a, T0, DAILY_PREFIX + b);
    await index.setDaily(a, T0 + 60_000);
    expect(await r.redis.zscore(r.keys.sched("due"), DAILY_PREFIX + a)).toBeNull();
    expect(await index.removeDaily(b)).toBe(true);
    expect(await index.dailyAt(b)).toBeUndefined();
    expect((await claimAndAck(T0 + 60_000, 10, T0 + DAY)).map((c) => c.item.user)).toEqual([a]);
  });

  it("moves every old member into its bucket at start, keeping a newer time, and twice is harmless", async () => {
    const users = Array.from({ length: 2500 }, (_, i) => `whatsapp:2782${String(i).padStart(7, "0")}` as UserKey);
    const flat = users.flatMap((u, i) => [T0 + (i % 7), DAILY_PREFIX + u]);
    await r.redis.zadd(r.keys.sched("due"), ...flat);
    await index.add({ user: "telegram:5", kind: "reminder", dueAt: T0, text: "call Thandi" });
    await index.setDaily(users[0]!, T0 + DAY); // set by a new process before the move
    const [one, two] = await Promise.all([index.moveDailies(), index.moveDailies()]);
    expect(one + two).toBe(users.length - 1); // users[0] left the index when it was set again
    expect(await index.moveDailies()).toBe(0);
    const members = await r.redis.zrange(r.keys.sched("due"), 0, -1);
    expect(members.filter((m) => m.startsWith(DAILY_PREFIX))).toEqual([]);
    expect(members.filter((m) => !m.startsWith(BUCKET_HEAD))).toHaveLength(1); // the reminder
    expect(await index.dailyAt(users[0]!)).toBe(T0 + DAY);
    expect(await index.dailyAt(users[2]!)).toBe(T0 + 2);
    const claimed = await index.claim(T0 + 10, 5000, 60_000);
    expect(claimed.filter((c) => c.item.kind === "daily")).toHaveLength(users.length - 1);
    expect(new Set(claimed.map((c) => c.item.user)).size).toBe(claimed.length);
  });

  it("does not move an old member a claim took between the scan and the move", async () => {
    const user = "telegram:91" as UserKey;
    await r.redis.zadd(r.keys.sched("due"), T0, DAILY_PREFIX + user);
    // What moveDailies' scan saw; then another process claims the member before the move.
    expect((await index.claim(T0, 10, 60_000)).map((c) => c.item.user)).toEqual([user]);
    const cmd = schedCommands(r.redis);
    const moved = await cmd.bbSchedMoveDailies(
      r.keys.sched("due"),
      r.keys.dailyBucketPrefix(),
      user,
      String(dailyBucketOf(user)),
    );
    expect(moved).toBe(0);
    expect(await index.dailyAt(user)).toBeUndefined(); // leased: its ack puts it back
    expect(await r.redis.zcard(r.keys.sched("due"))).toBe(0);
  });

  it("depth() counts subscribers and reminders, due and in all, not the buckets' heads", async () => {
    const { users } = sameBucket(3);
    await index.setDaily(users[0]!, T0 - 1);
    await index.setDaily(users[1]!, T0 - 2);
    await index.setDaily(users[2]!, T0 + DAY);
    await index.setDaily("telegram:9" as UserKey, T0 + DAY);
    await index.add({ user: "telegram:5", kind: "reminder", dueAt: T0, text: "call Thandi" });
    await r.redis.zadd(r.keys.sched("due"), T0 - 5, `${DAILY_PREFIX}telegram:88`);
    expect(await index.depth(T0)).toEqual({ due: 4, leased: 0, total: 6 });
    await index.claim(T0, 2, 60_000);
    expect(await index.depth(T0)).toEqual({ due: 2, leased: 2, total: 4 });
  });

  it("spreads users over all the buckets", () => {
    const seen = new Set(Array.from({ length: 20_000 }, (_, i) => dailyBucketOf(`telegram:${5_000_000 + i}`)));
    expect(seen.size).toBe(DAILY_BUCKETS);
  });
});
