// Vitest fixtures (test.extend) for the setup most files share: a Redis prefix of the test's
// own, the fake Bot API, an injected clock, and the real bot started against them (startBot,
// through startTestBot) for every test. A test names what it uses,
// `it("...", async ({ bot, telegram }) => ...)`; everything is stopped after it, in reverse
// order. A file sets its own start time or environment with `test.override({ startAt, env })`.
import { test as base } from "vitest";
import type { RunningApp } from "../../src/app.js";
import { FakeTelegram } from "../fakes/telegram.js";
import { FakeClock, startTestBot } from "./bot.js";
import { testRedis, type TestRedis } from "./redis.js";

export interface BotFixtures {
  /** Where the clock is pinned at the start (ms); undefined: it follows real time until a test sets it. */
  startAt: number | undefined;
  clock: FakeClock;
  /** Extra environment for the bot. */
  env: Record<string, string>;
  redis: TestRedis;
  telegram: FakeTelegram;
  bot: RunningApp;
}

export const test = base.extend<BotFixtures>({
  startAt: undefined,
  env: {},
  clock: async ({ startAt }, use) => {
    await use(new FakeClock(startAt));
  },
  redis: async ({}, use) => {
    const r = await testRedis();
    await use(r);
    await r.cleanup();
  },
  telegram: async ({}, use) => {
    const tg = await new FakeTelegram().start();
    await use(tg);
    await tg.stop();
  },
  // Started for every test of a file that uses this `test`, named in the test or not: the
  // tests talk to it through the fake.
  bot: [
    async ({ redis, telegram, clock, env }, use) => {
      const bot = await startTestBot({ redis, telegram, clock, env });
      await use(bot);
      await bot.stop();
    },
    { auto: true },
  ],
});

export const it = test;
export { describe, expect } from "vitest";
