// WhatsApp against the schedule and privacy, through the real bot (fake Graph API, signed
// webhooks, BullMQ, Redis): gone from a status webhook or a delivery stops the user's schedule
// and is counted once; a per-user rate limit delays only that user's job; no template drops the
// job with the setting to fix; the inactivity notice uses its template; /daily asks the opt-in.
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../src/app.js";
import type { UserKey } from "../src/core/types.js";
import { deliveryId as jobIdOf, loadJobIdKey } from "../src/schedule/jobids.js";
import {
  FakeWhatsApp,
  buttonReply,
  choiceIds,
  failedStatus,
  postWebhook,
  seen,
  textMessage,
  whatsappEnv,
} from "./fakes/whatsapp.js";
import { en, FakeClock, startTestBot } from "./helpers/bot.js";
import { eventually, testRedis, type TestRedis } from "./helpers/redis.js";

let wa: FakeWhatsApp;
let r: TestRedis;
let bot: RunningApp;
const clock = new FakeClock(Date.now());
const logLines: string[] = [];
const JHB = "Africa/Johannesburg";
/** The job id the bot gave an item (keyed hashes: see src/schedule/jobids.ts). */
const deliveryId = async (item: Parameters<typeof jobIdOf>[0]) => jobIdOf(item, await loadJobIdKey(r.redis, r.keys));

beforeAll(async () => {
  wa = await new FakeWhatsApp().start();
  r = await testRedis();
  const log = pino({ level: "info" }, new Writable({ write: (c, _e, cb) => (logLines.push(String(c)), cb()) }));
  bot = await startTestBot({
    redis: r,
    clock,
    log,
    env: {
      ...whatsappEnv(wa, { WHATSAPP_TEMPLATE_INACTIVITY: "bounce_back_inactivity" }),
      SCHEDULER_TICK_SECONDS: "59",
    },
  });
});
afterAll(async () => {
  await bot.stop();
  await wa.stop();
  await r.cleanup();
});

const key = (n: string): UserKey => `whatsapp:${n}`;

async function write(user: string, words: string, n = 1): Promise<void> {
  const before = wa.sentTo(user).length;
  expect((await postWebhook(bot.httpPort!, textMessage(user, words))).status).toBe(200);
  await eventually(() => wa.sentTo(user).length >= before + n, 5000, `reply to ${words}`);
}
async function tap(user: string, label: string, n = 1): Promise<void> {
  const send = [...wa.sentTo(user)].reverse().find((s) => seen(s).labels.includes(label));
  if (!send) throw new Error(`no button "${label}"`);
  const id = choiceIds(send)[seen(send).labels.indexOf(label)]!;
  const before = wa.sentTo(user).length;
  expect((await postWebhook(bot.httpPort!, buttonReply(user, id, label))).status).toBe(200);
  await eventually(() => wa.sentTo(user).length >= before + n, 5000, `reply to ${label}`);
}
const texts = (user: string) => wa.sentTo(user).map((s) => seen(s).text);

async function failedCount(field: string): Promise<number> {
  const failedKeys = (await r.allKeys()).filter((k) => k.startsWith(`${r.prefix}:stat:failed:`));
  const hashes = await Promise.all(failedKeys.map((k) => r.redis.hgetall(k)));
  return hashes.reduce((n, h) => n + Number(h[field] ?? 0), 0);
}
const counter = async (name: string) => Number((await r.redis.get(r.keys.counter(name))) ?? 0);

async function remindSoon(user: string, what: string) {
  const added = await bot.schedule.index.add({
    user: key(user),
    kind: "reminder",
    dueAt: clock.now() + 1000,
    text: what,
  });
  if (added.status !== "scheduled") throw new Error("not scheduled");
  clock.advance(1000);
  expect(await bot.schedule.tick()).toBe(1);
  return added.item;
}

describe("WhatsApp gone", () => {
  it("from a failed status webhook (131026): daily and reminders end, counted", async () => {
    const u = "27820000101";
    await write(u, "/start", 2);
    await bot.schedule.daily.subscribe(key(u), "07:00", JHB);
    await bot.schedule.index.add({ user: key(u), kind: "reminder", dueAt: clock.now() + 86_400_000, text: "later" });
    expect((await postWebhook(bot.httpPort!, failedStatus(u, 131026))).status).toBe(200);
    await eventually(
      async () =>
        (await bot.schedule.daily.status(key(u))) === undefined && (await bot.schedule.index.list(key(u))).length === 0,
      5000,
      "daily and reminders ended",
    );
    expect(await bot.schedule.index.list(key(u))).toEqual([]);
    expect(await failedCount("whatsapp|gone|undeliverable (131026)")).toBe(1);
    expect(await r.redis.sismember(r.keys.counter("blocked:whatsapp"), key(u))).toBe(1);
  });

  it("from a delivery (131050): stopped and counted once, not twice", async () => {
    const u = "27820000102";
    await write(u, "/start", 2);
    await bot.schedule.daily.subscribe(key(u), "07:00", JHB);
    wa.fail({ code: 131050, to: u });
    await remindSoon(u, "call");
    await eventually(async () => (await counter("delivery_gone_whatsapp")) === 1, 5000, "gone counted");
    await eventually(
      async () =>
        (await bot.schedule.daily.status(key(u))) === undefined && (await bot.schedule.index.list(key(u))).length === 0,
      5000,
      "daily and reminders ended",
    );
    expect(await failedCount("whatsapp|gone|user stopped marketing messages (131050)")).toBe(1);
  });
});

