// /progress, /checkin, /journal, /pro and /wellbeing end to end through the engine (real Redis).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { en } from "./helpers/bot.js";
import { Chat, makeFlowEngine as makeEngine } from "./helpers/flows.js";
import { testRedis, type TestRedis } from "./helpers/redis.js";

let r: TestRedis;
beforeEach(async () => {
  r = await testRedis();
});
afterEach(async () => {
  await r.cleanup();
});

const L = (id: string) => en.label(id);
const T = (id: string, vars?: Record<string, string | number>) => en.text(id, vars);
const DAY = 24 * 3600 * 1000;
const variants = (id: string) => en.message(id).variants.map((v) => v.text);

async function consent(chat: Chat, yes = true) {
  await chat.say("/start");
  await chat.tap(L(yes ? "consent_yes" : "consent_no"));
}

describe("/progress", () => {
  it("starts empty, with a networking idea and the log buttons", async () => {
    const chat = new Chat(makeEngine(r));
    const out = await chat.say("/progress");
    expect(out[0]).toBe(T("progress.empty"));
    expect(variants("progress.network")).toContain(out[1]);
    expect(out[2]).toBe(T("progress.ask_log"));
    expect(chat.choices().map((c) => c.label)).toEqual([L("log_applied"), L("log_interview"), L("log_rejected"), L("log_offer")]);
  });

  it("logs from plain words and from buttons, and never reads 'didn't get the job' as an offer", async () => {
    const h = makeEngine(r);
    const chat = new Chat(h);
    expect((await chat.say("I applied to Shoprite"))[0]).toBe(T("progress.logged_applied", { what: "Shoprite", week: 1 }));
    expect((await chat.say("I got an offer from Discovery!"))[0]).toBe(T("progress.logged_offer", { what: "Discovery" }));
    await chat.say("/progress");
    await chat.tap(L("log_interview"));
    expect(chat.texts()).toEqual([T("progress.ask_what"), T("progress.ask_what_hint")]);
    expect((await chat.say("Absa"))[0]).toBe(T("progress.logged_interview", { what: "Absa" }));
    await chat.say("/progress");
    await chat.tap(L("log_applied"));
    expect((await chat.tap(L("skip")))[0]).toBe(T("progress.logged_applied", { what: T("progress.unnamed"), week: 2 }));
    // A rejection in plain words is support first (the rejected flow), not a logged offer.
    const out = await chat.say("I didn't get the job at Pep");
    expect(variants("support.first_response")).toContain(out[0]);
    const summary = (await chat.say("/progress"))[0];
    expect(summary).toBe(T("progress.summary", { applied: 2, interviews: 1, rejections: 0, offers: 1, week: 2 }));
  });

  it("does not log a question that mentions an interview", async () => {
    const chat = new Chat(makeEngine(r));
    expect(await chat.say("How do I prepare for an interview at Absa?")).toEqual([T("core.not_understood")]);
    expect(await r.redis.exists(r.keys.user(chat.user, "apps"))).toBe(0);
  });

  it("after several logged rejections offers professional help, with resilience each time", async () => {
    const chat = new Chat(makeEngine(r));
    for (let i = 1; i <= 3; i++) {
      await chat.say("/progress rejected");
      const out = await chat.say(`Company ${i}`);
      expect(out[0]).toBe(T("progress.logged_rejected", { what: `Company ${i}` }));
      if (i < 3) expect(out[1]).toBe(T("progress.after_rejection_next"));
      else expect(out[1]).toBe(T("progress.pro_hint", { count: 3 }));
    }
    expect(chat.choices().map((c) => c.value)).toContain("/pro");
    expect((await chat.tap(L("menu_pro")))[0]).toBe(T("care.pro"));
  });

  it("nudges after a week without applications and praises a streak of weeks", async () => {
    const h = makeEngine(r);
    const chat = new Chat(h);
    await chat.say("I applied to Woolworths");
    h.clock.advance(8 * DAY);
    let out = await chat.say("/progress");
    expect(out[1]).toBe(T("progress.nudge"));
    await chat.say("I applied to Checkers");
    h.clock.advance(6 * DAY);
    await chat.say("I applied to Spar");
    h.clock.advance(6 * DAY);
    out = await chat.say("I applied to Game");
    expect(out[1]).toBe(T("progress.streak", { weeks: 3 }));
    out = await chat.say("/progress");
    expect(out).toContain(T("progress.streak", { weeks: 3 }));
    expect(out).not.toContain(T("progress.nudge"));
  });
});

