// How a conformance script is played on each channel: the real bot against the fake Bot API,
// the fake Graph API (signed webhooks) or a console on streams, driven by what a user does (say,
// press) and read back as what the user saw (the transcript).
import { PassThrough } from "node:stream";
import { expect } from "vitest";
import type { RunningApp } from "../../src/app.js";
import { FakeTelegram } from "../fakes/telegram.js";
import {
  FakeWhatsApp,
  buttonReply,
  choiceIds,
  listReply,
  postWebhook,
  seen,
  textMessage,
  whatsappEnv,
} from "../fakes/whatsapp.js";
import { en, startTestBot } from "./bot.js";
import { testRedis, type TestRedis } from "./redis.js";
import { parseConsole, unnumber } from "./transcripts.js";

export type Channel = "telegram" | "whatsapp" | "console";

export interface Driver {
  say(words: string): Promise<void>;
  press(label: string): Promise<void>;
  /** Everything the bot sent so far, as text and labels; `picture` for a photo or image and its caption. */
  transcript(): { text: string; labels: string[]; picture?: boolean }[];
  close(): Promise<void>;
}

/** A driver for `channel`; its Redis prefix is added to `opened` for the caller to clean up. */
export async function openDriver(channel: Channel, opened: TestRedis[]): Promise<Driver> {
  const redis = await testRedis();
  opened.push(redis);
  if (channel === "telegram") {
    const tg = await new FakeTelegram().start();
    const bot = await startTestBot({ redis, telegram: tg });
    const chat = 9001;
    const sends = () => tg.sent(chat).filter((c) => c.method === "sendMessage" || c.method === "sendPhoto");
    return {
      async say(words) {
        tg.text(chat, words);
      },
      async press(label) {
        const button = sends()
          .flatMap((c) =>
            (
              (c.params.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] })
                ?.inline_keyboard ?? []
            ).flat(),
          )
          .reverse()
          .find((b) => b.text === label);
        if (!button) throw new Error(`telegram: no button "${label}"`);
        tg.press(chat, button.callback_data);
      },
      transcript: () =>
        sends().map((c) => ({
          text: String(c.params.text ?? c.params.caption ?? ""),
          labels: ((c.params.reply_markup as { inline_keyboard?: { text: string }[][] })?.inline_keyboard ?? [])
            .flat()
            .map((b) => b.text),
          picture: c.method === "sendPhoto",
        })),
      close: () => closeAll(bot, () => tg.stop()),
    };
  }
  if (channel === "whatsapp") {
    const wa = await new FakeWhatsApp().start();
    const bot = await startTestBot({ redis, env: whatsappEnv(wa) });
    const user = "27825550001";
    const hint = en.text("whatsapp.numbered_hint");
    return {
      async say(words) {
        expect((await postWebhook(bot.httpPort!, textMessage(user, words))).status).toBe(200);
      },
      async press(label) {
        const send = [...wa.sentTo(user)].reverse().find((s) => seen(s).labels.includes(label));
        if (!send) throw new Error(`whatsapp: no button or row "${label}"`);
        const view = seen(send);
        const id = choiceIds(send)[view.labels.indexOf(label)]!;
        const payload = view.style === "buttons" ? buttonReply(user, id, label) : listReply(user, id, label);
        expect((await postWebhook(bot.httpPort!, payload)).status).toBe(200);
      },
      transcript: () =>
        wa.sentTo(user).map((s) => {
          const view = seen(s);
          return { ...unnumber(view, hint), picture: view.image !== undefined };
        }),
      close: () => closeAll(bot, () => wa.stop()),
    };
  }
  const input = new PassThrough();
  const output = new PassThrough();
  let out = "";
  output.on("data", (c: Buffer) => (out += c.toString("utf8")));
  const bot = await startTestBot({ redis, consoleIO: { input, output } });
  let typedStart = false;
  const driver: Driver = {
    async say(words) {
      // The console opens with `/start` by itself; the script's first `/start` is that one.
      if (words === "/start" && !typedStart) {
        typedStart = true;
        return;
      }
      input.write(`${words}\n`);
    },
    async press(label) {
      const last = driver
        .transcript()
        .reverse()
        .find((m) => m.labels.includes(label));
      if (!last) throw new Error(`console: no numbered choice "${label}"`);
      input.write(`${last.labels.indexOf(label) + 1}\n`);
    },
    transcript: () => parseConsole(out),
    close: () => closeAll(bot),
  };
  return driver;
}

async function closeAll(bot: RunningApp, after?: () => Promise<void>): Promise<void> {
  await bot.stop();
  await after?.();
}
