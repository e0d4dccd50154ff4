// /mydata, /forget, /privacy and /stats through the real bot (grammY against the fake Bot API),
// state in real Redis, reminders and the daily subscription in the real schedule. The user's
// data is seeded the way other modules store it: a list of JSON entries, a sorted set scored by
// time, a hash, a stream.
import type { DueItem } from "../src/core/ports/schedule.js";
import type { UserKey } from "../src/core/types.js";
import { en } from "./helpers/bot.js";
import { describe, expect, test, type BotFixtures } from "./helpers/fixtures.js";
import { snapshotOf, tracesOf } from "./helpers/userscan.js";
import { UserIndex } from "../src/store/user-index.js";

const it = test.override({ startAt: Date.parse("2026-03-10T09:00:00Z"), env: { ADMIN_IDS: "telegram:9009" } });

type World = Pick<BotFixtures, "telegram" | "redis" | "bot" | "clock">;

/** A user who consented and has something in every part another module may store. */
async function seed({ telegram: tg, redis: r, bot, clock }: World, chat: number): Promise<UserKey> {
  const user = `telegram:${chat}` as UserKey;
  await tg.say(chat, "/start", 2);
  await tg.tap(chat, "start.consent:yes");
  const k = (part: Parameters<typeof r.keys.user>[1]) => r.keys.user(user, part);
  await r.redis.rpush(
    k("journal"),
    JSON.stringify({ at: clock.now() - 86400_000, text: `journal of ${chat}: the panel asked about Excel` }),
  );
  await r.redis.zadd(k("moods"), clock.now() - 3600_000, JSON.stringify({ mood: 2, note: `mood note ${chat}` }));
  await r.redis.hset(
    k("goals"),
    "g1",
    JSON.stringify({ text: `goal ${chat}: five applications a week`, at: clock.now() }),
  );
  await r.redis.xadd(k("apps"), "*", "company", `Company${chat}`, "stage", "interview");
  await bot.schedule.index.add({ user, kind: "reminder", dueAt: clock.now() + 86400_000, text: `call Thandi ${chat}` });
  await bot.schedule.daily.subscribe(user, "07:30", "Africa/Johannesburg");
  return user;
}

describe("/mydata", () => {
  it("sends a JSON document holding everything the user gave", async ({ telegram: tg, redis: r, bot, clock }) => {
    const user = await seed({ telegram: tg, redis: r, bot, clock }, 6101);
    await tg.say(6101, "/mydata", 2); // the readable text, then the file
    const call = tg.sent(6101).at(-1)!;
    expect(call.method).toBe("sendDocument");
    expect(call.params.caption).toBe(en.text("privacy.export_caption"));
    // grammY uploads the file as a multipart part named in `attach://<name>`.
    const ref = String(call.params.document);
    const doc = (ref.startsWith("attach://") ? call.params[ref.slice("attach://".length)] : call.params.document) as {
      filename: string;
      content: string;
    };
    expect(doc.filename).toMatch(/^bounce-back-my-data-2026-03-10\.json$/);
    const data = JSON.parse(doc.content);
    expect(data.user).toBe(user);
    expect(data.stored.profile.value.consent).toBe("yes");
    expect(Number(data.stored.profile.value.consentAt)).toBe(clock.now());
    expect(data.stored.journal.value[0].text).toBe("journal of 6101: the panel asked about Excel");
    expect(data.stored.moods.value[0]).toEqual({
      member: { mood: 2, note: "mood note 6101" },
      score: clock.now() - 3600_000,
    });
    expect(data.stored.goals.value.g1.text).toBe("goal 6101: five applications a week");
    expect(data.stored.apps.value[0].fields).toEqual({ company: "Company6101", stage: "interview" });
    expect(data.reminders.map((x: DueItem) => x.text)).toEqual(["call Thandi 6101"]);
    expect(data.daily).toMatchObject({ time: "07:30" });
  });

  it("sends a readable summary with the same data before the file", async ({ telegram: tg, redis: r, bot, clock }) => {
    await seed({ telegram: tg, redis: r, bot, clock }, 6101);
    await tg.say(6101, "/mydata", 2);
    const reply = await bot.engine.handle({
      channel: "telegram",
      user: "telegram:6101",
      updateId: "manual-1",
      kind: "text",
      text: "/mydata",
    });
    // The readable text first, then the file.
    const [said, doc] = reply.status === "handled" ? reply.replies : [];
    expect(doc?.kind).toBe("document");
    const summary = said?.kind === "text" ? said.text : "";
    for (const piece of ["journal of 6101", "mood note 6101", "goal 6101", "Company6101", "call Thandi 6101", "07:30"])
      expect(summary).toContain(piece);
    expect(summary).toContain(en.text("privacy.summary_end"));
  });
});

