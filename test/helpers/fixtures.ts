// Vitest fixtures (test.extend) for the setup most files share: a Redis prefix of the test's
// own, the fake Bot API, an injected clock, and the real bot started against them (startBot,
// through startTestBot) for every test. A test names what it uses,
// `it("...", async ({ bot, telegram }) => ...)`; everything is stopped after it, in reverse
// order. A file sets its own start time or environment with `test.override({ startAt, env })`.
// `whatsappTest` does the same for WhatsApp, once per file (the fake Graph API, Redis, the bot
// behind its signed webhook), with `write`: a user writes, and the bot's next sends come back.
import { expect, test as base } from "vitest";
import type { RunningApp } from "../../src/app.js";
import { FakeTelegram } from "../fakes/telegram.js";
import {
  FakeWhatsApp,
  buttonReply,
  choiceIds,
  postWebhook,
  seen,
  textMessage,
  whatsappEnv,
  type Sent,
} from "../fakes/whatsapp.js";
import { FakeClock, startTestBot } from "./bot.js";
import { eventually, testRedis, type TestRedis } from "./redis.js";

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

/** A WhatsApp user writes `words`; resolves with the bot's next `n` sends to them. */
export type Write = (user: string, words: string, n: number) => Promise<Sent[]>;

export interface WhatsAppFixtures {
  /** Extra environment for the bot (`whatsappTest.override({ waEnv })` at the top of a file). */
  waEnv: Record<string, string>;
  /** Also start the fake Bot API and give the bot Telegram (for files that test both channels). */
  withTelegram: boolean;
  wa: FakeWhatsApp;
  redis: TestRedis;
  telegram: FakeTelegram | undefined;
  bot: RunningApp;
  write: Write;
  /** The user taps the button or list row labelled `label` in the latest send that shows it. */
  tap: Write;
}

/** One bot for the whole file, on WhatsApp (and Telegram when asked); users keep apart by number. */
export const whatsappTest = base.extend<{ $file: WhatsAppFixtures }>({
  waEnv: [async ({}, use) => use({}), { scope: "file" }],
  withTelegram: [async ({}, use) => use(false), { scope: "file" }],
  wa: [
    async ({}, use) => {
      const wa = await new FakeWhatsApp().start();
      await use(wa);
      await wa.stop();
    },
    { scope: "file" },
  ],
  redis: [
    async ({}, use) => {
      const r = await testRedis();
      await use(r);
      await r.cleanup();
    },
    { scope: "file" },
  ],
  telegram: [
    async ({ withTelegram }, use) => {
      const tg = withTelegram ? await new FakeTelegram().start() : undefined;
      await use(tg);
      await tg?.stop();
    },
    { scope: "file" },
  ],
  bot: [
    async ({ redis, wa, telegram, waEnv }, use) => {
      const bot = await startTestBot({ redis, telegram, env: whatsappEnv(wa, waEnv) });
      await use(bot);
      await bot.stop();
    },
    // Started for every test of the file, named or not: a test may talk only to a fake.
    { scope: "file", auto: true },
  ],
  write: [
    async ({ wa, bot }, use) => {
      await use(async (user, words, n) => {
        const before = wa.sentTo(user).length;
        expect((await postWebhook(bot.httpPort!, textMessage(user, words))).status).toBe(200);
        await eventually(() => wa.sentTo(user).length >= before + n, 10_000, `${n} sends after "${words}"`);
        return wa.sentTo(user).slice(before);
      });
    },
    { scope: "file" },
  ],
  tap: [
    async ({ wa, bot }, use) => {
      await use(async (user, label, n) => {
        const before = wa.sentTo(user).length;
        const send = [...wa.sentTo(user)].reverse().find((s) => seen(s).labels.includes(label));
        if (!send) throw new Error(`no send to ${user} shows "${label}"`);
        const id = choiceIds(send)[seen(send).labels.indexOf(label)]!;
        expect((await postWebhook(bot.httpPort!, buttonReply(user, id, label))).status).toBe(200);
        await eventually(() => wa.sentTo(user).length >= before + n, 10_000, `${n} sends after tapping ${label}`);
        return wa.sentTo(user).slice(before);
      });
    },
    { scope: "file" },
  ],
});
export { describe, expect } from "vitest";
