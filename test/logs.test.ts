// A full conversation, with failures, logged at "info" and at "debug": the captured log holds
// none of the user's words, numbers, ids or the bot token, and refers to the user by a hash.
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, userRef } from "../src/log.js";
import type { RunningApp } from "../src/app.js";
import { FAKE_TOKEN, FakeTelegram } from "./fakes/telegram.js";
import { startTestBot } from "./helpers/bot.js";
import { eventually, testRedis, type TestRedis } from "./helpers/redis.js";

const CHAT = 987654321;
const SECRETS_OF_THE_USER = [
  "Sipho",
  "Acme Mining",
  "0821234567",
  "82 123 4567",
  "sipho.dlamini@example.com",
  "Thandeka",
  "useless",
  String(CHAT),
  `telegram:${CHAT}`,
];

let tg: FakeTelegram | undefined;
let r: TestRedis | undefined;
let bot: RunningApp | undefined;
afterEach(async () => {
  await bot?.stop();
  await tg?.stop();
  await r?.cleanup();
});

describe.each(["info", "debug"])("logs at level %s", (level) => {
  it("carry no message text, phone number, user id or token", async () => {
    tg = await new FakeTelegram().start();
    r = await testRedis();
    const lines: string[] = [];
    const log = createLogger(level, { write: (s: string) => void lines.push(s) });
    bot = await startTestBot({ redis: r, telegram: tg, log, env: { ADMIN_IDS: `telegram:${CHAT}` } });

    let replies = 0;
    const step = async (send: () => void, expect = 1) => {
      send();
      replies += expect;
      await eventually(
        () => tg!.sent(CHAT).length + tg!.calls.filter((c) => c.method.startsWith("!")).length >= replies,
        5000,
      );
    };
    await step(() => tg!.text(CHAT, "/start"), 2);
    await step(() => tg!.press(CHAT, "start.consent:yes"));
    await step(
      () =>
        tg!.text(
          CHAT,
          "Hi, I'm Sipho. Acme Mining rejected me today, call me on 0821234567 or sipho.dlamini@example.com",
        ),
      2,
    );
    await step(() => tg!.text(CHAT, "I want to kill myself, Thandeka says I'm useless"), 2);
    await step(() => tg!.text(CHAT, "/tip"));
    await step(() => tg!.text(CHAT, "/privacy"));
    await step(() => tg!.text(CHAT, "/mydata"));
    await step(() => tg!.text(CHAT, "/stats"));
    // Failures log errors: a blocked user, and a Bot API outage on the document upload.
    tg.fail({
      method: "sendMessage",
      code: 403,
      description: "Forbidden: bot was blocked by the user",
      chats: [String(CHAT)],
    });
    await step(() => tg!.text(CHAT, "Sipho again, 0821234567"));
    tg.fail({
      method: "sendDocument",
      code: 400,
      description: "Bad Request: user +27 82 123 4567 (sipho.dlamini@example.com) is restricted",
      chats: [String(CHAT)],
    });
    await step(() => tg!.text(CHAT, "/mydata"));
    await step(() => tg!.text(CHAT, "/forget"));
    await step(() => tg!.press(CHAT, "forget.confirm:yes"));
    await bot.stop();

    const all = lines.join("");
    expect(lines.length).toBeGreaterThan(level === "debug" ? 10 : 3); // the capture works
    expect(all).toContain("reply not delivered"); // failures were logged...
    for (const secret of [...SECRETS_OF_THE_USER, FAKE_TOKEN, FAKE_TOKEN.split(":")[1]!])
      expect(all).not.toContain(secret);
    if (level === "debug") expect(all).toContain(userRef(`telegram:${CHAT}`)); // ...and the user is followed by a hash
  });
});
