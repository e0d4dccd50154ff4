// Faults with the real bot (src/app.ts) and the fake Bot API: Redis down for a while, a
// platform that answers 5xx or hangs for a while, two pollers of one token. Each proves what
// the user sees, and that a scheduled message arrives exactly once afterwards. Nothing here
// waits a fixed time: each step waits for what proves it (failed ticks in the log, the queues
// settled, the poll offset that confirms an update).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { afterEach, expect, it } from "vitest";
import { DateTime } from "luxon";
import { Redis } from "ioredis";
import { startBot, type RunningApp } from "../src/app.js";
import { Keys } from "../src/store/keys.js";
import { FAKE_TOKEN, FakeTelegram } from "./fakes/telegram.js";
import { createLogger } from "../src/log.js";
import { en, FakeClock, settled, silentLog, startTestBot } from "./helpers/bot.js";
import { help } from "./helpers/messages.js";
import { eventually, testRedis, type TestRedis } from "./helpers/redis.js";
import { freePort, startRedisServer } from "./setup/global.js";

const JHB = "Africa/Johannesburg";
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Sends a text and waits for `n` new bot messages to that user. */
const say = (tg: FakeTelegram, user: number, text: string, n = 1) => tg.say(user, text, n, 8000);

/** /remind through the real flow, confirmed with the button. */
async function setReminder(tg: FakeTelegram, user: number, words: string): Promise<void> {
  await say(tg, user, `/remind ${words}`);
  const before = tg.texts(user).length;
  tg.press(user, "remind.confirm:yes");
  await eventually(() => tg.texts(user).length > before, 8000, "reminder saved");
}

it("Redis down through three failed ticks: users get 'give me a moment', the bot reconnects by itself, a reminder due in the outage comes once", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bb-outage-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const aof = ["--appendonly", "yes", "--appendfsync", "always"];
  let server: ChildProcess = await startRedisServer(port, dir, aof);
  cleanups.push(() => void server.kill("SIGKILL"));
  const url = `redis://127.0.0.1:${port}`;
  const admin = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  cleanups.push(() => admin.disconnect());
  const tg = await new FakeTelegram().start();
  cleanups.push(() => tg.stop());
  const clock = new FakeClock(DateTime.fromISO("2026-11-26T10:00", { zone: JHB }).toMillis());
  const redis: TestRedis = {
    url,
    redis: admin,
    prefix: "out",
    keys: new Keys("out"),
    allKeys: async () => [],
    cleanup: async () => undefined,
  };
  // The real ticker (every second), not a hand-driven tick: it must find the due reminder by itself.
  const log: Record<string, unknown>[] = [];
  const logger = createLogger("warn", {
    write: (line: string) => void log.push(JSON.parse(line) as Record<string, unknown>),
  });
  const failedTicks = () => log.filter((l) => l.msg === "schedule tick failed; will retry next tick").length;
  const bot: RunningApp = await startTestBot({
    redis,
    telegram: tg,
    clock,
    log: logger,
    env: { SCHEDULER_TICK_SECONDS: "1" },
  });
  cleanups.push(() => bot.stop());

  const [help] = await say(tg, 701, "/help");
  await setReminder(tg, 702, "tomorrow 9am call Thandi");
  const dueAt = DateTime.fromISO("2026-11-27T09:00", { zone: JHB }).toMillis();

  server.kill("SIGKILL");
  await new Promise((res) => server.once("exit", res));
  const before = failedTicks();
  // The reminder falls due while Redis is away.
  clock.set(dueAt);
  const [busy] = await say(tg, 701, "/help");
  expect(busy).toBe(en.text("core.busy"));
  expect(bot.channels.get("telegram")).toBeDefined();
  // The ticker keeps trying through the outage, the reminder due all the while: three ticks fail
  // (each waits out the connection's reconnect attempts, about ten seconds in all).
  await eventually(() => failedTicks() >= before + 3, 40_000, "three failed ticks while Redis is down");
  // Nothing was delivered while Redis was down.
  expect(tg.texts(702).filter((t) => t === en.text("remind.due", { what: "call Thandi" }))).toHaveLength(0);

  server = await startRedisServer(port, dir, aof);
  // The bot reconnects on its own and answers normally again.
  await eventually(
    async () => (await say(tg, 701, "/help"))[0] === help,
    10_000,
    "a normal answer after Redis is back",
  );
  // The reminder due during the outage arrives, once.
  const due = en.text("remind.due", { what: "call Thandi" });
  await eventually(() => tg.texts(702).includes(due), 10_000, "the reminder after the outage");
  await settled(bot); // nothing due, nothing queued: nothing can come twice after this
  expect(tg.texts(702).filter((t) => t === due)).toHaveLength(1);
}, 90_000);

