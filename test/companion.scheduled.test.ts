// Issue 13, part 1: /reminders lists everything the bot will send on its own (every kind of
// scheduled item and the daily boost), each cancelled or moved after a confirmation, paged; /stop
// ends all of it after one yes. Through the engine on real Redis.
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { formatLocal } from "../src/core/time.js";
import { PAGE_SIZE } from "../src/core/paging.js";
import { L, T } from "./helpers/bot.js";
import { Chat, makeFlowEngine, type EngineHarness } from "./helpers/flows.js";
import { redisPerTest } from "./helpers/redis.js";

const r = redisPerTest();

const JHB = "Africa/Johannesburg";
const DAY = 86_400_000;

/** One item of each kind the flows schedule, a day apart, and the daily boost at 07:30. */
async function everyKind(h: EngineHarness, chat: Chat) {
  const s = h.services.schedule.scheduler;
  const t0 = h.clock.now();
  const items: { kind: string; text?: string; data?: Record<string, string> }[] = [
    { kind: "reminder", text: "call Thandi" },
    { kind: "followup", data: { company: "Acme" } },
    { kind: "reapply", text: "Excel course", data: { company: "Shoprite", role: "cashier" } },
    { kind: "goals_weekly" },
    { kind: "checkin_after" },
    { kind: "interview_eve", data: { company: "Absa", app: "abc123" } },
  ];
  const added = [];
  for (const [n, i] of items.entries()) {
    const out = await s.add({ user: chat.user, dueAt: t0 + (n + 1) * DAY, ...i });
    if (out.status !== "scheduled") throw new Error("not scheduled");
    added.push(out.item);
  }
  await h.services.schedule.daily.subscribe(chat.user, "07:30", JHB);
  return added;
}

describe("/reminders: everything the bot will send", () => {
  it("lists every kind, with when in the user's zone and what, the daily boost first", async () => {
    const h = makeFlowEngine(r);
    const chat = new Chat(h);
    const added = await everyKind(h, chat);
    const [list] = await chat.say("/reminders");
    const lines = list!.split("\n");
    for (const [kind, what] of [
      ["daily", "every day at 07:30"],
      ["reminder", "call Thandi"],
      ["followup", "Acme"],
      ["reapply", "Shoprite, cashier"],
      ["interview_eve", "Absa"],
    ]) {
      expect(
        lines.some((l) => l.includes(T(`remind.kind_${kind}`)) && l.includes(what!)),
        `${kind} listed with "${what}"`,
      ).toBe(true);
    }
    expect(list).toContain(T("remind.kind_goals_weekly"));
    expect(list).toContain(T("remind.kind_checkin_after"));
    // When, in the user's zone.
    expect(list).toContain(formatLocal(added[0]!.dueAt, JHB));
    expect(lines[1]).toMatch(/^1\. Daily boost/);
    // One choice per item (7), and Done.
    expect(chat.choices().map((c) => c.label)).toEqual([
      ...["daily", "reminder", "followup", "reapply", "goals_weekly", "checkin_after", "interview_eve"].map((k, n) =>
        `${n + 1}. ${T(`remind.kind_${k}`)}`.slice(0, 20),
      ),
      L("done"),
    ]);
  });

  it("cancels one after a yes, and keeps it after a no", async () => {
    const h = makeFlowEngine(r);
    const chat = new Chat(h);
    const [reminder, followup] = await everyKind(h, chat);
    await chat.say("/reminders");
    await chat.tap(`2. ${T("remind.kind_reminder")}`);
    expect(chat.choices().map((c) => c.label)).toEqual([
      L("rem_cancel"),
      L("rem_day_later"),
      L("rem_week_later"),
      L("rem_back"),
    ]);
    await chat.tap(L("rem_cancel"));
    expect(chat.texts()[0]).toContain(T("remind.confirm_cancel", { item: "" }).trim());
    // "No": nothing changes.
    expect((await chat.tap(L("no")))[0]).toBe(T("remind.unchanged"));
    expect((await h.scheduled(chat.user)).map((i) => i.id)).toContain(reminder!.id);
    await chat.tap(`3. ${T("remind.kind_followup")}`);
    await chat.tap(L("rem_cancel"));
    // A typed "yes" confirms as well as the button.
    expect((await chat.say("yes"))[0]).toBe(T("remind.cancelled"));
    const left = (await h.scheduled(chat.user)).map((i) => i.id);
    expect(left).not.toContain(followup!.id);
    expect(left).toHaveLength(5);
  });

  it("moves one a day or a week later, in the user's zone, keeping what it says", async () => {
    const h = makeFlowEngine(r);
    const chat = new Chat(h);
    const [reminder] = await everyKind(h, chat);
    await chat.say("/reminders");
    await chat.tap(`2. ${T("remind.kind_reminder")}`);
    await chat.tap(L("rem_week_later"));
    const weekLater = DateTime.fromMillis(reminder!.dueAt, { zone: JHB }).plus({ weeks: 1 }).toMillis();
    expect(chat.texts()[0]).toContain(formatLocal(weekLater, JHB));
    expect((await chat.tap(L("yes")))[0]).toBe(T("remind.moved", { when: formatLocal(weekLater, JHB) }));
    const moved = (await h.scheduled(chat.user)).find((i) => i.id === reminder!.id)!;
    expect(moved).toMatchObject({ dueAt: weekLater, text: "call Thandi", kind: "reminder" });
  });

  it("moves the daily boost by pausing it, and stops it after a yes", async () => {
    const h = makeFlowEngine(r);
    const chat = new Chat(h);
    await everyKind(h, chat);
    const before = (await h.services.schedule.daily.status(chat.user))!;
    await chat.say("/reminders");
    await chat.tap(`1. ${T("remind.kind_daily")}`);
    await chat.tap(L("rem_day_later"));
    await chat.tap(L("yes"));
    const paused = (await h.services.schedule.daily.status(chat.user))!;
    expect(paused.pausedUntil).toBeGreaterThan(h.clock.now());
    expect(paused.nextAt).toBe(before.nextAt + DAY);
    await chat.say("/reminders");
    await chat.tap(`1. ${T("remind.kind_daily")}`);
    expect(chat.choices()[0]!.label).toBe(L("rem_stop_daily"));
    await chat.tap(L("rem_stop_daily"));
    expect((await chat.tap(L("yes")))[0]).toBe(T("remind.daily_stopped"));
    expect(await h.services.schedule.daily.status(chat.user)).toBeUndefined();
    // The six other items are still there.
    expect(await h.scheduled(chat.user)).toHaveLength(6);
  });

  it("pages a long list, at most 10 choices a page", async () => {
    const h = makeFlowEngine(r, { reminderLimit: 50 });
    const chat = new Chat(h);
    for (let n = 0; n < 19; n++)
      await h.services.schedule.scheduler.add({
        user: chat.user,
        kind: "reminder",
        dueAt: h.clock.now() + (n + 1) * 3600_000,
        text: `task ${n + 1}`,
      });
    await chat.say("/reminders");
    expect(chat.texts()[0]).toContain(T("remind.list_page", { page: 1, pages: 3, count: 19 }));
    expect(chat.choices()).toHaveLength(PAGE_SIZE + 2);
    await chat.tap(L("rem_more"));
    expect(chat.texts()[0]).toContain(T("remind.list_page", { page: 2, pages: 3, count: 19 }));
    expect(chat.texts()[0]).toContain("9. ");
    await chat.tap(L("rem_more"));
    expect(chat.texts()[0]).toContain("task 19");
    expect(chat.choices().map((c) => c.label)).toEqual(["17. Reminder", "18. Reminder", "19. Reminder", L("done")]);
  });

  it("says nothing is waiting, and how to start, when nothing is", async () => {
    const chat = new Chat(makeFlowEngine(r));
    expect(await chat.say("/reminders")).toEqual([T("remind.list_empty")]);
  });
});

