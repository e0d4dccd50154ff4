// The HTTP server's limits with the real bot: an unauthenticated webhook body is refused from
// its headers before a byte of it is read; open connections and body bytes in flight are capped
// (the rest dropped or answered 503, the server serving again once they are gone); /healthz says
// 503 while Redis is frozen and 200 once it answers; /metrics without a token only for loopback
// clients not behind a proxy, or on its own port.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { metricsAccess, isLoopback, Metrics } from "../src/http/metrics.js";
import type { RunningApp } from "../src/app.js";
import { Keys } from "../src/store/keys.js";
import { FakeTelegram } from "./fakes/telegram.js";
import { FakeWhatsApp, postWebhook, seen, textMessage, whatsappEnv } from "./fakes/whatsapp.js";
import { startTestBot } from "./helpers/bot.js";
import { help } from "./helpers/messages.js";
import { injectable, rawRequest } from "./helpers/http.js";
import { eventually, testRedis, type TestRedis } from "./helpers/redis.js";
import { freePort, startRedisServer } from "./setup/global.js";

const SECRET = "limits-secret_123";
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function bot(
  env: Record<string, string> = {},
  redis?: TestRedis,
): Promise<{ bot: RunningApp; tg: FakeTelegram; wa: FakeWhatsApp; r: TestRedis }> {
  const r = redis ?? (await testRedis());
  if (!redis) cleanups.push(() => r.cleanup());
  const tg = await new FakeTelegram().start();
  cleanups.push(() => tg.stop());
  const wa = await new FakeWhatsApp().start();
  cleanups.push(() => wa.stop());
  const b = await startTestBot({
    redis: r,
    telegram: tg,
    env: { TELEGRAM_WEBHOOK_SECRET: SECRET, PUBLIC_URL: "https://bot.example.org", ...whatsappEnv(wa), ...env },
  });
  cleanups.push(() => b.stop());
  return { bot: b, tg, wa, r };
}

const THREE_MB = 3 * 1024 * 1024;
const head = (pathname: string, length: number, extra = "") =>
  `POST ${pathname} HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${extra}\r\n`;

describe("authentication before the body", () => {
  it("answers 401 to a 3 MB body without the right credentials from its headers, before the body is sent", async () => {
    const { bot: b, tg, wa } = await bot();
    const port = b.httpPort!;
    // Each request sends its headers only; the body never comes. A server that read the body
    // first would wait for it, and these would never be answered.
    const tries = [
      await rawRequest(port, head("/telegram/webhook", THREE_MB)),
      await rawRequest(port, head("/telegram/webhook", THREE_MB, `X-Telegram-Bot-Api-Secret-Token: ${SECRET}x\r\n`)),
      await rawRequest(port, head("/whatsapp/webhook", THREE_MB)),
      await rawRequest(port, head("/whatsapp/webhook", THREE_MB, "X-Hub-Signature-256: sha256=abc\r\n")),
      await rawRequest(port, head("/whatsapp/webhook", THREE_MB, `X-Hub-Signature-256: sha1=${"a".repeat(40)}\r\n`)),
      await rawRequest(port, head("/whatsapp/webhook", THREE_MB, `X-Hub-Signature-256: sha256=${"g".repeat(64)}\r\n`)),
    ];
    expect(tries.map((t) => t.status)).toEqual([401, 401, 401, 401, 401, 401]);
    // And the connection is closed: the unread body is never read.
    for (const t of tries) expect(t.head.toLowerCase()).toContain("connection: close");
    expect(tg.sent()).toHaveLength(0);
    expect(wa.sent).toHaveLength(0);

    // The right secret, or a well-formed signature, gets past the headers: the body is awaited
    // (its size is then checked: Telegram's cap is 1 MiB, so 413 at once without reading it).
    expect(
      (await rawRequest(port, head("/telegram/webhook", THREE_MB, `X-Telegram-Bot-Api-Secret-Token: ${SECRET}\r\n`)))
        .status,
    ).toBe(413);
  });
});

