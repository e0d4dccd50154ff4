// Reminders and daily messages end to end: the real bot (grammY, BullMQ, Redis) and the fake
// Bot API, with the schedule's clock injected so days pass in milliseconds.
import { DateTime } from "luxon";
import { formatLocal } from "../src/core/time.js";
import type { UserKey } from "../src/core/types.js";
import type { FakeTelegram } from "./fakes/telegram.js";
import { en, settled } from "./helpers/bot.js";
import { describe, expect, test } from "./helpers/fixtures.js";
import { eventually, type TestRedis } from "./helpers/redis.js";
import { dailyTexts } from "./helpers/messages.js";

const JHB = "Africa/Johannesburg";
// The ticker is slowed to a minute: each test ticks by hand, on the injected clock.
const it = test.override({
  startAt: DateTime.fromISO("2026-11-26T10:00", { zone: JHB }).toMillis(),
  env: { SCHEDULER_TICK_SECONDS: "59" },
});

function buttons(tg: FakeTelegram, user: number): { text: string; callback_data: string }[] {
  const last = tg.sent(user).at(-1)!;
  return (
    (
      last.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] } | undefined
    )?.inline_keyboard.flat() ?? []
  );
}
const dueCount = (r: TestRedis) => r.redis.zcard(r.keys.sched("due"));

describe("reminders", () => {
  it("echoes a reminder, saves it on yes, and delivers it once at its time with done / again buttons", async ({
    telegram: tg,
    redis: r,
    bot,
    clock,
  }) => {
    const [echo] = await tg.say(601, "/remind tomorrow 9am follow up with Acme");
    const dueAt = DateTime.fromISO("2026-11-27T09:00", { zone: JHB }).toMillis();
    expect(echo).toBe(
      en.text("remind.confirm", { when: formatLocal(dueAt, JHB), zone: JHB, what: "follow up with Acme" }),
    );
    expect(await dueCount(r)).toBe(0); // nothing saved before the yes
    const [saved] = await tg.tap(601, "remind.confirm:yes");
    expect(saved).toBe(en.text("remind.saved", { when: formatLocal(dueAt, JHB) }));
    expect(await dueCount(r)).toBe(1);

    clock.set(dueAt - 60_000);
    expect(await bot.schedule.tick()).toBe(0);
    clock.set(dueAt);
    expect(await bot.schedule.tick()).toBe(1);
    await eventually(() => tg.texts(601).length === 3);
    expect(tg.texts(601)[2]).toBe(en.text("remind.due", { what: "follow up with Acme" }));
    expect(buttons(tg, 601).map((b) => b.text)).toEqual([en.label("rem_done"), en.label("rem_again")]);
    clock.advance(3600_000);
    await settled(bot);
    expect(tg.texts(601)).toHaveLength(3);

    // "Remind me again in a week" puts it back, a week from now.
    const again = buttons(tg, 601)[1]!.callback_data;
    const [snoozed] = await tg.tap(601, again);
    const weekLater = DateTime.fromMillis(clock.now(), { zone: JHB }).plus({ weeks: 1 }).toMillis();
    expect(snoozed).toBe(en.text("remind.snoozed", { when: formatLocal(weekLater, JHB) }));
    clock.set(weekLater);
    await bot.schedule.tick();
    await eventually(() => tg.texts(601).length === 5);
    expect(tg.texts(601)[4]).toBe(en.text("remind.due", { what: "follow up with Acme" }));
  });

  it("lists reminders in local time and cancels one from its button", async ({ telegram: tg, redis: r }) => {
    await tg.say(602, "/remind in 2 weeks call Thandi");
    await tg.tap(602, "remind.confirm:yes");
    await tg.say(602, "/remind on 1 March reapply at Shoprite");
    await tg.tap(602, "remind.confirm:yes");
    const [list] = await tg.say(602, "/reminders");
    expect(list).toContain("call Thandi");
    expect(list).toContain(formatLocal(DateTime.fromISO("2027-03-01T09:00", { zone: JHB }).toMillis(), JHB));
    const reminder = `${en.text("remind.kind_reminder")}`;
    expect(buttons(tg, 602).map((b) => b.text)).toEqual([`1. ${reminder}`, `2. ${reminder}`, en.label("done")]);
    // One tap on the item, one on "Cancel it", then the confirmation.
    await tg.tap(602, buttons(tg, 602)[0]!.callback_data);
    await tg.tap(602, "reminders.item:cancel");
    const [cancelled] = await tg.tap(602, "reminders.confirm:yes");
    expect(cancelled).toBe(en.text("remind.cancelled"));
    expect(await dueCount(r)).toBe(1);
    const [after] = await tg.say(602, "/reminders");
    expect(after).not.toContain("call Thandi");
  });

  it("/reapply asks company, role, wait and improvements, and the reminder repeats them", async ({
    telegram: tg,
    redis: r,
    bot,
    clock,
  }) => {
    await tg.say(603, "/reapply");
    await tg.say(603, "Shoprite");
    await tg.say(603, "Cashier");
    await tg.tap(603, "reapply.wait:3");
    const [confirm] = await tg.say(603, "finished my Excel course");
    expect(confirm).toContain("finished my Excel course");
    await tg.tap(603, "reapply.confirm:yes");
    const dueAt = Number((await r.redis.zrange(r.keys.sched("due"), 0, 0, "WITHSCORES"))[1]);
    expect(DateTime.fromMillis(dueAt, { zone: JHB }).toFormat("yyyy-LL-dd HH:mm")).toBe("2027-02-26 09:00");
    clock.set(dueAt);
    await bot.schedule.tick();
    await eventually(() => tg.texts(603).length === 7);
    expect(tg.texts(603)[6]).toBe(
      en.text("remind.reapply_due", { company: "Shoprite", role: "Cashier", improve: "finished my Excel course" }),
    );
  });

  it("answers bad input kindly and stores nothing", async ({ telegram: tg, redis: r }) => {
    expect(await tg.say(604, "/remind in -3 days call Thandi")).toEqual([en.text("remind.past")]);
    expect(await tg.say(604, "/remind on 31 February call Thandi")).toEqual([en.text("remind.no_date")]);
    expect(await tg.say(604, "/remind at 25:00 call Thandi")).toEqual([en.text("remind.no_date")]);
    expect(await tg.say(604, "/remind 🎉🎉🎉")).toEqual([en.text("remind.no_date")]);
    expect(await tg.say(604, `/remind tomorrow ${"call ".repeat(700)}`)).toEqual([
      en.text("remind.too_long", { max: 300 }),
    ]);
    expect(await tg.say(604, "/daily 7:30 in Mars/Phobos", 2)).toEqual([
      en.text("daily.bad_zone"),
      en.text("daily.ask_time", { zone: JHB }),
    ]);
    expect(await tg.say(604, "daily 7:30 in Mars/Phobos", 2)).toEqual([
      en.text("daily.bad_zone"),
      en.text("daily.ask_time", { zone: JHB }),
    ]);
    expect(await tg.say(604, "at 25:00")).toEqual([en.text("daily.bad_time")]);
    expect(await tg.say(604, "😀")).toEqual([en.text("daily.bad_time")]);
    await tg.say(604, "/cancel");
    expect(await tg.say(604, "Daily boost")).toEqual([en.text("daily.ask_time", { zone: JHB })]);
    expect(await dueCount(r)).toBe(0);
    expect(await r.redis.hget(r.keys.user("telegram:604", "profile"), "daily")).toBeNull();
    expect(await r.redis.exists(r.keys.sched("items"))).toBe(0);
  });

  it("refuses a 51st reminder with a clear message", async ({ telegram: tg, bot, clock }) => {
    const items = Array.from({ length: 50 }, (_, i) => ({
      user: "telegram:605" as UserKey,
      kind: "reminder",
      dueAt: clock.now() + 86_400_000 + i,
      text: `t${i}`,
    }));
    for (const it of items) expect((await bot.schedule.index.add(it)).status).toBe("scheduled");
    expect(await tg.say(605, "/remind tomorrow call Thandi")).toEqual([en.text("remind.limit", { limit: 50 })]);
    expect((await bot.schedule.index.add(items[0]!)).status).toBe("limit_reached");
  });
});