describe("/stop: everything, after one yes", () => {
  it("ends the daily boost and every scheduled item, and says how to start again", async () => {
    const h = makeFlowEngine(r);
    const chat = new Chat(h);
    await everyKind(h, chat);
    expect(await chat.say("stop everything")).toEqual([T("remind.stop_ask_both", { count: 6 })]);
    expect(await chat.tap(L("stop_yes"))).toEqual([T("remind.stop_done")]);
    expect(await h.scheduled(chat.user)).toEqual([]);
    expect(await h.services.schedule.daily.status(chat.user)).toBeUndefined();
    expect(await r.redis.zcard(r.keys.sched("due"))).toBe(0);
    expect(await chat.say("/reminders")).toEqual([T("remind.list_empty")]);
    expect(await chat.say("STOP")).toEqual([T("remind.stop_nothing")]);
  });

  it("keeps everything after a no, and works in the middle of another flow", async () => {
    const h = makeFlowEngine(r);
    const chat = new Chat(h);
    await everyKind(h, chat);
    await chat.say("/remind");
    expect(await chat.say("stop")).toEqual([T("remind.stop_ask_both", { count: 6 })]);
    expect(await chat.say("no")).toEqual([T("remind.stop_kept")]);
    expect(await h.scheduled(chat.user)).toHaveLength(6);
    expect(await h.services.schedule.daily.status(chat.user)).toBeDefined();
  });

  it("asks about the daily boost alone when that is all there is", async () => {
    const h = makeFlowEngine(r);
    const chat = new Chat(h);
    await h.services.schedule.daily.subscribe(chat.user, "07:30", JHB);
    expect(await chat.say("/stop")).toEqual([T("remind.stop_ask_daily")]);
    await chat.tap(L("stop_yes"));
    expect(await h.services.schedule.daily.status(chat.user)).toBeUndefined();
  });
});
