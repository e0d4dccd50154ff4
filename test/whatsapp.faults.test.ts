// WhatsApp under faults, with the real bot, real Redis and the fake Graph API: Redis stopped
// while users write (five rounds, each refused before the next), with a sender that redelivers
// as Meta does (every message is answered exactly once, none lost); and one signed body of 2,000
// messages, whose Graph API calls never exceed the configured concurrency, each user's messages
// still answered in order.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { afterEach, expect, it } from "vitest";
import { Redis } from "ioredis";
import { Keys } from "../src/store/keys.js";
import { FakeWhatsApp, batch, postWebhook, seen, textMessage, whatsappEnv } from "./fakes/whatsapp.js";
import { en, startTestBot } from "./helpers/bot.js";
import { help } from "./helpers/messages.js";
import { eventually, testRedis, type TestRedis } from "./helpers/redis.js";
import { freePort, startRedisServer } from "./setup/global.js";

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const texts = (wa: FakeWhatsApp, to: string) => wa.sentTo(to).map((s) => seen(s).text);

it("Redis down while users write: each message is refused (503) until it can be handled, redelivered, and answered once", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bb-wa-outage-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const aof = ["--appendonly", "yes", "--appendfsync", "always"];
  let server: ChildProcess = await startRedisServer(port, dir, aof);
  cleanups.push(() => void server.kill("SIGKILL"));
  const url = `redis://127.0.0.1:${port}`;
  const admin = new Redis(url, { lazyConnect: true });
  cleanups.push(() => admin.disconnect());
  const r: TestRedis = {
    url,
    redis: admin,
    prefix: "waout",
    keys: new Keys("waout"),
    allKeys: async () => [],
    cleanup: async () => undefined,
  };
  const wa = await new FakeWhatsApp().start();
  cleanups.push(() => wa.stop());
  const bot = await startTestBot({ redis: r, env: whatsappEnv(wa) });
  cleanups.push(() => bot.stop());
  const webhook = bot.httpPort!;

  // Meta's side: a message is posted until the bot answers 200 (Meta retries for days).
  const statuses: number[] = [];
  const deliveries: Promise<void>[] = [];
  const written = new Map<string, number>();
  /** Posts a message as Meta does, retrying (every 300 ms) until 200; resolves at its first answer. */
  const write = (user: string, text: string): Promise<number> => {
    written.set(user, (written.get(user) ?? 0) + 1);
    const payload = textMessage(user, text);
    let first: (status: number) => void = () => undefined;
    const answered = new Promise<number>((res) => (first = res));
    deliveries.push(
      (async () => {
        for (;;) {
          const { status } = await postWebhook(webhook, payload).catch(() => ({ status: 0 }));
          statuses.push(status);
          first(status);
          if (status === 200) return;
          await new Promise((res) => setTimeout(res, 300)); // Meta's pace of redelivery, not a wait for the bot
        }
      })(),
    );
    return answered;
  };
  const users = ["27821000001", "27821000002", "27821000003"];
  for (const u of users) write(u, "/help");
  await eventually(() => users.every((u) => texts(wa, u).length === 1), 10_000, "answers before the outage");

  server.kill("SIGKILL");
  await new Promise((res) => server.once("exit", res));
  // Users keep writing through the outage: five rounds, each message refused before the next round.
  for (let round = 0; round < 5; round++) {
    const first = await Promise.all(users.map((u) => write(u, "/help")));
    expect(first).toEqual(users.map(() => 503));
  }
  server = await startRedisServer(port, dir, aof);

  await Promise.all(deliveries);
  await eventually(() => users.every((u) => texts(wa, u).length >= written.get(u)!), 20_000, "every message answered");
  // Stopping waits for every message the webhook accepted: after it, nothing more can arrive.
  await bot.stop();
  for (const u of users) {
    const got = texts(wa, u);
    // One answer per message: the real one, or "give me a moment" for one caught mid-outage.
    expect(got).toHaveLength(written.get(u)!);
    for (const t of got) expect([help(), en.text("core.busy")]).toContain(t);
    expect(got.at(-1)).toBe(help());
  }
}, 60_000);

it("one signed body of 2,000 messages: Graph API calls stay within the concurrency bound, each user's messages in order", async () => {
  const r = await testRedis();
  cleanups.push(() => r.cleanup());
  const wa = await new FakeWhatsApp().start();
  cleanups.push(() => wa.stop());
  wa.delayMs = 5;
  const perBody = 4;
  const overall = 6;
  const bot = await startTestBot({
    redis: r,
    env: whatsappEnv(wa, {
      WHATSAPP_INBOUND_CONCURRENCY: String(overall),
      WHATSAPP_INBOUND_CONCURRENCY_PER_BODY: String(perBody),
    }),
  });
  cleanups.push(() => bot.stop());

  // 1,970 users with one message, 10 users with three (in order: help, cancel, help).
  const single = Array.from({ length: 1970 }, (_, i) => String(27822000000 + i));
  const triple = Array.from({ length: 10 }, (_, i) => String(27823000000 + i));
  const payloads = [
    ...single.map((u) => textMessage(u, "/help")),
    ...triple.flatMap((u) => ["/help", "/cancel", "/help"].map((t) => textMessage(u, t))),
  ];
  expect(payloads).toHaveLength(2000);
  expect((await postWebhook(bot.httpPort!, batch(...payloads))).status).toBe(200);
  // A second, small body while the first is being worked through: it gets slots of its own.
  const others = Array.from({ length: 10 }, (_, i) => String(27824000000 + i));
  expect((await postWebhook(bot.httpPort!, batch(...others.map((u) => textMessage(u, "/help"))))).status).toBe(200);
  await eventually(() => others.every((u) => texts(wa, u).length === 1), 60_000, "the small body answered");
  const bigDone = [...single, ...triple].filter((u) => texts(wa, u).length > 0).length;
  expect(bigDone).toBeLessThan(single.length + triple.length);

  // Counted, not searched per user: polling must not take the CPU the bot needs.
  await eventually(() => wa.sent.length >= 2000 + others.length, 90_000, "every message answered");
  const byUser = new Map<string, string[]>();
  for (const s of wa.sent) byUser.set(s.to, [...(byUser.get(s.to) ?? []), seen(s).text]);
  for (const u of single) expect(byUser.get(u)).toEqual([help()]);
  expect(wa.maxInFlight).toBeLessThanOrEqual(overall);
  expect(wa.maxInFlight).toBeGreaterThan(1);
  for (const u of triple) expect(byUser.get(u)).toEqual([help(), en.text("core.nothing_to_cancel"), help()]);
  expect(wa.sent).toHaveLength(2000 + others.length);
}, 120_000);
