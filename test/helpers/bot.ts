// Starts the real bot (src/app.ts's startBot) against test Redis and the platform fakes.
import path from "node:path";
import { PassThrough } from "node:stream";
import pino from "pino";
import { startBot, type RunningApp, type StartOptions } from "../../src/app.js";
import type { Catalog } from "../../src/content/catalog.js";
import { loadContent } from "../../src/content/content.js";
import type { Clock } from "../../src/core/clock.js";
import { FAKE_TOKEN, type FakeTelegram } from "../fakes/telegram.js";
import { eventually, type TestRedis } from "./redis.js";

export const MESSAGES_DIR = path.resolve(import.meta.dirname, "../../messages");
export const en: Catalog = loadContent(MESSAGES_DIR, "en").for("en");
/** An English message's text, and a button's label, by id. */
export const T = (id: string, vars?: Record<string, string | number>) => en.text(id, vars);
export const L = (id: string) => en.label(id);

export const silentLog = pino({ level: "silent" });

export interface TestBotOptions {
  redis: TestRedis;
  telegram?: FakeTelegram;
  env?: Record<string, string>;
  clock?: Clock;
  consoleIO?: StartOptions["consoleIO"];
  log?: pino.Logger;
}

export async function startTestBot(o: TestBotOptions): Promise<RunningApp> {
  const env: Record<string, string> = {
    REDIS_URL: o.redis.url,
    ...o.redis.env,
    REDIS_PREFIX: o.redis.prefix,
    PORT: "0",
    SCHEDULER_TICK_SECONDS: "1",
    ...(o.telegram ? { TELEGRAM_BOT_TOKEN: FAKE_TOKEN, TELEGRAM_API_ROOT: o.telegram.url } : {}),
    ...o.env,
  };
  return startBot({
    env,
    clock: o.clock,
    log: o.log ?? silentLog,
    consoleIO: o.consoleIO ?? { input: new PassThrough(), output: new PassThrough() },
  });
}

/** A clock tests move by hand; made without a time, it follows real time until it is set. */
export class FakeClock implements Clock {
  constructor(private t?: number) {}
  now(): number {
    return this.t ?? Date.now();
  }
  advance(ms: number): void {
    this.t = this.now() + ms;
  }
  set(ms: number): void {
    this.t = ms;
  }
}

/**
 * Waits until nothing more can go out: the schedule has nothing due (one tick claims what is),
 * no broadcast has jobs left to add, and every delivery queue is empty (nothing waiting,
 * delayed for a retry, or being sent). What a test asserts after this is final, not early.
 */
export async function settled(bot: RunningApp, timeoutMs = 30_000): Promise<void> {
  await eventually(
    async () => {
      await bot.schedule.tick();
      if ((await bot.schedule.broadcasts.step(1000)) > 0) return false;
      for (const channel of bot.channels.keys()) {
        const counts = await bot.schedule.queues
          .queue(channel)
          .getJobCounts("waiting", "active", "delayed", "prioritized", "waiting-children");
        if (Object.values(counts).some((n) => n > 0)) return false;
      }
      return true;
    },
    timeoutMs,
    "the schedule and the delivery queues to settle",
  );
}
