// Loose ends between the schedule, the channels and privacy, through the real bot (grammY
// against the fake Bot API, BullMQ, Redis): a refused reply stops the user's schedule; /forget
// with the real scheduler leaves nothing of the user anywhere under the prefix, queues included;
// a due item whose renderer has nothing to say sends nothing and is done.
import { DateTime } from "luxon";
import type { UserKey } from "../src/core/types.js";
import { deliveryId, loadJobIdKey } from "../src/schedule/jobids.js";
import { en } from "./helpers/bot.js";
import { describe, expect, test } from "./helpers/fixtures.js";
import { eventually, type TestRedis } from "./helpers/redis.js";
import { snapshotOf, tracesOf } from "./helpers/userscan.js";

const JHB = "Africa/Johannesburg";
const it = test.override({
  startAt: DateTime.fromISO("2026-11-26T10:00", { zone: JHB }).toMillis(),
  env: { SCHEDULER_TICK_SECONDS: "59" },
});

const key = (u: number): UserKey => `telegram:${u}`;

async function failedCount(r: TestRedis, field: string): Promise<number> {
  const failedKeys = (await r.allKeys()).filter((k) => k.startsWith(`${r.prefix}:stat:failed:`));
  const hashes = await Promise.all(failedKeys.map((k) => r.redis.hgetall(k)));
  return hashes.reduce((n, h) => n + Number(h[field] ?? 0), 0);
}

describe("a user who blocked the bot, found out by a reply", () => {
  it("loses the daily subscription and reminders, and is counted, like a gone delivery", async ({
    telegram: tg,
    redis: r,
    bot,
    clock,
  }) => {
    await tg.say(711, "/start", 2);
    await bot.schedule.daily.subscribe(key(711), "07:00", JHB);
    await bot.schedule.index.add({ user: key(711), kind: "reminder", dueAt: clock.now() + 86_400_000, text: "call" });
    tg.fail({
      method: "sendMessage",
      code: 403,
      description: "Forbidden: bot was blocked by the user",
      chats: ["711"],
      times: Infinity,
    });
    tg.text(711, "/help");
    await eventually(
      async () =>
        (await bot.schedule.daily.status(key(711))) === undefined &&
        (await bot.schedule.index.list(key(711))).length === 0,
      5000,
      "daily and reminders ended",
    );
    expect(await bot.schedule.index.list(key(711))).toEqual([]);
    expect(await bot.schedule.index.dailyAt(key(711))).toBeUndefined();
    expect(await failedCount(r, "telegram|gone|blocked")).toBe(1);
    expect(await r.redis.sismember(r.keys.counter("blocked:telegram"), key(711))).toBe(1);
  });
});

