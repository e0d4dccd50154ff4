// /progress and /checkin end to end through the engine (real Redis), their charts as the core
// builds them; /journal, /pro and /wellbeing are in flows.journal-care.test.ts.
import { describe, expect, it } from "vitest";
import type { ChartReply, Reply } from "../src/core/types.js";
import { NOT_UNDERSTOOD } from "./helpers/language.js";
import { en, L, T } from "./helpers/bot.js";
import { Chat, makeFlowEngine as makeEngine } from "./helpers/flows.js";
import { redisPerTest } from "./helpers/redis.js";

const r = redisPerTest();

const DAY = 24 * 3600 * 1000;
const variants = (id: string) => en.message(id).variants.map((v) => v.text);

function chartIn(replies: Reply[]): ChartReply {
  const chart = replies.find((x): x is ChartReply => x.kind === "chart");
  expect(chart, "a chart among the replies").toBeDefined();
  // Plain data: it survives a trip through JSON (BullMQ job data) unchanged.
  expect(JSON.parse(JSON.stringify(chart))).toEqual(chart);
  return chart!;
}

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
    expect(chat.choices().map((c) => c.label)).toEqual([
      L("log_applied"),
      L("log_interview"),
      L("log_rejected"),
      L("log_offer"),
    ]);
  });

  it("keeps each step as a record from plain words and from buttons, and never reads 'didn't get the job' as an offer", async () => {
    const h = makeEngine(r);
    const chat = new Chat(h);
    expect((await chat.say("I applied to Shoprite"))[0]).toBe(
      T("progress.logged_applied", { what: "Shoprite", week: 1 }),
    );
    // An offer is celebrated by the offer flow, and its record marked.
    expect((await chat.say("I got an offer from Discovery!"))[0]).toBe(T("offer.celebrate", { name: "Discovery" }));
    await chat.say("/progress");
    await chat.tap(L("log_interview"));
    expect(chat.texts()).toEqual([T("progress.ask_what"), T("progress.ask_what_hint")]);
    expect((await chat.say("Absa"))[0]).toBe(T("progress.logged_interview", { what: "Absa" }));
    await chat.say("/progress");
    await chat.tap(L("log_applied"));
    expect((await chat.tap(L("skip")))[0]).toBe(T("progress.logged_applied_unnamed", { week: 2 }));
    // A rejection in plain words is support first (the rejected flow), not a logged offer.
    const out = await chat.say("I didn't get the job at Pep");
    expect(variants("support.first_response")).toContain(out[0]);
    await chat.say("/progress");
    const chart = chartIn(chat.last);
    // Four records: each an application; one reached an interview, one an offer.
    expect(chart.fallbackText).toBe(
      T("progress.summary", { applied: 4, interviews: 1, rejections: 0, offers: 1, week: 2 }),
    );
    expect(chart.caption).toBe(T("charts.pipeline_caption", { week: 2 }));
    const { records } = await h.services.stores.applications.list(chat.user, 0, 10);
    const byCompany = records.map((x) => [x.company ?? "", x.stage]).sort((a, b) => a[0]!.localeCompare(b[0]!));
    expect(byCompany).toEqual([
      ["", "applied"],
      ["Absa", "interview"],
      ["Discovery", "offer"],
      ["Shoprite", "applied"],
    ]);
  });

  it("shows the counts as a pipeline chart in at most three messages, the summary in words as its text", async () => {
    const chat = new Chat(makeEngine(r));
    for (const said of [
      "I applied to Shoprite",
      "I applied to Pep",
      "I applied to Absa",
      "I got an interview at Absa",
      "I got an offer from Absa",
    ])
      await chat.say(said);
    await chat.say("/progress rejected");
    await chat.say("Pep");
    const out = await chat.say("/progress");
    expect(out).toHaveLength(3);
    const chart = chartIn(chat.last);
    expect(chat.last[0]).toBe(chart);
    expect(chart.spec).toEqual({
      kind: "pipeline",
      title: T("charts.pipeline_title"),
      stages: [
        { label: T("charts.pipeline_applied"), count: 3 },
        { label: T("charts.pipeline_interview"), count: 1 },
        { label: T("charts.pipeline_offer"), count: 1 },
        { label: T("charts.pipeline_rejected"), count: 1 },
      ],
    });
    expect(chart.fallbackText).toBe(
      T("progress.summary", { applied: 3, interviews: 1, rejections: 1, offers: 1, week: 3 }),
    );
    // The log buttons stay on the last message, after the networking idea, with the list of records.
    expect(out[2]).toBe(T("progress.ask_log"));
    expect(chat.choices().map((c) => c.label)).toEqual([
      L("log_applied"),
      L("log_interview"),
      L("log_rejected"),
      L("log_offer"),
      L("apps_list"),
    ]);
  });

  it("does not log a question that mentions an interview", async () => {
    const chat = new Chat(makeEngine(r));
    // A how-to question about an interview opens interview practice (it used to get "didn't catch that").
    const out = await chat.say("How do I prepare for an interview at Absa?");
    // The model is not sure enough of this one (interview 0.55, below the 0.60 to route), so it is asked
    // kindly what the user means rather than routed on a guess; either way nothing is logged.
    expect([T("practice.intro"), NOT_UNDERSTOOD]).toContain(out[0]);
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
    expect(out).toHaveLength(3);
    // Said under the picture, and in its words where there is no picture.
    expect(out[0]).toBe(`${T("charts.pipeline_caption", { week: 0 })}\n\n${T("progress.nudge")}`);
    expect(chartIn(chat.last).fallbackText).toContain(T("progress.nudge"));
    await chat.say("I applied to Checkers");
    h.clock.advance(6 * DAY);
    await chat.say("I applied to Spar");
    h.clock.advance(6 * DAY);
    out = await chat.say("I applied to Game");
    expect(out[1]).toBe(T("progress.streak", { weeks: 3 }));
    out = await chat.say("/progress");
    expect(out[0]).toBe(`${T("charts.pipeline_caption", { week: 2 })}\n\n${T("progress.streak", { weeks: 3 })}`);
    expect(out.join("\n")).not.toContain(T("progress.nudge"));
  });
});

