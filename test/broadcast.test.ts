// /broadcast through the real bot (grammY against the fake Bot API, BullMQ, real Redis): only
// operators may use it; preview, then confirm; it reaches daily subscribers and nobody else;
// it skips those who stopped or used /forget meanwhile; a stop midway leaves the rest unsent;
// the message never reaches the log.
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../src/log.js";
import type { RunningApp } from "../src/app.js";
import type { UserKey } from "../src/core/types.js";
import { FakeTelegram } from "./fakes/telegram.js";
import { FakeWhatsApp, whatsappEnv } from "./fakes/whatsapp.js";
import { dailyBucketOf } from "../src/store/keys.js";
import { DailySubscribers } from "../src/store/daily-subscribers.js";
import { en, settled, startTestBot } from "./helpers/bot.js";
import { eventually, testRedis, type TestRedis } from "./helpers/redis.js";

const ADMIN = 9100;
const JHB = "Africa/Johannesburg";
let tg: FakeTelegram | undefined;
let r: TestRedis | undefined;
let bot: RunningApp | undefined;
let wa: FakeWhatsApp | undefined;
afterEach(async () => {
  await bot?.stop();
  await tg?.stop();
  await wa?.stop();
  wa = undefined;
  await r?.cleanup();
  bot = tg = r = undefined;
});

async function start(
  env: Record<string, string> = {},
  lines?: string[],
): Promise<{ tg: FakeTelegram; r: TestRedis; bot: RunningApp }> {
  tg = await new FakeTelegram().start();
  r = await testRedis();
  const log = lines ? createLogger("debug", { write: (s: string) => void lines.push(s) }) : undefined;
  bot = await startTestBot({
    redis: r,
    telegram: tg,
    log,
    env: { ADMIN_IDS: `telegram:${ADMIN}`, TELEGRAM_RATE_LIMIT: "0", ...env },
  });
  return { tg, r, bot };
}

const say = (chat: number, text: string, replies = 1) => tg!.say(chat, text, replies);
const press = (chat: number, data: string, replies = 1) => tg!.tap(chat, data, replies);

function buttonsOf(chat: number): string[] {
  const last = tg!.sent(chat).at(-1)!;
  const kb =
    (last.params.reply_markup as { inline_keyboard?: { callback_data: string }[][] } | undefined)?.inline_keyboard ??
    [];
  return kb.flat().map((b) => b.callback_data);
}

/** Subscribers made the way /daily makes them. */
async function subscribe(b: RunningApp, chats: number[]): Promise<void> {
  for (const c of chats) await b.schedule.daily.subscribe(`telegram:${c}` as UserKey, "07:00", JHB);
}