describe("/forget", () => {
  it("asks first; after yes, no key, value or index entry of the user remains and others are untouched", async ({
    telegram: tg,
    redis: r,
    bot,
    clock,
  }) => {
    const gone = await seed({ telegram: tg, redis: r, bot, clock }, 6101);
    const other = await seed({ telegram: tg, redis: r, bot, clock }, 6202);
    const othersBefore = await snapshotOf(r, other);
    expect(Object.keys(othersBefore).length).toBeGreaterThan(3);
    expect((await tracesOf(r, gone)).length).toBeGreaterThan(3);

    const ask = await tg.say(6101, "/forget");
    expect(ask).toEqual([en.text("privacy.forget_ask")]);
    expect((await tracesOf(r, gone)).length).toBeGreaterThan(3); // nothing deleted before the confirmation

    // A delivery of the user's waiting in the queue (paused, so it stays waiting): /forget takes it out.
    const queue = bot.schedule.queues.queue("telegram");
    await queue.pause();
    const waiting: DueItem = {
      id: "r-waiting",
      user: gone,
      kind: "reminder",
      dueAt: clock.now(),
      text: "call Thandi 6101",
    };
    await bot.schedule.queues.enqueue([waiting]);
    await bot.schedule.queues.trackJobs([waiting], clock.now());
    expect(await queue.getWaitingCount()).toBe(1);
    const done = await tg.tap(6101, "forget.confirm:yes");
    expect(await queue.getWaitingCount()).toBe(0);
    expect(done).toEqual([en.text("privacy.forgotten")]);
    expect(await tracesOf(r, gone)).toEqual([]);
    expect(await bot.schedule.index.list(gone)).toEqual([]);
    expect(await bot.schedule.daily.status(gone)).toBeUndefined();
    expect(await snapshotOf(r, other)).toEqual(othersBefore);
    expect(await bot.schedule.index.list(other)).toHaveLength(1);
    expect(await bot.schedule.daily.status(other)).toMatchObject({ time: "07:30" });
    expect(await new UserIndex(r.redis, r.keys, "users").has(other)).toBe(true);
  });

  it("keeps everything when the user says no", async ({ telegram: tg, redis: r, bot, clock }) => {
    const user = await seed({ telegram: tg, redis: r, bot, clock }, 6101);
    await tg.say(6101, "forget");
    expect(await tg.tap(6101, "forget.confirm:no")).toEqual([en.text("privacy.forget_kept")]);
    expect(await r.redis.exists(r.keys.user(user, "journal"))).toBe(1);
  });
});

describe("/privacy", () => {
  it("explains what is kept, and withdrawing consent deletes reflections and moods only", async ({
    telegram: tg,
    redis: r,
    bot,
    clock,
  }) => {
    const user = await seed({ telegram: tg, redis: r, bot, clock }, 6101);
    const [overview] = await tg.say(6101, "/privacy");
    expect(overview).toContain(en.text("privacy.status_yes"));
    expect(overview).toContain("12 months");
    const menu = tg.sent(6101).at(-1)!.params.reply_markup as { inline_keyboard: { text: string }[][] };
    expect(menu.inline_keyboard.flat().map((b) => b.text)).toContain(en.label("privacy_withdraw"));

    expect(await tg.tap(6101, "privacy.menu:withdraw")).toEqual([en.text("privacy.withdraw_ask")]);
    expect(await tg.tap(6101, "privacy.withdraw:yes")).toEqual([en.text("privacy.withdrawn", { count: 2 })]);
    expect(await r.redis.exists(r.keys.user(user, "journal"), r.keys.user(user, "moods"))).toBe(0);
    expect(await r.redis.exists(r.keys.user(user, "goals"))).toBe(1);
    expect(await r.redis.hget(r.keys.user(user, "profile"), "consent")).toBe("no");

    const [again] = await tg.say(6101, "/privacy");
    expect(again).toContain(en.text("privacy.status_no"));
    expect(await tg.tap(6101, "privacy.menu:give")).toEqual([en.text("privacy.give_done", { months: 12 })]);
    expect(await r.redis.hget(r.keys.user(user, "profile"), "consent")).toBe("yes");
  });
});

describe("/stats", () => {
  it("is an unknown command for everyone but ADMIN_IDS", async ({ telegram: tg }) => {
    const [answer] = await tg.say(6101, "/stats");
    expect(answer).toBe(en.text("core.unknown_command", { command: "/stats" }));
  });

  it("shows users, subscribers, messages sent, failures, blocked users and queue depth to an admin", async ({
    telegram: tg,
    redis: r,
    bot,
    clock,
  }) => {
    await seed({ telegram: tg, redis: r, bot, clock }, 6101);
    await bot.figures.recordDelivery("telegram:6101", { status: "gone", reason: "blocked" });
    await bot.figures.recordDelivery("telegram:6202", { status: "transient", reason: "network" });
    bot.figures.setQueueDepthReader(async () => ({ telegram: 7, whatsapp: 0 }));
    const [answer] = await tg.say(9009, "/stats");
    expect(answer).toContain("telegram 2"); // users 6101 and 9009
    expect(answer).toContain("Daily subscribers: telegram 1");
    expect(answer).toMatch(/Messages sent today: telegram \d+/);
    expect(answer).toContain("Users who blocked the bot: telegram 1");
    expect(answer).toContain("• telegram gone (blocked): 1");
    expect(answer).toContain("• telegram transient (network): 1");
    expect(answer).toContain("Waiting in delivery queues: telegram 7 · whatsapp 0");
  });
});
