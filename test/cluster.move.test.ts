// Moving a deployment from one Redis to a Redis Cluster, the way docs/scaling.md says: stop the
// bot, copy every key with `redis-cli --cluster import --cluster-copy` (TTLs kept), start the bot
// with REDIS_CLUSTER_NODES. The key layout is the same on both, so nothing is renamed: the
// reminder, the daily subscription, the conversation and the deployment's keys (job ids, log
// salt) all carry over, and the reminder still comes once at its time. The one name that changed
// with this release, the send guard's, is read under its old name for a week after the upgrade.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, expect, inject, it } from "vitest";
import { DateTime } from "luxon";
import { Redis } from "ioredis";
import type { RunningApp } from "../src/app.js";
import type { UserKey } from "../src/core/types.js";
import { deliveryId, loadJobIdKey } from "../src/schedule/jobids.js";
import { FakeTelegram } from "./fakes/telegram.js";
import { en, FakeClock, settled, startTestBot } from "./helpers/bot.js";
import { eventually, onCluster, testRedis, type TestRedis } from "./helpers/redis.js";
import { freePort, startRedisServer } from "./setup/global.js";

const run = promisify(execFile);
const JHB = "Africa/Johannesburg";
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it.skipIf(!onCluster())(
  "a single Redis's keys copied into the cluster with redis-cli --cluster import: the bot carries on where it was",
  async () => {
    // The single Redis the deployment ran on.
    const dir = mkdtempSync(path.join(os.tmpdir(), "bb-move-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const port = await freePort();
    const server = await startRedisServer(port, dir, ["--appendonly", "yes"]);
    cleanups.push(() => void server.kill("SIGKILL"));
    const single = new Redis(`redis://127.0.0.1:${port}`);
    cleanups.push(() => single.disconnect());
    const target = await testRedis();
    cleanups.push(() => target.cleanup());
    const allSingle = async () => (await single.scan("0", "MATCH", `${target.prefix}:*`, "COUNT", 100_000))[1];
    const before: TestRedis = {
      ...target,
      url: `redis://127.0.0.1:${port}`,
      redis: single,
      env: { REDIS_URL: `redis://127.0.0.1:${port}` },
      allKeys: allSingle,
    };
    const tg = await new FakeTelegram().start();
    cleanups.push(() => tg.stop());
    const clock = new FakeClock(DateTime.fromISO("2026-11-26T10:00", { zone: JHB }).toMillis());
    const env = { SCHEDULER_TICK_SECONDS: "59" };

    let bot: RunningApp = await startTestBot({ redis: before, telegram: tg, clock, env });
    await tg.say(801, "/start", 2);
    await tg.tap(801, "start.consent:yes");
    await tg.say(801, "/remind tomorrow 9am call Thandi");
    await tg.tap(801, "remind.confirm:yes");
    await tg.say(801, "/daily 7:30");
    await tg.say(801, "/reflect", 2); // a conversation left open, with its TTL
    await bot.stop();
    const keysBefore = await before.allKeys();
    const salt = await single.get(before.keys.meta("logsalt"));
    expect(keysBefore.length).toBeGreaterThan(5);

    // The move: every key, copied (the source is left as it was, a fallback).
    const seed = inject("clusterNodes").split(",")[0]!;
    await run("redis-cli", ["--cluster", "import", seed, "--cluster-from", `127.0.0.1:${port}`, "--cluster-copy"], {
      encoding: "utf8",
    });
    expect((await target.allKeys()).sort()).toEqual(keysBefore.sort());
    expect(await target.redis.ttl(target.keys.user("telegram:801", "conv"))).toBeGreaterThan(0);

    bot = await startTestBot({ redis: target, telegram: tg, clock, env });
    cleanups.push(() => bot.stop());
    expect(await target.redis.get(target.keys.meta("logsalt"))).toBe(salt);
    // The open conversation goes on: /reflect asked what the interview was for.
    expect(await tg.say(801, "/cancel")).toEqual([en.text("core.cancelled")]);
    expect(await bot.schedule.index.list("telegram:801")).toHaveLength(1);
    expect(await bot.schedule.daily.status("telegram:801")).toMatchObject({ time: "07:30" });
    clock.set(DateTime.fromISO("2026-11-27T09:00", { zone: JHB }).toMillis());
    await bot.schedule.tick();
    await eventually(() => tg.texts(801).includes(en.text("remind.due", { what: "call Thandi" })));
    clock.advance(3600_000);
    await settled(bot);
    expect(tg.texts(801).filter((t) => t === en.text("remind.due", { what: "call Thandi" }))).toHaveLength(1);
  },
  60_000,
);

it.skipIf(!onCluster())(
  "a send guard under its pre-upgrade name still stops a replayed delivery",
  async () => {
    const r = await testRedis();
    cleanups.push(() => r.cleanup());
    const tg = await new FakeTelegram().start();
    cleanups.push(() => tg.stop());
    const T = DateTime.fromISO("2026-11-27T09:00", { zone: JHB }).toMillis();
    const clock = new FakeClock(T - 3600_000);
    // A deployment that sent before the upgrade: its job id key exists, and a guard under the old
    // name for the delivery about to be replayed (its job finished, its lease expired, claimed again).
    const key = await loadJobIdKey(r.redis, r.keys);
    const user = "telegram:802" as UserKey;
    const bot = await startTestBot({ redis: r, telegram: tg, clock, env: { SCHEDULER_TICK_SECONDS: "59" } });
    cleanups.push(() => bot.stop());
    await bot.services.state.profiles.set(user, { createdAt: clock.now(), lastSeenAt: clock.now() });
    const added = await bot.schedule.index.add({ user, kind: "reminder", dueAt: T, text: "call Thandi" });
    if (added.status !== "scheduled") throw new Error("not scheduled");
    await r.redis.set(r.keys.legacySent(deliveryId(added.item, key)), "sent", "EX", 3600);

    clock.set(T);
    expect(await bot.schedule.tick()).toBe(1);
    await settled(bot);
    expect(tg.texts(802)).toEqual([]);
    expect((await bot.schedule.index.stored(added.item.id))?.deliveredAt).toBeDefined();
  },
  60_000,
);