describe("WhatsApp per-user rate limit (131056)", () => {
  it("delays only that user's job; the queue keeps delivering to others", async () => {
    const [slow, other] = ["27820000201", "27820000202"];
    await write(slow, "/start", 2);
    await write(other, "/start", 2);
    wa.fail({ code: 131056, to: slow });
    const item = await remindSoon(slow, "pair limit");
    const queue = bot.schedule.queues.queue("whatsapp");
    await eventually(
      async () => (await (await queue.getJob(await deliveryId(item)))?.getState()) === "delayed",
      5000,
      "job delayed",
    );
    // Counted just after the move (workers.ts): the state can be read before the count lands.
    await eventually(async () => (await counter("delivery_user_delayed_whatsapp")) === 1, 5000, "delay counted");
    const job = (await queue.getJob(await deliveryId(item)))!;
    expect(job.attemptsMade).toBe(0);

    // The pair limit asks for 6 s; a paused queue would hold this one that long too.
    await remindSoon(other, "not held up");
    await eventually(
      () => texts(other).at(-1) === en.text("remind.due", { what: "not held up" }),
      2500,
      "other user's reminder",
    );

    await job.promote();
    await eventually(
      () => texts(slow).at(-1) === en.text("remind.due", { what: "pair limit" }),
      5000,
      "delayed reminder sent",
    );
    expect(texts(slow).filter((t) => t === en.text("remind.due", { what: "pair limit" }))).toHaveLength(1);
  });
});

describe("WhatsApp /daily opt-in", () => {
  it("asks before subscribing; no subscribes nothing, yes confirms and goes on to the time", async () => {
    const u = "27820000301";
    await write(u, "/start", 2);
    await write(u, "/daily");
    expect(seen(wa.sentTo(u).at(-1)!)).toMatchObject({
      text: en.text("whatsapp.optin"),
      labels: [en.label("wa_optin_yes"), en.label("wa_optin_no")],
    });
    await tap(u, en.label("wa_optin_no"));
    expect(texts(u).at(-1)).toBe(en.text("whatsapp.optin_no"));
    expect(await bot.schedule.daily.status(key(u))).toBeUndefined();

    await write(u, "daily 7:30");
    expect(texts(u).at(-1)).toBe(en.text("whatsapp.optin"));
    expect(await bot.schedule.daily.status(key(u))).toBeUndefined();
    await tap(u, en.label("wa_optin_yes"), 2);
    expect(texts(u).at(-2)).toBe(en.text("whatsapp.optin_yes"));
    expect(await bot.schedule.daily.status(key(u))).toMatchObject({ time: "07:30" });
    expect(Number(await r.redis.hget(r.keys.user(key(u), "profile"), "waOptIn"))).toBe(clock.now());
    // Not due later in this file, where the clock moves a day on.
    await bot.schedule.daily.unsubscribe(key(u));
  });
});

// Last: these move the clock a day on, past everyone's 24-hour window.
describe("WhatsApp templates outside the 24-hour window", () => {
  it("no template configured: the job is dropped, counted, and the log names the setting", async () => {
    const u = "27820000401";
    await write(u, "/start", 2);
    clock.advance(25 * 3600_000);
    const sentBefore = wa.sentTo(u).length;
    const item = await remindSoon(u, "outside");
    const queue = bot.schedule.queues.queue("whatsapp");
    // Dropped, not failed: the counter moves and the job is gone (finished jobs are deleted at once).
    await eventually(async () => (await counter("delivery_needs_template_whatsapp")) === 1, 5000, "job dropped");
    await eventually(async () => (await queue.getJob(await deliveryId(item))) === undefined, 5000, "job finished");
    expect(wa.sentTo(u)).toHaveLength(sentBefore);
    expect(logLines.some((l) => l.includes("delivery dropped") && l.includes("WHATSAPP_TEMPLATE_REMINDER"))).toBe(true);
  });

  it("the inactivity notice goes out as the WHATSAPP_TEMPLATE_INACTIVITY template", async () => {
    const u = "27820000402";
    await write(u, "/start", 2);
    clock.advance(25 * 3600_000);
    const notify = bot.retention.options.notify;
    expect(await notify(key(u))).toBe("sent");
    const last = wa.sentTo(u).at(-1)!.payload as { type: string; template?: { name: string } };
    expect(last).toMatchObject({ type: "template", template: { name: "bounce_back_inactivity" } });
  });
});