describe("caps", () => {
  it("drops connections past HTTP_MAX_CONNECTIONS, and serves again once one closes", async () => {
    const { bot: b } = await bot({ HTTP_MAX_CONNECTIONS: "4" });
    const port = b.httpPort!;
    // Four kept-alive connections, each answered once (so the server has surely taken them).
    const held: net.Socket[] = [];
    for (let i = 0; i < 4; i++) {
      const a = await rawRequest(port, "GET /healthz HTTP/1.1\r\nHost: bot\r\n\r\n", { keepOpen: true });
      expect(a.status).toBe(200);
      held.push(a.socket);
    }
    cleanups.push(() => held.forEach((s) => s.destroy()));
    const fifth = await rawRequest(port, "GET /healthz HTTP/1.1\r\nHost: bot\r\n\r\n");
    expect(fifth.status).toBeUndefined(); // closed without a word
    held.pop()!.destroy();
    await eventually(
      async () => (await rawRequest(port, "GET /healthz HTTP/1.1\r\nHost: bot\r\n\r\n")).status === 200,
      5000,
      "a free slot",
    );
  });

  it("answers 503 to a body past HTTP_MAX_BODY_MB_IN_FLIGHT, and takes bodies again once the first is read", async () => {
    const { bot: b, wa } = await bot({ HTTP_MAX_BODY_MB_IN_FLIGHT: "4" });
    const port = b.httpPort!;
    const signed = `X-Hub-Signature-256: sha256=${"ab".repeat(32)}\r\n`;
    const inFlight = async () =>
      Number(
        /^bb_http_body_bytes_in_flight (\d+)$/m.exec(
          await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(),
        )?.[1],
      );
    // A well-formed (but wrong) signature passes the header check: 3 MB reserved, 1 KiB sent.
    const first = net.connect(port, "127.0.0.1");
    cleanups.push(() => void first.destroy());
    let firstAnswer = "";
    first.on("data", (d: Buffer) => (firstAnswer += d.toString("latin1")));
    await once(first, "connect");
    first.write(head("/whatsapp/webhook", THREE_MB, signed) + " ".repeat(1024));
    await eventually(async () => (await inFlight()) === THREE_MB, 5000, "the first body reserved");
    // A second 3 MB body would pass 4 MiB: refused at once, from its headers.
    const second = await rawRequest(port, head("/whatsapp/webhook", THREE_MB, signed));
    expect(second.status).toBe(503);
    expect(second.head.toLowerCase()).toContain("connection: close");
    expect(firstAnswer).toBe(""); // the first is still being read
    // The first body completes (and is refused for its signature); the reservation is returned.
    first.write(" ".repeat(THREE_MB - 1024));
    await eventually(() => firstAnswer.includes("\r\n\r\n"), 10_000, "the first body's answer");
    expect(firstAnswer).toMatch(/^HTTP\/1\.1 401/);
    await eventually(async () => (await inFlight()) === 0, 5000, "the reservation returned");
    const user = "27820009001";
    const body = JSON.stringify(textMessage(user, "/help")) + " ".repeat(THREE_MB - 4096);
    expect((await postWebhook(port, body)).status).toBe(200);
    await eventually(() => wa.sentTo(user).length === 1, 10_000, "the answer");
    expect(seen(wa.sentTo(user)[0]!).text).toBe(help());
  });
});

describe("/healthz", () => {
  it("answers 503 while Redis is frozen (SIGSTOP) and 200 once it answers again", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "bb-frozen-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const redisPort = await freePort();
    const server = await startRedisServer(redisPort, dir);
    cleanups.push(() => void server.kill("SIGKILL"));
    const url = `redis://127.0.0.1:${redisPort}`;
    const admin = new Redis(url, { lazyConnect: true });
    cleanups.push(() => admin.disconnect());
    const r: TestRedis = {
      url,
      redis: admin,
      prefix: "frozen",
      keys: new Keys("frozen"),
      allKeys: async () => [],
      cleanup: async () => undefined,
    };
    const { bot: b } = await bot({}, r);
    const health = `http://127.0.0.1:${b.httpPort}/healthz`;
    expect((await fetch(health)).status).toBe(200);

    server.kill("SIGSTOP");
    // Resumed before the bot stops (afterEach), whatever happens here.
    cleanups.push(() => void server.kill("SIGCONT"));
    // Redis is stopped until this test resumes it: this answer came while it could not answer.
    const frozen = await fetch(health);
    expect(frozen.status).toBe(503);
    expect(await frozen.json()).toMatchObject({
      ok: false,
      checks: expect.arrayContaining([{ name: "redis", ok: false, detail: "no answer" }]),
    });

    server.kill("SIGCONT");
    await eventually(async () => (await fetch(health)).status === 200, 10_000, "200 once Redis answers");
  });
});

