// What no request and no platform fault may do to the real process (src/main.ts run as `npm
// start` runs it): malformed request lines and paths get a 4xx and the process keeps serving; a
// Bot API that refuses or lacks setMyCommands does not keep the bot from starting and answering;
// a Bot API that drops or holds every connection does not keep SIGTERM from ending the process
// by its configured deadline; and while it stops, the Telegram webhook and /healthz answer 503.
import { afterEach, expect, it } from "vitest";
import { FakeTelegram } from "./fakes/telegram.js";
import { help } from "./helpers/messages.js";
import { rawRequest } from "./helpers/http.js";
import { BotProcesses, exited, serving } from "./helpers/processes.js";
import { eventually, testRedis } from "./helpers/redis.js";
import { freePort } from "./setup/global.js";

const procs = new BotProcesses();
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  procs.killAll();
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const r = await testRedis();
  cleanups.push(() => r.cleanup());
  const tg = await new FakeTelegram().start();
  cleanups.push(() => tg.stop());
  return { r, tg, port: await freePort() };
}

const MALFORMED = [
  "GET // HTTP/1.1",
  "GET /// HTTP/1.1",
  "GET //a:b HTTP/1.1",
  "GET //[ HTTP/1.1",
  "GET //healthz HTTP/1.1",
  "POST //telegram/webhook HTTP/1.1",
  "GET /% HTTP/1.1",
  "GET /%E0%A4%A HTTP/1.1",
  "GET http://[ HTTP/1.1",
  "GET http://evil.example/whatsapp/webhook HTTP/1.1",
  "GET * HTTP/1.1",
  "GET ?hub.mode=subscribe HTTP/1.1",
  "GET /\x7f HTTP/1.1",
  "GET /caf\xe9 HTTP/1.1",
  "GET / HTTP/9.9",
  "HELLO",
  "\x00\x01\x02\x03",
  "GET /whatsapp/webhook?hub.mode=subscribe&hub.mode=subscribe&hub.verify_token=a&hub.verify_token=b HTTP/1.1",
  "GET /healthz/../../etc/passwd HTTP/1.1",
  "DELETE /telegram/webhook HTTP/1.1",
  "PATCH /whatsapp/webhook HTTP/1.1",
];

it("answers malformed request lines and paths with 4xx, and keeps serving", async () => {
  const { r, tg, port } = await setup();
  const child = procs.spawn(r, tg, { PORT: String(port) });
  await serving(port);
  for (const line of MALFORMED) {
    const answer = await rawRequest(port, Buffer.from(`${line}\r\nHost: bot\r\n\r\n`, "latin1"));
    expect({ line, status: answer.status }).toMatchObject({ line, status: expect.any(Number) });
    expect(answer.status, `${JSON.stringify(line)} answered ${answer.head.split("\r\n")[0]}`).toBeGreaterThanOrEqual(
      400,
    );
    expect(answer.status).toBeLessThan(500);
  }
  // Headers far too large: 431, not a crash.
  const huge = await rawRequest(port, `GET /healthz HTTP/1.1\r\nHost: bot\r\nX-Big: ${"a".repeat(64 * 1024)}\r\n\r\n`);
  expect(huge.status).toBe(431);
  expect(child.exitCode).toBeNull();
  // Still serving: the health check, and a user on Telegram.
  expect((await rawRequest(port, "GET /healthz HTTP/1.1\r\nHost: bot\r\n\r\n")).status).toBe(200);
  expect(await tg.say(950, "/help", 1, 10_000)).toEqual([help()]);
  expect(child.exitCode).toBeNull();
}, 60_000);

it.each([
  [400, "Bad Request: BOT_COMMAND_INVALID"],
  [404, "Not Found"],
])(
  "starts and answers when the Bot API refuses setMyCommands with %i",
  async (code, description) => {
    const { r, tg } = await setup();
    tg.fail({ method: "setMyCommands", code, description, times: Infinity });
    const child = procs.spawn(r, tg, {}, { captureLog: true });
    expect(await tg.say(951, "/help", 1, 20_000)).toEqual([help()]);
    expect(tg.calls.some((c) => c.method === "!setMyCommands")).toBe(true);
    expect(child.exitCode).toBeNull();
    // Logged as a refusal with its reason, and the bot went on.
    const refusal = procs.logOf(child).find((l) => l.method === "setMyCommands");
    expect(refusal?.msg).toMatch(/setMyCommands refused; going on without it/);
    expect(String(refusal?.reason)).toContain(String(code));
  },
  40_000,
);

