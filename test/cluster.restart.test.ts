// One master of a Redis Cluster restarted while reminders are due and being delivered: SIGTERM
// (Redis writes its AOF and exits), then started again from the same config file and AOF. The
// master is the one serving `{sched}` (the due index and every reminder's details), so while it
// is away no tick can claim and no delivery can check its item. None is lost, none comes twice.
// A cluster of its own: restarting the suite's would disturb the other cluster tests.
// Also: a reminder sent while that master is away is marked delivered once it is back (not left
// "upcoming" for ever), and a first message while the master of the users index is away is
// retried whole.
import { afterEach, expect, it } from "vitest";
import { Cluster } from "ioredis";
import { DateTime } from "luxon";
import type { RunningApp } from "../src/app.js";
import type { UserKey } from "../src/core/types.js";
import { createLogger } from "../src/log.js";
import { RedisTurns } from "../src/store/turns.js";
import { UserIndex } from "../src/store/user-index.js";
import { FakeTelegram } from "./fakes/telegram.js";
import { en, FakeClock, settled, startTestBot } from "./helpers/bot.js";
import { eventually, onCluster, testRedis } from "./helpers/redis.js";
import { startCluster } from "./setup/cluster.js";

const JHB = "Africa/Johannesburg";
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A cluster of this test's own (a master will be restarted), and Redis on it; stopped after the test. */
async function ownCluster() {
  const cluster = await startCluster({ nodeTimeoutMs: 5000 });
  cleanups.push(() => cluster.stop());
  const r = await testRedis({ clusterNodes: cluster.seeds });
  cleanups.push(() => r.cleanup().catch(() => undefined));
  return { cluster, r };
}

/** The same, with the fake Bot API and a debug log the test reads. */
async function withBot() {
  const own = await ownCluster();
  const tg = await new FakeTelegram().start();
  cleanups.push(() => tg.stop());
  const lines: string[] = [];
  const log = createLogger("debug", { write: (s: string) => void lines.push(s) });
  return { ...own, tg, lines, log };
}

it.skipIf(!onCluster())(
  "a master restarted while reminders are due: every reminder comes, none twice",
  async () => {
    const { cluster, r, tg, lines, log } = await withBot();
    const logged = (msg: string) => lines.filter((l) => l.includes(msg)).length;
    const T = DateTime.fromISO("2026-11-27T09:00", { zone: JHB }).toMillis();
    const clock = new FakeClock(T - 3600_000);
    // A slow channel (10 messages a second), so deliveries are still going when the master goes.
    const bot: RunningApp = await startTestBot({
      redis: r,
      telegram: tg,
      clock,
      log,
      env: { TELEGRAM_RATE_LIMIT: "10", SCHEDULER_TICK_SECONDS: "1", SCHEDULER_LEASE_SECONDS: "3" },
    });
    cleanups.push(() => bot.stop());
    expect(bot.redis).toBeInstanceOf(Cluster);

    const first = Array.from({ length: 30 }, (_, i) => 7400 + i);
    const second = Array.from({ length: 10 }, (_, i) => 7500 + i);
    // Users the bot knows (a delivery for a user without a profile renders nothing).
    for (const c of [...first, ...second])
      await bot.services.state.profiles.set(`telegram:${c}` as UserKey, {
        createdAt: clock.now(),
        lastSeenAt: clock.now(),
      });
    for (const c of first)
      await bot.schedule.index.add({
        user: `telegram:${c}` as UserKey,
        kind: "reminder",
        dueAt: T,
        text: `call Thandi ${c}`,
      });
    for (const c of second)
      await bot.schedule.index.add({
        user: `telegram:${c}` as UserKey,
        kind: "reminder",
        dueAt: T + 60_000,
        text: `call Thandi ${c}`,
      });
    const sched = await cluster.nodeFor(r.keys.sched("due"));
    expect(sched).not.toBe(await cluster.nodeFor(r.keys.sent("x"))); // the queues stay up meanwhile

    // The first batch falls due; once a few have gone out, the `{sched}` master stops.
    clock.set(T);
    await eventually(() => tg.sent().length >= 5, 20_000, "the first deliveries");
    await cluster.stopNode(sched);
    // The second batch falls due while it is away: ticks fail, and so do deliveries that must
    // read their item. Both are seen before the master comes back.
    clock.set(T + 60_000);
    const failedTicks = logged("schedule tick failed");
    await eventually(
      () => logged("schedule tick failed") > failedTicks,
      20_000,
      "a tick failing while the master is away",
    );
    await eventually(
      () => logged("delivery failed; will retry") > 0,
      20_000,
      "a delivery failing while the master is away",
    );
    expect(tg.sent().length).toBeLessThan(first.length + second.length);
    await cluster.startNode(sched);
    await cluster.ready();

    await eventually(
      () => tg.sent().length >= first.length + second.length,
      60_000,
      "every reminder delivered after the restart",
    );
    await settled(bot, 60_000);
    for (const c of [...first, ...second])
      expect(tg.texts(c), `chat ${c}`).toEqual([en.text("remind.due", { what: `call Thandi ${c}` })]);
    // Delivered and marked so: none is left upcoming.
    for (const c of [...first, ...second])
      expect(await bot.schedule.index.list(`telegram:${c}` as UserKey), `chat ${c}`).toEqual([]);
  },
  120_000,
);