describe("/forget with the real schedule and delivery queues", () => {
  it("leaves no key, field, job or value of the user under the prefix; another user keeps everything", async ({
    telegram: tg,
    redis: r,
    bot,
    clock,
  }) => {
    const [a, b] = [7101, 7202];
    const stores = bot.services.stores;
    for (const u of [a, b]) {
      await tg.say(u, "/start", 2);
      await bot.schedule.daily.subscribe(key(u), "07:00", JHB);
      await bot.schedule.index.add({
        user: key(u),
        kind: "reminder",
        dueAt: clock.now() + 7 * 86_400_000,
        text: `later ${u}`,
      });
      await stores.journal.add(key(u), {
        at: clock.now(),
        prepared: "yes",
        skills: "partly",
        connected: "no",
        differently: `notes ${u}`,
      });
      await stores.moods.add(key(u), { at: clock.now(), mood: 3, word: `tired ${u}` });
    }
    // A daily message delivered (BullMQ keeps the finished job, with its data, for a day)...
    clock.set(DateTime.fromISO("2026-11-27T07:00", { zone: JHB }).toMillis());
    expect(await bot.schedule.tick()).toBe(2);
    await eventually(() => tg.texts(a).length === 3 && tg.texts(b).length === 3, 5000, "daily delivered");
    // ...and a reminder waiting in the queue (paused, so it stays waiting).
    const queue = bot.schedule.queues.queue("telegram");
    await queue.pause();
    const soon: string[] = [];
    const jobIdKey = await loadJobIdKey(r.redis, r.keys);
    for (const u of [a, b]) {
      const added = await bot.schedule.index.add({
        user: key(u),
        kind: "reminder",
        dueAt: clock.now() + 60_000,
        text: `soon ${u}`,
      });
      if (added.status === "scheduled") soon.push(deliveryId(added.item, jobIdKey));
    }
    clock.advance(60_000);
    expect(await bot.schedule.tick()).toBe(2);
    expect(await queue.getWaitingCount()).toBe(2);
    // ...and a broadcast's job for each subscriber, waiting too.
    await bot.schedule.broadcasts.start({ text: "news for everyone", audience: "all", by: "telegram:1", planned: 2 });
    await eventually(
      async () => (
        await bot.schedule.broadcasts.step(1000),
        (await queue.getPrioritizedCount()) + (await queue.getWaitingCount()) === 4
      ),
      5000,
      "broadcast queued",
    );

    expect((await tracesOf(r, key(a))).length).toBeGreaterThan(5);
    // The whole scan must find the user in the schedule's hash fields and the jobs' data before /forget.
    const before = await tracesOf(r, key(a));
    expect(before.some((k) => k.endsWith("{sched}:items (value)"))).toBe(true);
    expect(before.some((k) => k.includes(":{q}:deliver-telegram:") && k.endsWith("(value)"))).toBe(true);
    const othersBefore = await snapshotOf(r, key(b));

    expect(await tg.say(a, "/forget")).toEqual([en.text("privacy.forget_ask")]);
    expect(await tg.tap(a, "forget.confirm:yes")).toEqual([en.text("privacy.forgotten")]);

    expect(await tracesOf(r, key(a))).toEqual([]);
    // Job ids, send guards and BullMQ's event stream never carried the user's id (keyed hashes).
    expect(await tracesOf(r, String(a))).toEqual([]);
    expect(await queue.getJob(soon[0]!)).toBeUndefined();
    const broadcastJobs = await queue.getJobs(["prioritized", "waiting"]);
    expect(broadcastJobs.filter((j) => j.data.kind === "broadcast").map((j) => j.data.user)).toEqual([key(b)]);

    // The other user: same keys and values, their waiting job, reminders and subscription.
    expect(await snapshotOf(r, key(b))).toEqual(othersBefore);
    expect((await queue.getJob(soon[1]!))?.data.user).toBe(key(b));
    expect(await bot.schedule.index.list(key(b))).toHaveLength(2);
    expect(await bot.schedule.daily.status(key(b))).toBeDefined();
    await queue.resume();
    await eventually(
      () =>
        tg.texts(b).includes(en.text("remind.due", { what: `soon ${b}` })) && tg.texts(b).includes("news for everyone"),
      5000,
      "b's reminder and broadcast",
    );
  });
});

describe("a due item with nothing to say", () => {
  it("sends nothing (no empty message) and is no longer listed as upcoming", async ({
    telegram: tg,
    redis: r,
    bot,
    clock,
  }) => {
    await tg.say(721, "/start", 2);
    const added = await bot.schedule.index.add({ user: key(721), kind: "goals_weekly", dueAt: clock.now() + 1000 });
    if (added.status !== "scheduled") throw new Error("not scheduled");
    expect(await bot.schedule.index.list(key(721))).toHaveLength(1);
    clock.advance(1000);
    expect(await bot.schedule.tick()).toBe(1);
    const queue = bot.schedule.queues.queue("telegram");
    const jobId = deliveryId(added.item, await loadJobIdKey(r.redis, r.keys));
    expect(await queue.getJob(jobId)).toBeDefined();
    // Finished jobs are deleted at once (removeOnComplete): gone means processed.
    await eventually(async () => (await queue.getJob(jobId)) === undefined, 5000, "job done");
    expect(await queue.getFailedCount()).toBe(0);
    expect(await bot.schedule.index.list(key(721))).toEqual([]);
    // Only the two /start messages: nothing (and nothing empty) was sent for the due item.
    expect(tg.sent(721).filter((c) => c.method === "sendMessage")).toHaveLength(2);
  });
});