describe("/checkin", () => {
  it("takes a mood and a word, suggests self-care that fits, and shows the trend as a chart", async () => {
    const h = makeEngine(r);
    const chat = new Chat(h);
    await consent(chat);
    expect(await chat.say("/checkin")).toEqual([T("checkin.ask_mood")]);
    expect(chat.choices().map((c) => c.label)).toEqual(["mood_1", "mood_2", "mood_3", "mood_4", "mood_5"].map(L));
    expect(await chat.tap(L("mood_4"))).toEqual([T("checkin.ask_word")]);
    let out = await chat.say("hopeful");
    // The words in one message, the trend in a second: a check-in is at most three.
    expect(out).toHaveLength(2);
    let [thanks, idea] = out[0]!.split("\n\n");
    expect(thanks).toBe(T("checkin.thanks_high"));
    expect(variants("checkin.care_high")).toContain(idea);
    let chart = chartIn(chat.last);
    expect(out[1]).toBe(T("charts.mood_caption", { weeks: 4 }));
    // Tue 24 Nov 2026: the weeks begin on Mondays, the current one named as such.
    expect(chart.spec).toEqual({
      kind: "mood_trend",
      title: T("charts.mood_title"),
      min: 1,
      max: 5,
      noValue: T("checkin.no_data"),
      points: [
        { label: "2 Nov", value: null },
        { label: "9 Nov", value: null },
        { label: "16 Nov", value: null },
        { label: T("charts.mood_this_week"), value: 4 },
      ],
    });
    expect(chart.fallbackText).toContain("████░ 4.0");

    h.clock.advance(7 * DAY);
    await chat.say("/checkin");
    await chat.say("2"); // typed number picks the offered mood
    out = await chat.tap(L("skip"));
    expect(out).toHaveLength(2);
    const words = out[0]!.split("\n\n");
    [thanks, idea] = words;
    expect(thanks).toBe(T("checkin.thanks_low"));
    expect(variants("checkin.care_low")).toContain(idea);
    expect(words[2]).toBe(T("checkin.low_support", { helpline: "SADAG Mental Health Helpline: 0800 456 789" }));
    chart = chartIn(chat.last);
    expect(chart.spec.kind === "mood_trend" && chart.spec.points.map((p) => p.value)).toEqual([null, null, 4, 2]);
    const lines = chart.fallbackText.split("\n").slice(1);
    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain("████░ 4.0");
    expect(lines[3]).toContain("██░░░ 2.0");
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(20);
    // The choices ride on the chart, the last message; a typed number answers them.
    expect(chart.choices![0]!.value).toBe("/wellbeing");
    expect(chat.choices()[0]!.value).toBe("/wellbeing");
    const stored = await r.redis.zrange(r.keys.user(chat.user, "moods"), 0, -1);
    expect(stored.map((s) => JSON.parse(s).mood)).toEqual([4, 2]);
    expect(JSON.parse(stored[0]!).word).toBe("hopeful");
  });

  it("answers every mood, with or without a worried word, in at most three messages, and a helpline at most once", async () => {
    const h = makeEngine(r);
    const chat = new Chat(h);
    await consent(chat);
    for (const word of ["skip", "so stressed"]) {
      for (let mood = 1; mood <= 5; mood++) {
        await chat.say(`/checkin ${mood}`);
        const out = word === "skip" ? await chat.tap(L("skip")) : await chat.say(word);
        expect(out.length, `mood ${mood}, ${word}`).toBeLessThanOrEqual(3);
        expect(out.join("\n").split("0800 456 789").length - 1, `mood ${mood}, ${word}`).toBeLessThanOrEqual(1);
        if (word !== "skip")
          expect(out[0]).toContain(T("care.note", { helpline: "SADAG Mental Health Helpline: 0800 456 789" }));
        h.clock.advance(DAY);
      }
    }
    // The third low check-in in a row adds its note: still three.
    let out: string[] = [];
    for (const mood of [1, 2, 1]) {
      await chat.say(`/checkin ${mood}`);
      out = await chat.tap(L("skip"));
    }
    expect(out).toHaveLength(3);
    expect(out[2]).toBe(T("checkin.low_run"));
    expect(chat.last[1]!.kind).toBe("chart");
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
