// BullMQ never sees a phone number in a key, a job id or its event stream: a WhatsApp user
// schedules a reminder and gets a broadcast through the real bot (signed webhooks, the fake
// Graph API, BullMQ, Redis), and the queues' keys, ids and events hold no trace of the number;
// after /forget, nothing under the prefix does (the event stream used to keep `whatsapp_<number>`).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../src/app.js";
import { broadcastJobId, deliveryId, loadJobIdKey } from "../src/schedule/jobids.js";
import { FakeWhatsApp, buttonReply, choiceIds, postWebhook, seen, textMessage, whatsappEnv } from "./fakes/whatsapp.js";
import { en, FakeClock, startTestBot } from "./helpers/bot.js";
import { eventually, testRedis, type TestRedis } from "./helpers/redis.js";
import { tracesOf } from "./helpers/userscan.js";

const USER = "27829990001";
const OPERATOR = "27829990002";
let wa: FakeWhatsApp;
let r: TestRedis;
let bot: RunningApp;
const clock = new FakeClock(Date.now());

beforeAll(async () => {
  wa = await new FakeWhatsApp().start();
  r = await testRedis();
  bot = await startTestBot({
    redis: r,
    clock,
    env: {
      ...whatsappEnv(wa),
      ADMIN_IDS: `whatsapp:${OPERATOR}`,
      SCHEDULER_TICK_SECONDS: "59",
      WHATSAPP_RATE_LIMIT: "0",
    },
  });
});
afterAll(async () => {
  await bot.stop();
  await wa.stop();
  await r.cleanup();
});

const texts = (user: string) => wa.sentTo(user).map((s) => seen(s).text);
async function write(user: string, words: string, n = 1): Promise<void> {
  const before = wa.sentTo(user).length;
  expect((await postWebhook(bot.httpPort!, textMessage(user, words))).status).toBe(200);
  await eventually(() => wa.sentTo(user).length >= before + n, 5000, `reply to ${words}`);
}
async function tap(user: string, label: string, n = 1): Promise<void> {
  const send = [...wa.sentTo(user)].reverse().find((s) => seen(s).labels.includes(label));
  if (!send) throw new Error(`no button "${label}"`);
  const before = wa.sentTo(user).length;
  expect(
    (await postWebhook(bot.httpPort!, buttonReply(user, choiceIds(send)[seen(send).labels.indexOf(label)]!, label)))
      .status,
  ).toBe(200);
  await eventually(() => wa.sentTo(user).length >= before + n, 5000, `reply to ${label}`);
}

/** BullMQ's keys (names and whole values, event streams included) and the send guards' names that mention `needle`. */
async function queueTraces(needle: string): Promise<string[]> {
  const queuePrefix = `${r.keys.queuePrefix()}:`;
  const guards = (await r.allKeys()).filter((k) => k.startsWith(r.keys.sent("")) && k.includes(needle));
  return [...(await tracesOf(r, needle)).filter((k) => k.startsWith(queuePrefix)), ...guards];
}

describe("job ids", () => {
  it("carry no phone number into BullMQ's keys, job ids or event streams, and nothing of the user stays after /forget", async () => {
    await write(USER, "/start", 2);
    await write(USER, "/remind in 2 minutes call Thandi");
    await tap(USER, en.label("rem_save"));
    await write(USER, "daily 7:30");
    await tap(USER, en.label("wa_optin_yes"), 2);
    expect(await bot.schedule.daily.status(`whatsapp:${USER}`)).toBeDefined();

    await write(OPERATOR, "/broadcast");
    await write(OPERATOR, "News: a CV clinic on Friday", 2);
    await tap(OPERATOR, en.label("bc_send"));
    await eventually(
      async () =>
        (await bot.schedule.broadcasts.step(1000)) > 0 || (await bot.schedule.broadcasts.latest())?.enqueued === 1,
      5000,
      "broadcast queued",
    );
    clock.advance(2 * 60_000 + 1000);
    expect(await bot.schedule.tick()).toBeGreaterThanOrEqual(1);
    await eventually(
      () =>
        texts(USER).includes("News: a CV clinic on Friday") &&
        texts(USER).includes(en.text("remind.due", { what: "call Thandi" })),
      10_000,
      "reminder and broadcast delivered",
    );

    // The jobs existed, under ids the bot computes without storing the number anywhere.
    const key = await loadJobIdKey(r.redis, r.keys);
    const bc = (await bot.schedule.broadcasts.latest())!.id;
    expect(await r.redis.get(r.keys.sent(broadcastJobId(bc, `whatsapp:${USER}`, key)))).toBe("sent");
    // The reminder's guard too (a delivered job's id leaves the user's jobs set, so count the guards).
    const guards = (await r.allKeys()).filter((k) => k.startsWith(r.keys.sent("")));
    expect(guards.length).toBeGreaterThanOrEqual(2);
    const events = await r.redis.xrange(`${r.keys.queuePrefix()}:deliver-whatsapp:events`, "-", "+");
    expect(events.length).toBeGreaterThan(4); // the stream is there and was read
    expect(JSON.stringify(events)).toContain(broadcastJobId(bc, `whatsapp:${USER}`, key));
    expect(await queueTraces(USER)).toEqual([]);
    expect(deliveryId({ id: `d:whatsapp:${USER}`, dueAt: 1 }, key)).not.toContain(USER);

    await write(USER, "/forget");
    await tap(USER, en.label("forget_yes"));
    expect(await tracesOf(r, USER)).toEqual([]);
  });
});