describe("/metrics", () => {
  const base = { headers: {}, dedicatedPort: false };
  it("without a token: loopback clients only, and not when a proxy forwarded the request", () => {
    for (const a of ["127.0.0.1", "127.0.1.1", "::1", "::ffff:127.0.0.1"])
      expect(metricsAccess({ ...base, remoteAddress: a })).toEqual({ status: "allowed" });
    for (const a of [
      "203.0.113.7",
      "10.0.0.2",
      "192.168.1.5",
      "::ffff:10.0.0.1",
      "fe80::1",
      "2001:db8::1",
      undefined,
      "",
      "127.0.0.1.example",
    ]) {
      expect(metricsAccess({ ...base, remoteAddress: a })).toEqual({ status: "refused", code: 403 });
    }
    for (const h of ["x-forwarded-for", "forwarded", "x-real-ip"]) {
      expect(metricsAccess({ ...base, remoteAddress: "127.0.0.1", headers: { [h]: "203.0.113.7" } })).toEqual({
        status: "refused",
        code: 403,
      });
    }
    expect(isLoopback("::ffff:127.9.9.9")).toBe(true);
  });

  it("with a token: the bearer token from anywhere, nothing without it; on its own port: anyone who reaches it", () => {
    const token = "m-token-123";
    expect(metricsAccess({ ...base, token, remoteAddress: "203.0.113.7", authorization: `Bearer ${token}` })).toEqual({
      status: "allowed",
    });
    expect(metricsAccess({ ...base, token, remoteAddress: "127.0.0.1" })).toEqual({ status: "refused", code: 401 });
    expect(metricsAccess({ ...base, token, remoteAddress: "127.0.0.1", authorization: "Bearer wrong" })).toEqual({
      status: "refused",
      code: 401,
    });
    expect(metricsAccess({ ...base, dedicatedPort: true, remoteAddress: "203.0.113.7" })).toEqual({
      status: "allowed",
    });
  });

  it("the route refuses a client from another address with 403 (the socket's address, through Fastify's inject)", async () => {
    const server = await injectable(new Metrics().routes({}));
    cleanups.push(() => server.close());
    const from = (remoteAddress: string, headers: Record<string, string> = {}) =>
      server.app.inject({ method: "GET", url: "/metrics", remoteAddress, headers });
    expect((await from("203.0.113.7")).statusCode).toBe(403);
    expect((await from("127.0.0.1", { "x-forwarded-for": "203.0.113.7" })).statusCode).toBe(403);
    const local = await from("127.0.0.1");
    expect(local.statusCode).toBe(200);
    expect(local.body).toContain("bb_updates_total");
  });

  it("with METRICS_PORT: served there, not on PORT", async () => {
    const { bot: b } = await bot({ METRICS_PORT: "0" });
    expect(b.metricsPort).toBeGreaterThan(0);
    expect(b.metricsPort).not.toBe(b.httpPort);
    expect((await fetch(`http://127.0.0.1:${b.httpPort}/metrics`)).status).toBe(404);
    const res = await fetch(`http://127.0.0.1:${b.metricsPort}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("bb_http_connections");
    // The webhooks and /healthz stay on PORT.
    expect((await fetch(`http://127.0.0.1:${b.metricsPort}/healthz`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${b.httpPort}/healthz`)).status).toBe(200);
  });
});
