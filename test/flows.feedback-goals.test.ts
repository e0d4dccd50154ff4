// /feedback and /goals end to end through the engine (real Redis), with their scheduled items
// checked through a recording double of the Scheduler port and rendered with engine.renderDue.
import { describe, expect, it } from "vitest";
import { L, T } from "./helpers/bot.js";
import { Chat, makeFlowEngine as makeEngine } from "./helpers/flows.js";
import { redisPerTest } from "./helpers/redis.js";
import { addBusinessDays } from "../src/core/dates.js";

const r = redisPerTest();

const ZA = "Africa/Johannesburg";

describe("/feedback", () => {
  it("fills the email and WhatsApp requests, notes the timing, and schedules a follow-up in 5 business days", async () => {
    const h = makeEngine(r); // Tuesday 24 Nov 2026, 10:00 SAST
    const chat = new Chat(h);
    expect(await chat.say("/feedback")).toEqual([T("feedback.intro"), T("feedback.ask_kind")]);
    expect(await chat.tap(L("fb_interview"))).toEqual([T("feedback.ask_company")]);
    expect(await chat.say("Capitec")).toEqual([T("feedback.ask_role")]);
    expect(await chat.say("Client consultant")).toEqual([T("feedback.ask_name")]);
    const out = await chat.say("Mr Nkosi");
    const vars = { company: "Capitec", role: "Client consultant", name: "Mr Nkosi" };
    // Three messages: the two drafts to copy, then the timing, the reapply note and the question.
    expect(out).toEqual([
      T("feedback.email", vars),
      T("feedback.whatsapp", vars),
      [T("feedback.timing"), T("feedback.reapply_note"), T("feedback.ask_followup")].join("\n\n"),
    ]);
    expect(out[2]).toMatch(/24 to 48 hours/);

    const end = await chat.tap(L("in_5_workdays"));
    const item = (await h.scheduled(chat.user))[0]!;
    // Five working days after Tuesday is the next Tuesday, 09:00 SAST.
    expect(item).toMatchObject({ kind: "followup", user: chat.user, dueAt: Date.UTC(2026, 11, 1, 7, 0), data: vars });
    expect(end[0]).toBe(T("feedback.followup_set", { date: "Tue 1 Dec" }));

    const due = await h.engine.renderDue(item);
    expect(due!.map((x) => (x.kind === "text" ? x.text : ""))).toEqual([
      T("feedback.followup_due", { company: "Capitec" }),
      T("feedback.followup_text", vars),
      T("feedback.followup_after"),
    ]);
    // Choices on a proactive message are commands, valid whatever the state is by then.
    const last = due!.at(-1)!;
    expect(last.kind === "text" && last.choices!.every((c) => c.value.startsWith("/"))).toBe(true);
  });

  it("fills gentle defaults when company, role and name are skipped; 7 days lands on Thursday", async () => {
    const h = makeEngine(r);
    const chat = new Chat(h);
    await chat.say("/feedback");
    await chat.tap(L("fb_interview"));
    await chat.tap(L("skip"));
    await chat.tap(L("skip"));
    const out = await chat.tap(L("skip"));
    const vars = { company: T("feedback.no_company"), role: T("feedback.no_role"), name: T("feedback.no_name") };
    expect(out[0]).toBe(T("feedback.email", vars));
    await chat.tap(L("in_7_workdays"));
    expect((await h.scheduled(chat.user))[0]!.dueAt).toBe(Date.UTC(2026, 11, 3, 7, 0));
    expect((await h.scheduled(chat.user))[0]!.data).toEqual({});
    const due = await h.engine.renderDue((await h.scheduled(chat.user))[0]!);
    expect(due![1]).toEqual({ kind: "text", text: T("feedback.followup_text", vars) });
  });

  it("advises against asking after an automated screening email, tapped or typed", async () => {
    const chat = new Chat(makeEngine(r));
    await chat.say("/feedback");
    expect(await chat.say("hmm")).toEqual([`${T("feedback.kind_unclear")}\n\n${T("feedback.ask_kind")}`]);
    expect(await chat.say("it was just an automatic email")).toEqual([
      T("feedback.automated"),
      T("feedback.automated_next"),
    ]);
    await chat.say("/feedback");
    expect(await chat.say("yes I had an interview last week")).toEqual([T("feedback.ask_company")]);
    await chat.say("/feedback");
    expect(await chat.tap(L("fb_automated"))).toEqual([T("feedback.automated"), T("feedback.automated_next")]);
    expect(JSON.parse((await r.redis.get(r.keys.user(chat.user, "conv")))!).flow).toBeNull();
  });

  it("declines the follow-up without scheduling", async () => {
    const h = makeEngine(r);
    const chat = new Chat(h);
    await chat.say("/feedback");
    await chat.tap(L("fb_interview"));
    for (let i = 0; i < 3; i++) await chat.tap(L("skip"));
    expect((await chat.tap(L("no_reminder")))[0]).toBe(T("feedback.no_followup"));
    expect(await h.scheduled(chat.user)).toHaveLength(0);
  });

  it("counts business days in the user's zone, over weekends", () => {
    // Friday 27 Nov 2026 23:30 UTC is already Saturday 01:30 in Johannesburg: 5 working days -> Friday 4 Dec.
    expect(addBusinessDays(Date.UTC(2026, 10, 27, 23, 30), ZA, 5)).toBe(Date.UTC(2026, 11, 4, 7, 0));
    // Friday 10:00 SAST + 5 -> the next Friday.
    expect(addBusinessDays(Date.UTC(2026, 10, 27, 8, 0), ZA, 5)).toBe(Date.UTC(2026, 11, 4, 7, 0));
    expect(addBusinessDays(Date.UTC(2026, 10, 27, 8, 0), ZA, 1)).toBe(Date.UTC(2026, 10, 30, 7, 0));
  });
});