describe("/checkin", () => {
  it("takes a mood and a word, suggests self-care that fits, and shows the trend as a small chart", async () => {
    const h = makeEngine(r);
    const chat = new Chat(h);
    await consent(chat);
    expect(await chat.say("/checkin")).toEqual([T("checkin.ask_mood")]);
    expect(chat.choices().map((c) => c.label)).toEqual(["mood_1", "mood_2", "mood_3", "mood_4", "mood_5"].map(L));
    expect(await chat.tap(L("mood_4"))).toEqual([T("checkin.ask_word")]);
    let out = await chat.say("hopeful");
    expect(out[0]).toBe(T("checkin.thanks_high"));
    expect(variants("checkin.care_high")).toContain(out[1]);
    expect(out[2]).toContain("████░ 4.0");

    h.clock.advance(7 * DAY);
    await chat.say("/checkin");
    await chat.say("2"); // typed number picks the offered mood
    out = await chat.tap(L("skip"));
    expect(out[0]).toBe(T("checkin.thanks_low"));
    expect(variants("checkin.care_low")).toContain(out[1]);
    expect(out[2]).toBe(T("checkin.low_support", { helpline: "SADAG Mental Health Helpline: 0800 456 789" }));
    const chart = out[3]!.split("\n").slice(1);
    expect(chart).toHaveLength(4);
    expect(chart[2]).toContain("████░ 4.0");
    expect(chart[3]).toContain("██░░░ 2.0");
    for (const line of chart) expect([...line].length).toBeLessThanOrEqual(20);
    expect(chat.choices()[0]!.value).toBe("/wellbeing");
    const stored = await r.redis.zrange(r.keys.user(chat.user, "moods"), 0, -1);
    expect(stored.map((s) => JSON.parse(s).mood)).toEqual([4, 2]);
    expect(JSON.parse(stored[0]!).word).toBe("hopeful");
  });

  it("stores nothing without consent, and says so", async () => {
    const chat = new Chat(makeEngine(r));
    await consent(chat, false);
    await chat.say("/checkin 3");
    const out = await chat.tap(L("skip"));
    expect(out.at(-1)).toBe(T("checkin.not_saved"));
    expect(await r.redis.exists(r.keys.user(chat.user, "moods"))).toBe(0);
  });

  it("suggests a professional after three low check-ins in a row", async () => {
    const h = makeEngine(r);
    const chat = new Chat(h);
    await consent(chat);
    for (let i = 0; i < 3; i++) {
      await chat.say("/checkin 1");
      const out = await chat.tap(L("skip"));
      expect(out.includes(T("checkin.low_run"))).toBe(i === 2);
      h.clock.advance(DAY);
    }
  });

  it("after a rejection offers a check-in the next day, scheduled as checkin_after and rendered with mood buttons", async () => {
    const h = makeEngine(r);
    const chat = new Chat(h);
    await chat.say("they rejected me");
    const offer = chat.choices().find((c) => c.label === L("check_tomorrow"));
    expect(offer?.value).toBe("/checkin tomorrow");
    expect((await chat.press(offer!.value))[0]).toBe(T("checkin.tomorrow_set", { date: "Wed 25 Nov" }));
    const item = (await h.scheduled(chat.user))[0]!;
    expect(item).toMatchObject({ kind: "checkin_after", user: chat.user, dueAt: Date.UTC(2026, 10, 25, 8, 0) });
    const due = await h.engine.renderDue(item);
    expect(due![0]).toMatchObject({ text: T("checkin.after_rejection") });
    const buttons = (due![0] as { choices: { value: string }[] }).choices.map((c) => c.value);
    expect(buttons).toEqual(["/checkin 1", "/checkin 2", "/checkin 3", "/checkin 4", "/checkin 5"]);
    // Typing "3" answers the proactive message's buttons, whatever happened in between.
    expect(await chat.say("3")).toEqual([T("checkin.ask_word")]);
  });
});

describe("/journal", () => {
  async function reflectOnce(chat: Chat, company: string, prepared: string) {
    await chat.say(`/reflect ${company}, clerk`);
    await chat.tap(L(prepared));
    for (let i = 0; i < 4; i++) await chat.tap(L("skip"));
    await chat.tap(chat.choices()[0]!.label);
    return chat.tap(L("no_reminder"));
  }

  it("lists saved reflections and, after several, points out a recurring pattern", async () => {
    const h = makeEngine(r);
    const chat = new Chat(h);
    await consent(chat);
    expect((await chat.say("/journal"))[0]).toBe(T("journal.empty"));
    await reflectOnce(chat, "Telkom", "not_really");
    let out = await chat.say("/journal");
    expect(out[0]).toContain("Telkom, clerk");
    expect(out[1]).toBe(T("journal.few_yet", { more: 2 }));
    h.clock.advance(DAY);
    await reflectOnce(chat, "MTN", "partly");
    h.clock.advance(DAY);
    // The third reflection's closing already points out the pattern.
    const closing = await reflectOnce(chat, "Eskom", "yes");
    expect(closing).toContain(T("journal.pattern_prepared", { count: 2 }));
    out = await chat.say("/journal");
    expect(out[0]!.indexOf("Eskom")).toBeLessThan(out[0]!.indexOf("Telkom")); // newest first
    expect(out[1]).toBe(T("journal.pattern_prepared", { count: 2 }));
  });

  it("explains kindly that nothing is kept without consent", async () => {
    const chat = new Chat(makeEngine(r));
    await consent(chat, false);
    expect((await chat.say("/journal"))[0]).toBe(T("journal.no_consent"));
  });
});

describe("professional and mental-health help", () => {
  it("/pro lists career counsellors, coaches and CV help; /wellbeing the helplines", async () => {
    const chat = new Chat(makeEngine(r));
    expect(await chat.say("/pro")).toEqual([T("care.pro"), T("care.pro_where")]);
    const out = await chat.say("/wellbeing");
    expect(out[0]).toBe(T("care.wellbeing"));
    expect(out[1]).toContain("0800 456 789");
  });

  it("offers mental-health help when stress or hopelessness come up in plain words, not the crisis flow", async () => {
    const chat = new Chat(makeEngine(r));
    for (const said of ["I'm so stressed about money", "feeling hopeless about this job hunt", "my anxiety is bad today"]) {
      const out = await chat.say(said);
      expect(out[0]).toBe(T("care.wellbeing"));
    }
  });
});
