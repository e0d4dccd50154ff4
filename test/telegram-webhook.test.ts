// Webhook mode: setWebhook with the secret at start; updates POSTed to /telegram/webhook are
// answered only with the right secret header; polling conflicts are reported and stop the bot.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startBot, type RunningApp } from "../src/app.js";
import { FAKE_TOKEN, FakeTelegram } from "./fakes/telegram.js";
import { silentLog, startTestBot } from "./helpers/bot.js";
import { help } from "./helpers/messages.js";
import { eventually, testRedis, type TestRedis } from "./helpers/redis.js";

let tg: FakeTelegram;
let r: TestRedis;
let bot: RunningApp | undefined;
const SECRET = "s3cret_webhook-token";

beforeEach(async () => {
  tg = await new FakeTelegram().start();
  r = await testRedis();
});
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await tg.stop();
  await r.cleanup();
});

function update(id: number, userId: number, text: string) {
  return {
    update_id: id,
    message: {
      message_id: id,
      date: 0,
      chat: { id: userId, type: "private" },
      from: { id: userId, is_bot: false, first_name: "U" },
      text,
    },
  };
}

async function post(body: string, headers: Record<string, string>) {
  return fetch(`http://127.0.0.1:${bot!.httpPort}/telegram/webhook`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });
}

describe("telegram webhook mode", () => {
  beforeEach(async () => {
    bot = await startTestBot({
      redis: r,
      telegram: tg,
      env: { TELEGRAM_WEBHOOK_SECRET: SECRET, PUBLIC_URL: "https://bot.example.org" },
    });
  });

  it("sets the webhook with the secret and never polls", async () => {
    const set = tg.calls.find((c) => c.method === "setWebhook");
    expect(set?.params.url).toBe("https://bot.example.org/telegram/webhook");
    expect(set?.params.secret_token).toBe(SECRET);
    expect(tg.calls.some((c) => c.method === "deleteWebhook")).toBe(false);
  });

  it("handles an update with the right secret, once, even if redelivered", async () => {
    const body = JSON.stringify(update(7001, 611, "/help"));
    expect((await post(body, { "x-telegram-bot-api-secret-token": SECRET })).status).toBe(200);
    expect((await post(body, { "x-telegram-bot-api-secret-token": SECRET })).status).toBe(200);
    expect(tg.texts(611)).toEqual([help()]);
  });

  it("refuses a wrong or missing secret, malformed JSON and oversized bodies, processing nothing", async () => {
    const body = JSON.stringify(update(7002, 612, "/help"));
    expect((await post(body, { "x-telegram-bot-api-secret-token": "wrong" })).status).toBe(401);
    expect((await post(body, {})).status).toBe(401);
    expect((await post("{not json", { "x-telegram-bot-api-secret-token": SECRET })).status).toBe(400);
    expect((await post(JSON.stringify({ hello: 1 }), { "x-telegram-bot-api-secret-token": SECRET })).status).toBe(400);
    expect((await post("x".repeat(2 * 1024 * 1024), { "x-telegram-bot-api-secret-token": SECRET })).status).toBe(413);
    expect(tg.sent(612)).toHaveLength(0);
  });
});

describe("telegram polling conflict", () => {
  it("reports a 409 plainly and stops", async () => {
    tg.fail({
      method: "getUpdates",
      code: 409,
      description: "Conflict: terminated by other getUpdates request",
      times: Infinity,
    });
    let exit: { code: number; reason: string } | undefined;
    bot = await startBot({
      env: {
        REDIS_URL: r.url,
        REDIS_PREFIX: r.prefix,
        PORT: "0",
        TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
        TELEGRAM_API_ROOT: tg.url,
      },
      log: silentLog,
      onExit: (code, reason) => (exit = { code, reason }),
    });
    const got = await eventually(() => exit, 10_000, "the bot to give up on 409");
    expect(got.code).toBe(1);
    expect(got.reason).toMatch(/409 Conflict: another process is polling with this token/);
  });
});

describe("telegram webhook fuzzing", () => {
  it("answers random, truncated and mistyped bodies with 4xx or 200, never 5xx, and stays up", async () => {
    const fc = (await import("fast-check")).default;
    bot = await startTestBot({
      redis: r,
      telegram: tg,
      env: { TELEGRAM_WEBHOOK_SECRET: SECRET, PUBLIC_URL: "https://bot.example.org" },
    });
    const valid = JSON.stringify(update(8000, 613, "/help"));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.nat(valid.length).map((n) => valid.slice(0, n)),
          fc.json({ maxDepth: 3 }),
          fc
            .record({ update_id: fc.oneof(fc.string(), fc.double(), fc.constant(null)), message: fc.anything() })
            .map((o) => JSON.stringify(o)),
        ),
        fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", ""),
        fc.boolean(),
        async (body, contentType, rightSecret) => {
          const res = await fetch(`http://127.0.0.1:${bot!.httpPort}/telegram/webhook`, {
            method: "POST",
            body,
            headers: {
              "content-type": contentType,
              ...(rightSecret
                ? { "x-telegram-bot-api-secret-token": SECRET }
                : { "x-telegram-bot-api-secret-token": SECRET.slice(1) }),
            },
          });
          expect(res.status).toBeLessThan(500);
          if (!rightSecret) expect(res.status).toBe(401);
        },
      ),
      { numRuns: 150 },
    );
    // Forged requests were never processed: no message went to the user the valid body names.
    expect(tg.sent(613).length).toBeLessThanOrEqual(1);
    const res = await post(JSON.stringify(update(8001, 614, "/help")), { "x-telegram-bot-api-secret-token": SECRET });
    expect(res.status).toBe(200);
    expect(tg.texts(614)).toEqual([help()]);
  });
});