describe("daily encouragement", () => {
  it("fires once a day at 07:00 London time for several days across the DST change", async ({
    telegram: tg,
    redis: r,
    bot,
    clock,
  }) => {
    clock.set(DateTime.fromISO("2027-03-25T12:00", { zone: "Europe/London" }).toMillis());
    const [ok] = await tg.say(610, "/daily 7:00 in Europe/London");
    expect(ok).toContain("07:00");
    const daily = dailyTexts("morning");
    const local: string[] = [];
    for (let day = 0; day < 5; day++) {
      const next = (await bot.schedule.index.dailyAt("telegram:610"))!;
      local.push(DateTime.fromMillis(next, { zone: "Europe/London" }).toFormat("dd HH:mm"));
      clock.set(next - 1000);
      expect(await bot.schedule.tick()).toBe(0);
      clock.set(next + 2000);
      expect(await bot.schedule.tick()).toBe(1);
      await eventually(() => tg.texts(610).length === 2 + day);
      expect(daily).toContain(tg.texts(610)[1 + day]);
      expect(await bot.schedule.tick()).toBe(0); // same day again: nothing
    }
    expect(local).toEqual(["26 07:00", "27 07:00", "28 07:00", "29 07:00", "30 07:00"]);
    // Five different messages, each with a choice to follow up.
    expect(new Set(tg.texts(610).slice(1)).size).toBe(5);
    expect(buttons(tg, 610).length).toBeGreaterThan(0);
  });

  it("shows the setting, pauses, and /stop ends it after one yes", async ({ telegram: tg, bot, clock }) => {
    await tg.say(611, "/daily");
    await tg.tap(611, "daily.time:0730");
    const [status] = await tg.say(611, "/daily");
    expect(status).toContain("07:30");
    expect(buttons(tg, 611).map((b) => b.text)).toEqual([
      en.label("daily_change_time"),
      en.label("daily_change_zone"),
      en.label("daily_pause"),
      en.label("daily_stop"),
    ]);
    await tg.tap(611, "daily.manage:pause");
    const next = (await bot.schedule.index.dailyAt("telegram:611"))!;
    expect(next - clock.now()).toBeGreaterThan(3 * 86_400_000 - 3600_000);
    // /stop ends everything the bot sends, after one yes (src/core/flows/scheduled.ts).
    expect(await tg.say(611, "/stop")).toEqual([en.text("remind.stop_ask_daily")]);
    const [stopped] = await tg.tap(611, "stop.confirm:yes");
    expect(stopped).toBe(en.text("remind.stop_done"));
    expect(await bot.schedule.index.dailyAt("telegram:611")).toBeUndefined();
    expect(await tg.say(611, "/stop")).toEqual([en.text("remind.stop_nothing")]);
  });
});

