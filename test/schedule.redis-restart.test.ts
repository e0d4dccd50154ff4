// A reminder survives a Redis restart (AOF on): set it, kill Redis hard, start it again from
// its append-only file, and the reminder still comes at its time.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { afterEach, expect, it } from "vitest";
import { DateTime } from "luxon";
import { Redis } from "ioredis";
import { FakeTelegram } from "./fakes/telegram.js";
import { en, FakeClock, startTestBot } from "./helpers/bot.js";
import { eventually } from "./helpers/redis.js";
import { freePort, startRedisServer } from "./setup/global.js";
import { Keys } from "../src/store/keys.js";
import type { RunningApp } from "../src/app.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it("a reminder set before a Redis restart still comes at its time", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bb-aof-"));
  const port = await freePort();
  const aof = ["--appendonly", "yes", "--appendfsync", "always"];
  let server: ChildProcess = await startRedisServer(port, dir, aof);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => void server.kill("SIGKILL"));
  const url = `redis://127.0.0.1:${port}`;
  const admin = new Redis(url, { maxRetriesPerRequest: null });
  cleanups.push(() => admin.disconnect());
  const tg = await new FakeTelegram().start();
  cleanups.push(() => tg.stop());
  const clock = new FakeClock(DateTime.fromISO("2026-11-26T10:00", { zone: "Africa/Johannesburg" }).toMillis());
  const redis = {
    url,
    redis: admin,
    prefix: "rs",
    keys: new Keys("rs"),
    allKeys: async () => [],
    cleanup: async () => undefined,
  };
  let bot: RunningApp = await startTestBot({ redis, telegram: tg, clock, env: { SCHEDULER_TICK_SECONDS: "59" } });
  cleanups.push(() => bot.stop());

  tg.text(650, "/remind tomorrow 9am call Thandi");
  await eventually(() => tg.texts(650).length === 1);
  tg.press(650, "remind.confirm:yes");
  await eventually(() => tg.texts(650).length === 2);
  await bot.stop();

  server.kill("SIGKILL");
  await new Promise((res) => server.once("exit", res));
  server = await startRedisServer(port, dir, aof);
  expect(await admin.zcard(redis.keys.sched("due"))).toBe(1);

  bot = await startTestBot({ redis, telegram: tg, clock, env: { SCHEDULER_TICK_SECONDS: "59" } });
  clock.set(DateTime.fromISO("2026-11-27T09:00", { zone: "Africa/Johannesburg" }).toMillis());
  await bot.schedule.tick();
  await eventually(() => tg.texts(650).length === 3, 10_000);
  expect(tg.texts(650)[2]).toBe(en.text("remind.due", { what: "call Thandi" }));
}, 30_000);
