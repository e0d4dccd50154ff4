// The Telegram webhook refuses forged requests (near-miss secrets too) leaving no trace in Redis;
// /metrics speaks Prometheus; a flooding user gets one note, not one per message.
import { onTestFinished } from "vitest";
import { en, startTestBot } from "./helpers/bot.js";
import { help } from "./helpers/messages.js";
import { describe, expect, it, test } from "./helpers/fixtures.js";
import { eventually } from "./helpers/redis.js";

const SECRET = "s3cret-webhook_token";

const update = (id: number, chat: number, text: string) => ({
  update_id: id,
  message: {
    message_id: id,
    date: 0,
    chat: { id: chat, type: "private", first_name: "U" },
    from: { id: chat, is_bot: false, first_name: "U" },
    text,
  },
});

function post(port: number, body: string, headers: Record<string, string> = {}) {
  return fetch(`http://127.0.0.1:${port}/telegram/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
}

describe("telegram webhook", () => {
  test.override({ env: { TELEGRAM_WEBHOOK_SECRET: SECRET, PUBLIC_URL: "https://bot.example.org" } });
  test.beforeEach(async ({ telegram: tg }) => {
    await eventually(() => tg.calls.find((c) => c.method === "setWebhook"));
  });

  it("refuses a missing or wrong secret with 401 and processes nothing", async ({ telegram: tg, redis: r, bot }) => {
    const missing = await post(bot.httpPort!, JSON.stringify(update(1, 8101, "/help")));
    const wrong = await post(bot.httpPort!, JSON.stringify(update(2, 8101, "/help")), {
      "x-telegram-bot-api-secret-token": `${SECRET}x`,
    });
    const short = await post(bot.httpPort!, JSON.stringify(update(3, 8101, "/help")), {
      "x-telegram-bot-api-secret-token": SECRET.slice(0, 5),
    });
    expect([missing.status, wrong.status, short.status]).toEqual([401, 401, 401]);
    // Nothing handled: no reply, no profile, no dedup marker.
    expect(tg.sent(8101)).toEqual([]);
    expect(await r.redis.exists(r.keys.user("telegram:8101", "profile"))).toBe(0);
    expect(await r.redis.exists(r.keys.dedup("telegram", "1"), r.keys.dedup("telegram", "2"))).toBe(0);

    // The right secret is accepted, which proves the refusals were about the secret.
    const ok = await post(bot.httpPort!, JSON.stringify(update(4, 8101, "/help")), {
      "x-telegram-bot-api-secret-token": SECRET,
    });
    expect(ok.status).toBe(200);
    await eventually(() => tg.texts(8101).length === 1);
    expect(tg.texts(8101)).toEqual([help()]);
  });
  // Oversized bodies (413) and malformed JSON are covered in telegram-webhook.test.ts.
});

describe("/metrics and flood protection", () => {
  test.override({ startAt: Date.parse("2026-03-10T09:00:10Z"), env: { FLOOD_LIMIT_PER_MINUTE: "5" } });

  it("serves Prometheus metrics: updates, replies, latency, deliveries and queue depth", async ({
    telegram: tg,
    bot,
  }) => {
    tg.text(8201, "/help");
    await eventually(() => tg.texts(8201).length === 1);
    bot.figures.setQueueDepthReader(async () => ({ telegram: 3 }));
    await bot.figures.recordDelivery("telegram:8201", { status: "sent" }, 0.2);
    const res = await fetch(`http://127.0.0.1:${bot.httpPort}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toContain('bb_updates_total{channel="telegram",outcome="handled"} 1');
    expect(text).toContain('bb_replies_total{channel="telegram"} 1');
    expect(text).toMatch(/bb_update_duration_seconds_count\{channel="telegram"\} 1/);
    expect(text).toContain('bb_deliveries_total{channel="telegram",outcome="sent"} 1');
    expect(text).toContain('bb_queue_depth{queue="telegram"} 3');
    expect(text).toContain("bb_process_cpu_seconds_total");
  });

  it("asks for the bearer token when METRICS_TOKEN is set", async ({ telegram: tg, redis: r, bot }) => {
    await bot.stop();
    const withToken = await startTestBot({ redis: r, telegram: tg, env: { METRICS_TOKEN: "m-token-123" } });
    onTestFinished(() => withToken.stop());
    const url = `http://127.0.0.1:${withToken.httpPort}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    const ok = await fetch(url, { headers: { authorization: "Bearer m-token-123" } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("bb_updates_total");
  });

  it("answers a flooding user once with a polite note, then not at all, until the next minute", async ({
    telegram: tg,
    redis: r,
    bot,
    clock,
  }) => {
    for (let i = 0; i < 12; i++) tg.text(8202, "/tip");
    await eventually(async () => (await r.redis.hget(r.keys.user("telegram:8202", "flood"), "n")) === "12");
    await eventually(() => tg.texts(8202).length === 6);
    const texts = tg.texts(8202);
    expect(texts.filter((t) => t === en.text("privacy.flood"))).toHaveLength(1);
    expect(texts.at(-1)).toBe(en.text("privacy.flood"));

    // Still hammering in the next minute: no second note.
    clock.advance(60_000);
    for (let i = 0; i < 6; i++) tg.text(8202, "/tip");
    await eventually(async () => (await r.redis.hget(r.keys.user("telegram:8202", "flood"), "n")) === "6");
    expect(tg.texts(8202)).toHaveLength(11); // five answered, the sixth silently dropped

    // A calm minute later, the bot answers again, and another user was never affected.
    clock.advance(120_000);
    tg.text(8202, "/help");
    tg.text(8203, "/help");
    await eventually(() => tg.texts(8202).length === 12 && tg.texts(8203).length === 1);
    expect(tg.texts(8202).at(-1)).toBe(help());
  });
});

describe("Redis hygiene", () => {
  it("no source file ever flushes a database, and every key of a conversation carries the prefix", async ({
    telegram: tg,
    redis: r,
  }) => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const path = await import("node:path");
    const files = (readdirSync(path.resolve(import.meta.dirname, "../src"), { recursive: true }) as string[]).filter(
      (f) => f.endsWith(".ts"),
    );
    expect(files.length).toBeGreaterThan(20);
    for (const f of files)
      expect(readFileSync(path.resolve(import.meta.dirname, "../src", f), "utf8")).not.toMatch(/flush(db|all)/i);

    // A short conversation writes keys only under this test's prefix (scan the whole keyspace).
    tg.text(8301, "/start");
    await eventually(() => tg.texts(8301).length >= 2);
    const everything: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await r.redis.scan(cursor, "MATCH", "*8301*", "COUNT", 1000);
      cursor = next;
      everything.push(...batch);
    } while (cursor !== "0");
    expect(everything.length).toBeGreaterThan(0);
    expect(everything.every((k) => k.startsWith(`${r.prefix}:`))).toBe(true);
  });
});