it.each([
  ["drops every connection", { drop: true }],
  ["holds every request without answering", { hangMs: 120_000 }],
])(
  "SIGTERM ends the process by its deadline while the Bot API %s",
  async (_what, fault) => {
    const { r, tg } = await setup();
    const deadlineSeconds = 3;
    // One try at a reply may take a minute: only the shutdown deadline can end it in time.
    const child = procs.spawn(
      r,
      tg,
      { SHUTDOWN_TIMEOUT_SECONDS: String(deadlineSeconds), TELEGRAM_REPLY_TIMEOUT_SECONDS: "60", LOG_LEVEL: "info" },
      { captureLog: true },
    );
    expect(await tg.say(952, "/help", 1, 20_000)).toEqual([help()]);

    // From the next reply on, the platform fails every call, getUpdates included.
    tg.fail({ method: "sendMessage", code: 504, description: "Gateway Timeout", times: Infinity, ...fault });
    tg.text(952, "/tip");
    await eventually(() => tg.calls.some((c) => c.method === "!sendMessage"), 20_000, "a reply to be tried");
    tg.fail({ method: "*", code: 504, description: "Gateway Timeout", times: Infinity, ...fault });

    child.kill("SIGTERM");
    // The old behaviour (network errors retried without end) waited 40 s to minutes here.
    const exit = await exited(child);
    expect(exit).toEqual({ code: 0, signal: null });
    const log = procs.logOf(child);
    expect(log.find((l) => l.msg === "stopping: finishing messages in flight")?.deadlineSeconds).toBe(deadlineSeconds);
    // It stopped by itself, cleanly or at the deadline; the unsent reply was logged without its text.
    expect(log.some((l) => l.msg === "stopped" || String(l.msg).startsWith("shutdown deadline passed"))).toBe(true);
    for (const l of log.filter((l) => l.msg === "reply not delivered"))
      expect(JSON.stringify(l)).not.toMatch(/"text"|payload|chat_id/);
  },
  60_000,
);

it("answers 503 on the Telegram webhook while stopping, and handles nothing it refused", async () => {
  const { r, tg, port } = await setup();
  const secret = "stop-secret_123";
  const child = procs.spawn(
    r,
    tg,
    {
      PORT: String(port),
      TELEGRAM_WEBHOOK_SECRET: secret,
      PUBLIC_URL: "https://bot.example.org",
      SHUTDOWN_TIMEOUT_SECONDS: "6",
      TELEGRAM_REPLY_TIMEOUT_SECONDS: "60",
    },
    { captureLog: true },
  );
  await serving(port);
  await eventually(() => tg.calls.some((c) => c.method === "setWebhook"), 20_000, "setWebhook");
  let nextId = 50_000;
  const post = (user: number, text: string) =>
    fetch(`http://127.0.0.1:${port}/telegram/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
      body: JSON.stringify({
        update_id: nextId++,
        message: {
          message_id: 1,
          date: 0,
          chat: { id: user, type: "private" },
          from: { id: user, is_bot: false, first_name: "U" },
          text,
        },
      }),
    }).then(
      (res) => res.status,
      () => "closed" as const,
    );

  // A reply in flight holds the stop: the platform does not answer it.
  tg.fail({
    method: "sendMessage",
    code: 504,
    description: "Gateway Timeout",
    times: Infinity,
    hangMs: 120_000,
    chats: ["953"],
  });
  void post(953, "/help");
  await eventually(() => tg.calls.some((c) => c.method === "!sendMessage"), 20_000, "the held reply");

  child.kill("SIGTERM");
  // Each try from another user: one that came before the stop began is answered normally.
  const refused: number[] = [];
  let user = 960;
  await eventually(
    async () => {
      const u = user++;
      if ((await post(u, "/help")) !== 503) return false;
      refused.push(u);
      return true;
    },
    20_000,
    "503 while stopping",
  );
  // The health check says so too, so a load balancer stops sending here.
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(health.status).toBe(503);
  expect(await health.json()).toMatchObject({ checks: expect.arrayContaining([{ name: "running", ok: false }]) });
  expect(await exited(child)).toEqual({ code: 0, signal: null });
  // What was refused was not handled: Telegram redelivers it to a running process.
  expect(refused).toHaveLength(1);
  expect(tg.sent(refused[0]!)).toHaveLength(0);
}, 60_000);