describe("/goals", () => {
  it("sets roles, industries, salary and weekly targets, then schedules a weekly check-in", async () => {
    const h = makeEngine(r);
    const chat = new Chat(h);
    expect(await chat.say("/goals")).toEqual([T("goals.intro"), T("goals.ask_roles")]);
    expect(await chat.say("Admin assistant")).toEqual([T("goals.ask_industries")]);
    expect(await chat.tap(L("skip"))).toEqual([T("goals.ask_salary")]);
    expect(await chat.say("R12 000 to R15 000")).toEqual([T("goals.ask_applications")]);
    expect(await chat.say("lots")).toEqual([T("goals.number_please"), T("goals.ask_applications")]);
    expect(await chat.say("2")).toEqual([T("goals.ask_contacts")]); // typed "2" means 2
    const out = await chat.say("2 people");
    const summary = T("goals.summary", {
      roles: "Admin assistant",
      industries: T("goals.not_set"),
      salary: "R12 000 to R15 000",
      applications: 2,
      contacts: 2,
    });
    expect(out).toEqual([T("goals.saved"), summary, T("goals.ask_weekly")]);
    expect(await r.redis.hget(r.keys.user(chat.user, "goals"), "applications")).toBe("2");

    const set = await chat.tap(L("yes"));
    const item = (await h.scheduled(chat.user))[0]!;
    expect(item).toMatchObject({ kind: "goals_weekly", dueAt: Date.UTC(2026, 11, 1, 15, 0) }); // Tue 1 Dec 17:00 SAST
    expect(set[0]).toBe(T("goals.weekly_set", { date: "Tue 1 Dec" }));

    // Shown again, with the choice to change them.
    expect(await chat.say("/goals")).toEqual([summary, T("goals.ask_change")]);
    expect(await chat.tap(L("goal_edit"))).toEqual([T("goals.intro"), T("goals.ask_roles")]);
  });

  it("the weekly check-in counts logged applications, plans the next one once, and adjusts targets", async () => {
    const h = makeEngine(r);
    const chat = new Chat(h);
    await chat.say("/goals");
    await chat.say("Driver");
    await chat.tap(L("skip"));
    await chat.tap(L("skip"));
    await chat.tap("3");
    await chat.tap("2");
    await chat.tap(L("yes"));
    const weekly = (await h.scheduled(chat.user))[0]!;
    h.clock.set(weekly.dueAt - 2 * 24 * 3600 * 1000);
    for (const c of ["I applied to Imperial Logistics", "I applied to DHL", "I applied for a driver job at Uber Eats"])
      await chat.say(c);
    h.clock.set(weekly.dueAt); // delivered when due
    const due = await h.engine.renderDue(weekly);
    expect(due![0]).toMatchObject({ text: T("goals.weekly_due", { applications: 3, contacts: 2, logged: 3 }) });
    expect((due![0] as { choices: { value: string }[] }).choices.map((c) => c.value)).toEqual([
      "/goals week_good",
      "/goals week_hard",
      "/progress",
    ]);
    // The next week's check-in is planned, and rendering twice (a retried delivery) plans no second one.
    await h.engine.renderDue(weekly);
    expect((await h.scheduled(chat.user)).filter((i) => i.kind === "goals_weekly")).toHaveLength(2);

    expect(await chat.press("/goals week_good")).toEqual([T("goals.week_met", { logged: 3 }), T("goals.ask_raise")]);
    expect(await chat.tap(L("goal_raise"))).toEqual([T("goals.adjusted", { applications: 4, contacts: 2 })]);
    await chat.press("/goals week_hard");
    expect(chat.texts()).toEqual([T("goals.week_hard"), T("goals.ask_lower")]);
    expect(await chat.tap(L("goal_lower"))).toEqual([T("goals.adjusted", { applications: 2, contacts: 1 })]);
    await chat.press("/goals week_hard");
    expect(await chat.tap(L("goal_keep"))).toEqual([T("goals.kept")]);
  });
});
