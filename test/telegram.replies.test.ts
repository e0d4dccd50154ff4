// A reply to a Telegram user has an end: a few tries, whatever the failure (the network dropping
// the connection, 5xx, 429), then "reply not delivered" is logged without the text and the
// user's next message is answered. The real bot with the fake Bot API.
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../src/log.js";
import type { RunningApp } from "../src/app.js";
import { REPLY_ATTEMPTS } from "../src/channels/telegram/client.js";
import { boundedRetry } from "../src/channels/telegram/retry.js";
import { HttpError } from "grammy";
import { FakeTelegram } from "./fakes/telegram.js";
import { startTestBot } from "./helpers/bot.js";
import { help } from "./helpers/messages.js";
import { eventually, testRedis } from "./helpers/redis.js";

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ tg: FakeTelegram; bot: RunningApp; log: Record<string, unknown>[] }> {
  const r = await testRedis();
  cleanups.push(() => r.cleanup());
  const tg = await new FakeTelegram().start();
  cleanups.push(() => tg.stop());
  const log: Record<string, unknown>[] = [];
  const bot = await startTestBot({
    redis: r,
    telegram: tg,
    log: createLogger("warn", { write: (s: string) => void log.push(JSON.parse(s) as Record<string, unknown>) }),
  });
  cleanups.push(() => bot.stop());
  return { tg, bot, log };
}

it.each([
  ["the connection is dropped", { drop: true, code: 0, description: "" }],
  ["the Bot API answers 502", { code: 502, description: "Bad Gateway" }],
])(
  "when %s: a reply gets a few tries, is logged undelivered without its text, and the next message is answered",
  async (_what, fault) => {
    const { tg, log } = await setup();
    const user = 4101;
    tg.fail({ method: "sendMessage", chats: [String(user)], times: Infinity, ...fault });
    tg.text(user, "/help");
    tg.text(user, "/tip"); // waits behind the first in the chat's queue
    await eventually(() => log.some((l) => l.msg === "reply not delivered"), 20_000, "the reply given up");
    const tries = tg.calls.filter((c) => c.method === "!sendMessage").length;
    tg.clearFailures();
    // The second message's reply goes out once the first is given up.
    await eventually(() => tg.sent(user).length === 1, 20_000, "the next message answered");
    expect(tg.texts(user)[0]).not.toBe(help());
    // Few tries: the first reply's, and at most those of the second before failures were cleared.
    expect(tries).toBeGreaterThanOrEqual(REPLY_ATTEMPTS);
    expect(tries).toBeLessThanOrEqual(2 * REPLY_ATTEMPTS);
    const line = log.find((l) => l.msg === "reply not delivered")!;
    expect(JSON.stringify(line)).not.toContain(help().slice(0, 30));
    expect(line.user).toMatch(/^[A-Za-z0-9_-]{12}$/);
  },
  40_000,
);

it("waits out a 429's retry_after within the tries, and delivers once", async () => {
  const { tg } = await setup();
  const user = 4102;
  tg.fail({
    method: "sendMessage",
    chats: [String(user)],
    code: 429,
    description: "Too Many Requests: retry after 1",
    retryAfter: 1,
    times: 1,
  });
  expect(await tg.say(user, "/help", 1, 10_000)).toEqual([help()]);
  expect(tg.calls.filter((c) => c.method === "!sendMessage")).toHaveLength(1);
  const [refused, sent] = [tg.calls.find((c) => c.method === "!sendMessage")!, tg.sent(user)[0]!];
  expect(sent.at - refused.at).toBeGreaterThanOrEqual(900);
});

describe("boundedRetry", () => {
  type Prev = Parameters<ReturnType<typeof boundedRetry>>[0];
  const call = (o: Parameters<typeof boundedRetry>[0], prev: (n: number) => Promise<unknown>) => {
    let n = 0;
    const run = boundedRetry(o)((async () => prev(++n)) as unknown as Prev, "sendMessage", {
      chat_id: 1,
      text: "x",
    } as never);
    return { run, calls: () => n };
  };
  const network = () =>
    Promise.reject(new HttpError("Network request for 'sendMessage' failed!", new Error("ECONNRESET")));

  it("counts network errors against the tries (auto-retry retried them without end)", async () => {
    const c = call({ attempts: 3, budgetMs: 60_000, backoffMs: () => 1 }, network);
    await expect(c.run).rejects.toBeInstanceOf(HttpError);
    expect(c.calls()).toBe(3);
  });

  it("retries 5xx and 429, never what waiting cannot mend (400, 403)", async () => {
    const answer = (error_code: number, retry_after?: number) => async () => ({
      ok: false,
      error_code,
      description: "x",
      ...(retry_after ? { parameters: { retry_after } } : {}),
    });
    const five = call({ attempts: 3, budgetMs: 60_000, backoffMs: () => 1 }, answer(502));
    expect(await five.run).toMatchObject({ ok: false, error_code: 502 });
    expect(five.calls()).toBe(3);
    for (const code of [400, 403]) {
      const c = call({ attempts: 3, budgetMs: 60_000, backoffMs: () => 1 }, answer(code));
      expect(await c.run).toMatchObject({ error_code: code });
      expect(c.calls()).toBe(1);
    }
    // A retry_after past the budget is not waited for.
    const long = call({ attempts: 3, budgetMs: 5_000 }, answer(429, 30));
    expect(await long.run).toMatchObject({ error_code: 429 });
    expect(long.calls()).toBe(1);
  });

  it("stops at once, mid-wait, when abandoned (the shutdown deadline)", async () => {
    const abandon = new AbortController();
    const c = call({ attempts: 3, budgetMs: 3_600_000, backoffMs: () => 600_000, abandon: abandon.signal }, network);
    await eventually(() => c.calls() === 1);
    await new Promise((res) => setImmediate(res)); // the failed try handled: now waiting ten minutes
    abandon.abort();
    await expect(c.run).rejects.toThrow(/abandoned/);
    expect(c.calls()).toBe(1);
  });
});