describe("delivery failures", () => {
  it("waits out 429 retry_after and then delivers every message once", async ({
    telegram: tg,
    redis: r,
    bot,
    clock,
  }) => {
    const users = [621, 622, 623, 624, 625];
    for (const u of users) {
      await r.redis.hset(r.keys.user(`telegram:${u}`, "profile"), "createdAt", clock.now());
      await bot.schedule.index.add({ user: `telegram:${u}`, kind: "reminder", dueAt: clock.now(), text: `note ${u}` });
    }
    tg.fail({
      method: "sendMessage",
      code: 429,
      description: "Too Many Requests: retry after 1",
      retryAfter: 1,
      times: 3,
    });
    expect(await bot.schedule.tick()).toBe(5);
    await eventually(() => users.every((u) => tg.texts(u).length === 1), 15_000, "all delivered");
    const refused = tg.calls.filter((c) => c.method === "!sendMessage");
    expect(refused.length).toBeGreaterThanOrEqual(1);
    // The queue waited out retry_after (1 s) before its next send, measured at the fake.
    const next = tg.sent().find((c) => c.at >= refused[0]!.at)!;
    expect(next.at - refused[0]!.at).toBeGreaterThanOrEqual(900);
    await settled(bot);
    for (const u of users) expect(tg.texts(u)).toEqual([en.text("remind.due", { what: `note ${u}` })]);
  });

  it("stops daily messages and reminders for users who blocked the bot, without retrying", async ({
    telegram: tg,
    redis: r,
    bot,
    clock,
  }) => {
    const users = [631, 632, 633];
    for (const u of users) {
      await r.redis.hset(r.keys.user(`telegram:${u}`, "profile"), "createdAt", clock.now());
      await bot.schedule.daily.subscribe(`telegram:${u}`, "07:00", JHB);
      await bot.schedule.index.add({
        user: `telegram:${u}`,
        kind: "reminder",
        dueAt: clock.now() + 7 * 86_400_000,
        text: "later",
      });
    }
    tg.fail({
      method: "sendMessage",
      code: 403,
      description: "Forbidden: bot was blocked by the user",
      chats: ["631", "632"],
      times: Infinity,
    });
    clock.set(DateTime.fromISO("2026-11-27T07:00", { zone: JHB }).toMillis());
    expect(await bot.schedule.tick()).toBe(3);
    await eventually(() => tg.texts(633).length === 1);
    await eventually(
      async () => (await r.redis.get(r.keys.counter("delivery_gone_telegram"))) === "2",
      5000,
      "gone counted",
    );
    await settled(bot);
    expect(tg.calls.filter((c) => c.method === "!sendMessage")).toHaveLength(2);
    for (const u of [631, 632]) {
      expect(await bot.schedule.index.dailyAt(`telegram:${u}`)).toBeUndefined();
      expect(await r.redis.hget(r.keys.user(`telegram:${u}`, "profile"), "daily")).toBeNull();
      expect(await bot.schedule.index.list(`telegram:${u}`)).toEqual([]);
    }
    expect(await bot.schedule.index.dailyAt("telegram:633")).toBeDefined();
    // The outcome reaches /stats too (privacy/operations' recordDelivery).
    const failedKeys = (await r.allKeys()).filter((k) => k.startsWith(`${r.prefix}:stat:failed:`));
    const failed = await Promise.all(failedKeys.map((k) => r.redis.hgetall(k)));
    expect(failed.reduce((n, h) => n + Number(h["telegram|gone|blocked"] ?? 0), 0)).toBe(2);
    expect(await bot.schedule.index.list("telegram:633")).toHaveLength(1);
  });

  it("sends a crisis check-in the next day when the user asked for one", async ({ telegram: tg, bot, clock }) => {
    await tg.say(641, "/crisis", 2);
    await tg.tap(641, "crisis.check:safe");
    const [set] = await tg.tap(641, "crisis.later:yes");
    expect(set).toBe(en.text("safety.checkin_set"));
    clock.advance(24 * 3600_000);
    await bot.schedule.tick();
    await eventually(() => tg.texts(641).at(-1) === en.text("safety.checkin_message"));
  });
});
