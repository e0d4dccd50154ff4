// The guided reflection driven end to end through the engine, over real Redis.
import { describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { NOT_UNDERSTOOD } from "./helpers/language.js";
import { en, L, T } from "./helpers/bot.js";
import { Chat, makeFlowEngine as makeEngine } from "./helpers/flows.js";
import { eventually, redisPerTest } from "./helpers/redis.js";
import type { JournalEntry } from "../src/core/ports/stores.js";

const r = redisPerTest();

async function consented(chat: Chat, yes = true): Promise<void> {
  await chat.say("/start");
  await chat.tap(L(yes ? "consent_yes" : "consent_no"));
}

async function journalOf(chat: Chat): Promise<JournalEntry[]> {
  return (await r.redis.lrange(r.keys.user(chat.user, "journal"), 0, -1)).map((x) => JSON.parse(x) as JournalEntry);
}

describe("/reflect", () => {
  it("walks every question with quick choices, free writing, a next step and a reminder, and saves it with consent", async () => {
    const h = makeEngine(r);
    const chat = new Chat(h);
    await consented(chat);

    expect(await chat.say("/reflect")).toEqual([T("reflect.intro"), T("reflect.ask_about")]);
    expect(await chat.say("Cashier at Pick n Pay")).toEqual([T("reflect.ask_prepared")]);
    expect(chat.choices().map((c) => c.label)).toEqual([L("yes"), L("partly"), L("not_really"), L("skip")]);
    expect(await chat.tap(L("not_really"))).toEqual([T("reflect.ask_skills")]);
    expect(await chat.tap(L("yes"))).toEqual([T("reflect.ask_connected")]);
    expect(await chat.tap(L("partly"))).toEqual([T("reflect.ask_differently")]);
    expect(await chat.say("I'd talk about my till experience at the spaza")).toEqual([T("reflect.offer_writing")]);
    expect(await chat.tap(L("write_now"))).toEqual([T("reflect.writing_go")]);
    expect(await chat.say("I felt nervous and my mind went blank.")).toEqual([T("reflect.writing_more")]);
    expect(await chat.say("But I did get through it.")).toEqual([T("reflect.writing_more")]);
    const summary = await chat.tap(L("done"));
    expect(summary[0]).toBe(T("reflect.writing_thanks"));
    expect(summary[1]).toContain(
      T("reflect.summary", {
        well: T("reflect.area_skills"),
        practise: `${T("reflect.area_prepared")}, ${T("reflect.area_connected")}`,
      }),
    );
    expect(summary[1]).toContain("till experience");
    expect(summary[1]).toContain(T("reflect.perspective"));
    expect(summary[2]).toBe(T("reflect.ask_next"));
    expect(summary).toHaveLength(3);
    // Next steps fit what came up: preparation and connection were weak.
    expect(chat.choices().map((c) => c.label)).toEqual([
      L("step_research"),
      L("step_practise"),
      L("step_mock"),
      L("step_feedback"),
    ]);

    expect(await chat.tap(L("step_mock"))).toEqual([T("reflect.ask_remind", { step: T("reflect.step_mock") })]);
    const end = await chat.tap(L("tomorrow"));
    const item = (await h.scheduled(chat.user))[0]!;
    expect(item).toMatchObject({ user: chat.user, kind: "reminder", text: T("reflect.step_mock") });
    // Tomorrow at 09:00 in Johannesburg (UTC+2).
    expect(item.dueAt).toBe(Date.UTC(2026, 10, 25, 7, 0));
    expect(end[0]).toBe(T("reflect.reminder_set", { date: "Wed 25 Nov" }));
    expect(end).toContain(T("reflect.saved"));
    expect(end.at(-1)).toBe(T("reflect.closing"));
    expect(chat.choices().map((c) => c.value)).toEqual(["/goals", "/feedback", "/checkin"]);

    const [entry] = await journalOf(chat);
    expect(entry).toMatchObject({
      company: "Pick n Pay",
      role: "Cashier",
      prepared: "no",
      skills: "yes",
      connected: "partly",
      nextStep: T("reflect.step_mock"),
    });
    expect(entry!.feelings).toContain("mind went blank");
    expect(entry!.at).toBe(h.clock.now());
    expect(await r.redis.get(r.keys.user(chat.user, "conv"))).not.toContain('"flow":"reflect"');
  });

  it("lets every question be skipped, and stores nothing without consent", async () => {
    const h = makeEngine(r);
    const chat = new Chat(h);
    await consented(chat, false);
    await chat.say("/reflect");
    for (const q of [
      "reflect.ask_prepared",
      "reflect.ask_skills",
      "reflect.ask_connected",
      "reflect.ask_differently",
      "reflect.offer_writing",
    ]) {
      expect(await chat.tap(L("skip"))).toEqual([T(q)]);
    }
    const summary = await chat.tap(L("skip"));
    expect(summary[0]).toBe(
      `${T("reflect.summary", { well: T("reflect.well_none"), practise: T("reflect.practise_none") })}\n\n${T("reflect.perspective")}`,
    );
    expect(chat.choices().map((c) => c.label)).toEqual([L("step_practise"), L("step_feedback"), L("step_apply")]);
    await chat.say("Call my cousin who works in HR");
    const end = await chat.tap(L("no_reminder"));
    expect(end).toEqual([T("reflect.not_saved"), T("reflect.closing")]);
    expect(await h.scheduled(chat.user)).toHaveLength(0);
    expect(await r.redis.exists(r.keys.user(chat.user, "journal"))).toBe(0);
  });

  it("understands typed answers (numbers, labels, own words) and offers feedback first after that step", async () => {
    const h = makeEngine(r);
    const chat = new Chat(h);
    await consented(chat);
    await chat.say("/reflect Shoprite, merchandiser");
    expect(chat.texts()).toEqual([T("reflect.intro"), T("reflect.ask_prepared")]);
    await chat.say("kind of"); // partly
    await chat.say("2"); // the second offered choice: Partly
    await chat.say("I was too nervous to look at them"); // kept as words
    await chat.say("skip");
    await chat.say("no thanks");
    expect(chat.texts()[0]).toContain(T("reflect.area_prepared"));
    await chat.tap(L("step_feedback"));
    await chat.say("yes");
    expect(chat.choices()[0]!.value).toBe("/feedback");
    const [entry] = await journalOf(chat);
    expect(entry).toMatchObject({
      company: "Shoprite",
      role: "merchandiser",
      prepared: "partly",
      skills: "partly",
      connected: { words: "I was too nervous to look at them" },
    });
  });

  it("says kindly when the reminder limit is reached", async () => {
    const chat = new Chat(makeEngine(r, { reminderLimit: 0 }));
    await chat.say("/reflect");
    for (let i = 0; i < 6; i++) await chat.tap(L("skip"));
    await chat.tap(L("step_apply"));
    expect((await chat.tap(L("in_3_days")))[0]).toBe(T("reflect.reminder_limit", { limit: 0 }));
  });

  it("stops cleanly on /cancel in the middle; the old buttons then say they expired", async () => {
    const chat = new Chat(makeEngine(r));
    await chat.say("/reflect");
    await chat.tap(L("skip"));
    const stale = chat.choices()[0]!.value;
    expect(await chat.say("/cancel")).toEqual([T("core.cancelled")]);
    expect(await chat.press(stale)).toEqual([T("core.expired_button")]);
    // Typed "cancel" works too, even while a question waits for free text.
    await chat.say("/reflect");
    expect(await chat.say("cancel")).toEqual([T("core.cancelled")]);
  });

  it("keeps the reflection through an aside command (/tip) and leaves it for another command", async () => {
    const chat = new Chat(makeEngine(r));
    await chat.say("/reflect");
    await chat.say("Absa, teller");
    const tip = await chat.say("/tip");
    expect(en.message("tips.tip").variants.map((v) => v.text)).toContain(tip[0]);
    // Still in the reflection: the answer goes to the waiting question.
    const state = JSON.parse((await r.redis.get(r.keys.user(chat.user, "conv")))!);
    expect(state).toMatchObject({ flow: "reflect", step: "prepared" });
    await chat.press("reflect.prepared:yes");
    expect(chat.texts()).toEqual([T("reflect.ask_skills")]);
    // A command that starts something else leaves the reflection.
    expect((await chat.say("/goals"))[0]).toBe(T("goals.intro"));
    expect(await chat.press("reflect.skills:yes")).toEqual([T("core.expired_button")]);
  });

  it("resumes after a restart of the process, on the same Redis", async () => {
    const first = makeEngine(r);
    const chat = new Chat(first);
    await consented(chat);
    await chat.say("/reflect");
    await chat.say("Sasol, engineer in training");
    await chat.tap(L("yes"));
    // A new engine ("process") with fresh services over the same Redis prefix.
    const second = makeEngine(r, { clock: first.clock });
    chat.h = second;
    expect(await chat.tap(L("partly"))).toEqual([T("reflect.ask_connected")]);
    await chat.tap(L("yes"));
    await chat.tap(L("skip"));
    await chat.tap(L("skip"));
    await chat.tap(L("step_stories"));
    await chat.tap(L("no_reminder"));
    const [entry] = await journalOf(chat);
    expect(entry).toMatchObject({ company: "Sasol", prepared: "yes", skills: "partly", connected: "yes" });
  });

  it("expires: after the conversation TTL the flow is gone and its buttons say so", async () => {
    const chat = new Chat(makeEngine(r, { ttlSeconds: 3600 }));
    await chat.say("/reflect");
    const key = r.keys.user(chat.user, "conv");
    expect(await r.redis.ttl(key)).toBeGreaterThan(3500);
    await chat.tap(L("skip"));
    const button = chat.choices()[0]!.value;
    await r.redis.pexpire(key, 1); // let Redis expire it, as it would after the TTL
    await eventually(async () => (await r.redis.exists(key)) === 0);
    expect(await chat.press(button)).toEqual([T("core.expired_button")]);
    expect(await chat.say("kind of")).toEqual([NOT_UNDERSTOOD]);
  });

  it("adds a gentle mental-health note when stress comes up in an answer, and carries on", async () => {
    const chat = new Chat(makeEngine(r));
    await chat.say("/reflect");
    const out = await chat.say("I am so stressed, it was at Vodacom");
    expect(out[0]).toContain(T("care.note", { helpline: "SADAG Mental Health Helpline: 0800 456 789" }).slice(0, 40));
    expect(out[1]).toBe(T("reflect.ask_prepared"));
  });

  it("reminds on the right local date across the user's time zone", () => {
    // Guard for the date arithmetic the reminder relies on: 09:00 in Johannesburg is 07:00 UTC.
    const d = DateTime.fromMillis(Date.UTC(2026, 10, 25, 7, 0), { zone: "Africa/Johannesburg" });
    expect(d.hour).toBe(9);
  });
});