/** A catalog message with every placeholder as a wildcard. */
function template(id: string): RegExp {
  const raw = en.message(id).variants[0]!.text;
  return new RegExp(
    `^${raw
      .split(/\{[a-zA-Z]+\}/)
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    "s",
  );
}

const got = (chat: number, message: string) => tg!.texts(chat).filter((t) => t === message).length;

describe("/broadcast", () => {
  it("is an unknown command for anyone but ADMIN_IDS, and nothing is sent", async () => {
    const { bot, r } = await start();
    await subscribe(bot, [9201, 9202]);
    const [answer] = await say(9201, "/broadcast Hello everyone");
    expect(answer).toBe(en.text("core.unknown_command", { command: "/broadcast" }));
    expect(await say(9201, "Hello everyone")).not.toContain(
      en.text("broadcast.preview", { count: 2, audience: "all channels" }),
    );
    expect(await r.redis.get(r.keys.broadcast("latest"))).toBeNull();
    await settled(bot); // what a tick would do, done, and the queues empty: nothing can follow
    expect(got(9202, "Hello everyone")).toBe(0);
  });

  it("shows the message as subscribers will see it and how many, sends only after confirmation, once each, and never logs the text", async () => {
    const lines: string[] = [];
    const { bot, r } = await start({}, lines);
    const subscribers = [9301, 9302, 9303];
    await subscribe(bot, [...subscribers, 9304]);
    await bot.schedule.daily.unsubscribe("telegram:9304"); // left before: not counted, not sent
    expect(await new DailySubscribers(r.redis, r.keys).countByChannel()).toEqual({ telegram: 3 });
    const message = "Quick news from Bounce Back: ask-me-anything with a recruiter on Friday at 18:00. Zebra-417";

    expect(await say(ADMIN, "/broadcast")).toEqual([en.text("broadcast.ask_text")]);
    const [preview, ask] = await say(ADMIN, message, 2);
    expect(preview).toBe(message); // exactly what subscribers get
    expect(ask).toBe(en.text("broadcast.preview", { count: 3, audience: "all channels" }));
    expect(buttonsOf(ADMIN)).toEqual(["broadcast.confirm:send", "broadcast.confirm:edit", "broadcast.confirm:discard"]);
    await settled(bot); // a tick, and the queues empty: nothing goes out before "send"
    for (const c of subscribers) expect(got(c, message)).toBe(0);

    expect(await press(ADMIN, "broadcast.confirm:send")).toEqual([
      en.text("broadcast.started", { count: 3, audience: "all channels" }),
    ]);
    await eventually(() => subscribers.every((c) => got(c, message) === 1), 10_000, "every subscriber served");
    await eventually(async () => (await bot.schedule.broadcasts.latest())?.status === "finished", 5000, "finished");
    expect(await bot.schedule.broadcasts.latest()).toMatchObject({
      planned: 3,
      enqueued: 3,
      sent: 3,
      failed: 0,
      skipped: 0,
    });
    await settled(bot);
    for (const c of subscribers) expect(got(c, message)).toBe(1);
    expect(got(9304, message)).toBe(0);
    expect(got(ADMIN, message)).toBe(1); // the preview only: the operator is not a subscriber

    // Finished: /broadcast starts a new one rather than showing progress.
    expect(await say(ADMIN, "/broadcast")).toEqual([en.text("broadcast.ask_text")]);
    expect(await say(ADMIN, "/cancel")).toHaveLength(1);
    await bot.stop(); // flushes the log
    const all = lines.join("");
    expect(all).toContain("broadcast started"); // the capture works
    expect(all).not.toContain("Zebra-417");
  });

  it("takes a draft that reads like crisis language as a draft, while the operator's own words still get the safety check", async () => {
    const { bot } = await start();
    await subscribe(bot, [9451]);
    await say(ADMIN, "/broadcast");
    const draft = "Feeling hopeless after a rejection? You are not alone: SADAG 0800 567 567";
    const [preview, ask] = await say(ADMIN, draft, 2);
    expect(preview).toBe(draft);
    expect(ask).toBe(en.text("broadcast.preview", { count: 1, audience: "all channels" }));
    await press(ADMIN, "broadcast.confirm:discard");
    // Outside the operator flow, the operator is a person like any other.
    const [crisis] = await say(ADMIN, "honestly I want to die", 2);
    expect(crisis!.split("\n")[0]).toBe(en.text("safety.crisis", { helplines: "" }).split("\n")[0]);
    expect(crisis).toContain("0800 567 567");
  });

  it.each([
    ["pressing 'Send'", () => press(ADMIN, "broadcast.confirm:send")],
    ["typing 'yes'", () => say(ADMIN, "yes")],
    ["typing the button's label", () => say(ADMIN, en.label("bc_send"))],
  ])(
    "an operator removed from ADMIN_IDS after drafting cannot send the draft by %s: the flow closes kindly, nothing is created or queued",
    async (_, confirm) => {
      const { bot: first, r } = await start();
      await subscribe(first, [9701, 9702]);
      await say(ADMIN, "/broadcast");
      const [, ask] = await say(ADMIN, "Drafted while still an operator", 2);
      expect(ask).toBe(en.text("broadcast.preview", { count: 2, audience: "all channels" }));
      // Restart without the operator (another one stays, so the deployment still has operators).
      await first.stop();
      bot = await startTestBot({ redis: r, telegram: tg!, env: { ADMIN_IDS: "telegram:1", TELEGRAM_RATE_LIMIT: "0" } });

      expect(await confirm()).toEqual([en.text("core.no_longer_operator")]);
      expect(await r.redis.get(r.keys.broadcast("latest"))).toBeNull();
      expect(await r.redis.get(r.keys.broadcast("seq"))).toBeNull();
      expect(await bot.schedule.queues.queue("telegram").getJobCounts()).toMatchObject({
        waiting: 0,
        prioritized: 0,
        delayed: 0,
        active: 0,
      });
      // The flow is over: the draft's buttons are now from an earlier chat, and /broadcast is unknown.
      expect(await press(ADMIN, "broadcast.confirm:send")).toEqual([en.text("core.expired_button")]);
      expect(await say(ADMIN, "/broadcast")).toEqual([en.text("core.unknown_command", { command: "/broadcast" })]);
      expect(await r.redis.get(r.keys.broadcast("latest"))).toBeNull();
    },
  );

  it("'Don't send' sends nothing; 'Change the text' asks again", async () => {
    const { bot, r } = await start();
    await subscribe(bot, [9401]);
    await say(ADMIN, "/broadcast");
    await say(ADMIN, "First draft", 2);
    expect(await press(ADMIN, "broadcast.confirm:edit")).toEqual([en.text("broadcast.ask_text")]);
    await say(ADMIN, "Second draft", 2);
    expect(await press(ADMIN, "broadcast.confirm:discard")).toEqual([en.text("broadcast.not_sent")]);
    expect(await r.redis.get(r.keys.broadcast("latest"))).toBeNull();
    await settled(bot);
    expect(tg!.sent(9401)).toHaveLength(0);
  });

  it("skips those who stopped or used /forget after it started; a stop midway leaves the rest unsent", async () => {
    // 4 messages a second: slow enough to act in the middle.
    const { bot, r } = await start({ TELEGRAM_RATE_LIMIT: "4" });
    const chats = Array.from({ length: 40 }, (_, i) => 9500 + i);
    await subscribe(bot, chats);
    const message = "A broadcast to stop midway";
    await say(ADMIN, "/broadcast");
    await say(ADMIN, message, 2);
    await press(ADMIN, "broadcast.confirm:send");
    // Everyone queued first, so that those who leave are skipped at delivery time.
    await eventually(async () => (await bot.schedule.broadcasts.latest())?.enqueued === 40, 5000, "all queued");
    // Leavers spread over the delivery order (the daily buckets' order), so some
    // come before the stop (after 15 sends) and some after, whatever the timing.
    const order = [...chats].sort((a, b) => dailyBucketOf(`telegram:${a}`) - dailyBucketOf(`telegram:${b}`));
    const leaving = order.filter((_, i) => i % 3 === 2).slice(0, 10);
    for (const c of leaving.slice(0, 8)) await bot.schedule.daily.unsubscribe(`telegram:${c}`);
    for (const c of leaving.slice(8)) await bot.userData.forget(`telegram:${c}`);
    const servedBeforeLeaving = new Set(leaving.filter((c) => got(c, message) > 0));

    await eventually(() => chats.filter((c) => got(c, message) > 0).length >= 15, 10_000, "some sent");
    const [progress] = await say(ADMIN, "/broadcast");
    expect(progress).toMatch(template("broadcast.progress"));
    expect(progress).toContain(
      en
        .text("broadcast.progress", {
          state: "",
          audience: "all channels",
          planned: "40",
          enqueued: "",
          sent: "",
          failed: "",
          skipped: "",
        })
        .split("\n")
        .find((l) => l.includes("40"))!,
    );
    expect(buttonsOf(ADMIN)).toEqual(["broadcast.running:stop", "broadcast.running:refresh"]);
    const [stopped] = await press(ADMIN, "broadcast.running:stop");
    const atStop = chats.filter((c) => got(c, message) > 0).length;
    expect(stopped).toMatch(template("broadcast.cancelled"));
    // Every job left is worked through (dropped: the broadcast is cancelled): nothing can follow.
    await settled(bot);
    const after = chats.filter((c) => got(c, message) > 0).length;
    // At most the few already handed to the worker when it stopped (its concurrency is 4 at this rate).
    expect(after).toBeLessThanOrEqual(atStop + 4);
    expect(after).toBeLessThan(chats.length - leaving.length);
    for (const c of chats) expect(got(c, message)).toBeLessThanOrEqual(1);
    for (const c of leaving) if (!servedBeforeLeaving.has(c)) expect(got(c, message)).toBe(0);
    const p = await bot.schedule.broadcasts.latest();
    expect(p?.status).toBe("cancelled");
    expect(p?.skipped).toBeGreaterThan(0); // leavers whose turn came before the stop
    // Stopped: /broadcast offers a new one.
    expect(await say(ADMIN, "/broadcast")).toEqual([en.text("broadcast.ask_text")]);
    expect(await r.redis.hget(r.keys.broadcast(p!.id), "status")).toBe("cancelled");
  });
});

describe("/broadcast with Telegram and WhatsApp", () => {
  it("asks for the audience, sends to that channel only, and uses the broadcast template outside WhatsApp's 24-hour window", async () => {
    wa = await new FakeWhatsApp().start();
    const { bot } = await start(whatsappEnv(wa, { WHATSAPP_TEMPLATE_BROADCAST: "bounce_back_news" }));
    await subscribe(bot, [9601, 9602]);
    await bot.schedule.daily.subscribe("whatsapp:27830009601", "07:00", JHB); // never wrote: outside the window
    const message = "Tonight at 19:00:\na live Q&A with a recruiter.";
    await say(ADMIN, "/broadcast");
    const [ask] = await say(ADMIN, message);
    expect(ask).toBe(en.text("broadcast.ask_audience", { counts: "Telegram 2 · WhatsApp 1" }));
    expect(buttonsOf(ADMIN)).toEqual([
      "broadcast.audience:all",
      "broadcast.audience:telegram",
      "broadcast.audience:whatsapp",
    ]);
    const [preview, confirm] = await press(ADMIN, "broadcast.audience:whatsapp", 2);
    expect(preview).toBe(message);
    expect(confirm).toBe(en.text("broadcast.preview", { count: 1, audience: "WhatsApp" }));
    await press(ADMIN, "broadcast.confirm:send");
    await eventually(() => wa!.sentTo("27830009601").length === 1, 10_000, "the WhatsApp subscriber served");
    expect(wa.sentTo("27830009601")[0]!.payload).toMatchObject({
      type: "template",
      template: {
        name: "bounce_back_news",
        components: [
          { type: "body", parameters: [{ type: "text", text: "Tonight at 19:00: a live Q&A with a recruiter." }] },
        ],
      },
    });
    await eventually(async () => (await bot.schedule.broadcasts.latest())?.status === "finished", 5000, "finished");
    expect(got(9601, message) + got(9602, message)).toBe(0);
  });
});