it("platform 5xx and timeouts for a while: scheduled messages retry with backoff and arrive exactly once", async () => {
  const r = await testRedis();
  cleanups.push(() => r.cleanup());
  const tg = await new FakeTelegram().start();
  cleanups.push(() => tg.stop());
  const clock = new FakeClock(DateTime.fromISO("2026-11-26T10:00", { zone: JHB }).toMillis());
  const bot = await startTestBot({
    redis: r,
    telegram: tg,
    clock,
    env: { SCHEDULER_TICK_SECONDS: "59", TELEGRAM_DELIVERY_TIMEOUT_SECONDS: "1" },
  });
  cleanups.push(() => bot.stop());
  const users = [711, 712, 713];
  for (const u of users) await setReminder(tg, u, `tomorrow 9am email recruiter ${u}`);

  // First every send gets a 502, then every send hangs with no answer, then the platform recovers.
  tg.fail({ method: "sendMessage", code: 502, description: "Bad Gateway", times: users.length });
  tg.fail({ method: "sendMessage", code: 504, description: "Gateway Timeout", times: users.length, hangMs: 60_000 });
  clock.set(DateTime.fromISO("2026-11-27T09:00", { zone: JHB }).toMillis());
  expect(await bot.schedule.tick()).toBe(users.length);

  for (const u of users) {
    const due = en.text("remind.due", { what: `email recruiter ${u}` });
    await eventually(() => tg.texts(u).includes(due), 20_000, `reminder for ${u}`);
  }
  await settled(bot);
  for (const u of users) {
    const due = en.text("remind.due", { what: `email recruiter ${u}` });
    expect(tg.texts(u).filter((t) => t === due)).toHaveLength(1);
    // Three attempts: the 502, the hang (abandoned by the delivery timeout), the success; the
    // waits between them grow (BullMQ exponential backoff, 2 s then 4 s).
    const failed = tg.calls.filter((c) => c.method === "!sendMessage" && String(c.params.chat_id) === String(u));
    expect(failed).toHaveLength(2);
    const ok = tg.sent(u).at(-1)!;
    const firstGap = failed[1]!.at - failed[0]!.at;
    const secondGap = ok.at - failed[1]!.at;
    expect(firstGap).toBeGreaterThanOrEqual(1900);
    // The hang was abandoned by the delivery timeout (it would have held 60 s), then came the
    // backoff of about 4 s.
    expect(failed[1]!.abandoned).toBe(true);
    expect(secondGap).toBeGreaterThanOrEqual(4500);
  }
}, 30_000);

it("two processes polling one token: the 409 is reported plainly, one stops, the other answers each message once", async () => {
  const r = await testRedis();
  cleanups.push(() => r.cleanup());
  const tg = await new FakeTelegram().start();
  tg.exclusivePolling = true;
  cleanups.push(() => tg.stop());
  const exits: { who: number; code: number; reason: string }[] = [];
  const env = {
    REDIS_URL: r.url,
    REDIS_PREFIX: r.prefix,
    PORT: "0",
    TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
    TELEGRAM_API_ROOT: tg.url,
  };
  const bots: RunningApp[] = [];
  for (const who of [0, 1]) {
    const b = await startBot({ env, log: silentLog, onExit: (code, reason) => void exits.push({ who, code, reason }) });
    bots.push(b);
    cleanups.push(() => b.stop());
  }
  await eventually(() => exits.length > 0, 10_000, "one poller to give up on 409");
  expect(exits).toHaveLength(1);
  expect(exits[0]!.code).toBe(1);
  expect(exits[0]!.reason).toMatch(/409 Conflict: another process is polling with this token/);
  expect(tg.conflicts).toBeGreaterThanOrEqual(1);
  // The one that stopped hands its polling to the survivor, which keeps answering.
  await bots[exits[0]!.who]!.stop();
  const update = tg.text(721, "/help");
  await eventually(() => tg.texts(721).length >= 1, 8000, "the answer");
  // The survivor's next poll confirms the update: after that it is never delivered again.
  await eventually(() => tg.confirmedOffset > update.update_id, 8000, "the update confirmed");
  expect(tg.texts(721)).toEqual([help()]);
  expect(exits).toHaveLength(1);
}, 30_000);