it.skipIf(!onCluster())(
  "a new user's first turn while the users index's master is away: the next turn indexes them",
  async () => {
    const { cluster, r } = await ownCluster();
    const turns = new RedisTurns(r.redis, r.keys);
    const users = new UserIndex(r.redis, r.keys, "users");
    // The master of the users index's bucket for this user.
    const bucketOf = (u: UserKey) => cluster.nodeFor(r.keys.indexOf("users", u));
    // A user whose own keys live on another master than the index.
    let user = "telegram:900" as UserKey;
    for (let c = 900; (await cluster.nodeFor(r.keys.user(user, "profile"))) === (await bucketOf(user)); c++)
      user = `telegram:${c}` as UserKey;
    const index = await bucketOf(user);

    await cluster.stopNode(index);
    await expect(turns.begin(user, 1000)).rejects.toThrow();
    await cluster.startNode(index);
    await cluster.ready();
    expect(await users.has(user)).toBe(false);
    // The message is answered "give me a moment"; the user writes again: now they are new again,
    // and indexed (without it, retention would never find them).
    const next = await turns.begin(user, 2000);
    expect(next.profile).toMatchObject({ isNew: true, createdAt: 2000 });
    expect(await users.has(user)).toBe(true);
  },
  60_000,
);

it.skipIf(!onCluster())(
  "a reminder sent while the {sched} master goes away is marked delivered when it is back, and not sent again",
  async () => {
    const { cluster, r, tg, lines, log } = await withBot();
    const T = DateTime.fromISO("2026-11-27T09:00", { zone: JHB }).toMillis();
    const clock = new FakeClock(T - 60_000);
    const bot: RunningApp = await startTestBot({
      redis: r,
      telegram: tg,
      clock,
      log,
      env: { SCHEDULER_TICK_SECONDS: "59" },
    });
    cleanups.push(() => bot.stop());
    const user = "telegram:7600" as UserKey;
    await bot.services.state.profiles.set(user, { createdAt: clock.now(), lastSeenAt: clock.now() });
    const added = await bot.schedule.index.add({ user, kind: "reminder", dueAt: T, text: "call Thandi" });
    const id = added.status === "scheduled" ? added.item.id : "";
    const sched = await cluster.nodeFor(r.keys.sched("due"));

    // The Bot API holds the send until the master is down; the send guard is written once the
    // request is out.
    let release = () => {};
    tg.hold = new Promise<void>((r) => (release = r));
    clock.set(T);
    expect(await bot.schedule.tick()).toBe(1);
    await eventually(
      async () => (await r.allKeys()).some((k) => k.includes(":{q}:sent:")),
      10_000,
      "the send under way",
    );
    await cluster.stopNode(sched);
    // The send succeeds; marking the reminder delivered, in `{sched}`, cannot: the job fails.
    release();
    tg.hold = undefined;
    await eventually(
      () => lines.some((l) => l.includes("delivery failed; will retry")),
      20_000,
      "the job failing after the send",
    );
    await cluster.startNode(sched);
    await cluster.ready();

    // The retry finds the guard: nothing sent again, and the reminder marked delivered now.
    await eventually(
      async () => (await bot.schedule.index.stored(id))?.deliveredAt !== undefined,
      30_000,
      "the reminder marked delivered",
    );
    await settled(bot, 30_000);
    expect(tg.texts(7600)).toEqual([en.text("remind.due", { what: "call Thandi" })]);
    expect(await bot.schedule.index.list(user)).toEqual([]);
  },
  60_000,
);
