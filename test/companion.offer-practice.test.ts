// Issue 13, parts 3 and 4: "I got the job" (celebrate, mark the record, pause or stop the daily
// boost and the job-search reminders, keep the journal, say how to come back) and /practice (one
// question at a time, STAR, the answer reflected with one suggestion, tied to the newest
// reflection). Through the engine on real Redis.
import { describe, expect, it } from "vitest";
import { suggestionFor } from "../src/core/flows/practice.js";
import { en, L, T } from "./helpers/bot.js";
import { Chat, makeFlowEngine, type EngineHarness } from "./helpers/flows.js";
import { redisPerTest } from "./helpers/redis.js";

const r = redisPerTest();

const DAY = 86_400_000;
const questions = (sector: string) => en.message(`practice.q_${sector}`).variants.map((v) => v.text);

async function searchScheduled(h: EngineHarness, chat: Chat) {
  const s = h.services.schedule.scheduler;
  for (const kind of ["followup", "reapply", "goals_weekly"])
    await s.add({ user: chat.user, kind, dueAt: h.clock.now() + DAY, data: { company: "Acme" } });
  await s.add({ user: chat.user, kind: "reminder", dueAt: h.clock.now() + DAY, text: "call mom" });
  await h.services.schedule.daily.subscribe(chat.user, "07:30", "Africa/Johannesburg");
}

describe("I got the job", () => {
  it("celebrates, marks the application as an offer, and stops the boost and the search reminders on request", async () => {
    const h = makeFlowEngine(r);
    const chat = new Chat(h);
    await chat.say("I applied to Absa for teller");
    await searchScheduled(h, chat);
    const out = await chat.say("I got the job at Absa!!! 🎉");
    expect(out).toEqual([T("offer.celebrate", { name: "Absa (teller)" }), T("offer.ask_pause_stop", { days: 14 })]);
    expect(chat.choices().map((c) => c.label)).toEqual([L("offer_pause"), L("offer_stop"), L("offer_keep")]);
    const apps = await h.services.stores.applications.list(chat.user, 0, 10);
    expect(apps.records.map((x) => [x.company, x.stage])).toEqual([["Absa", "offer"]]);
    expect(await chat.tap(L("offer_stop"))).toEqual([T("offer.stopped")]);
    expect(chat.choices().map((c) => c.value)).toContain("/journal");
    expect(await h.services.schedule.daily.status(chat.user)).toBeUndefined();
    // The user's own reminder stays.
    expect((await h.scheduled(chat.user)).map((i) => i.kind)).toEqual(["reminder"]);
  });

  it("pauses the daily boost on request, and keeps the rest", async () => {
    const h = makeFlowEngine(r);
    const chat = new Chat(h);
    await searchScheduled(h, chat);
    await chat.say("/offer");
    expect(chat.texts()[0]).toBe(T("offer.celebrate_unnamed"));
    expect(await chat.tap(L("offer_pause"))).toEqual([T("offer.paused")]);
    const sub = (await h.services.schedule.daily.status(chat.user))!;
    expect(sub.pausedUntil).toBeGreaterThanOrEqual(h.clock.now() + 14 * DAY - 3600_000);
    expect(await h.scheduled(chat.user)).toHaveLength(4);
  });

  it("names the company from the words, never from the news itself", async () => {
    const chat = new Chat(makeFlowEngine(r));
    expect((await chat.say("/offer yay got the job"))[0]).toBe(T("offer.celebrate_unnamed"));
    expect((await chat.say("/offer Capitec"))[0]).toBe(T("offer.celebrate", { name: "Capitec" }));
    await chat.say("/progress");
    await chat.tap(L("log_offer"));
    expect((await chat.say("Pick n Pay"))[0]).toBe(T("offer.celebrate", { name: "Pick n Pay" }));
    const { records } = await chat.h.services.stores.applications.list(chat.user, 0, 10);
    expect(records.map((x) => x.company ?? "").sort()).toEqual(["", "Capitec", "Pick n Pay"]);
  });

  it("with nothing scheduled, celebrates and says how to come back, in two messages", async () => {
    const chat = new Chat(makeFlowEngine(r));
    expect(await chat.say("I got the job!")).toEqual([T("offer.celebrate_unnamed"), T("offer.come_back")]);
  });
});

describe("/practice", () => {
  it("explains STAR, asks one question at a time, and reflects the answer with one suggestion", async () => {
    const chat = new Chat(makeFlowEngine(r));
    const out = await chat.say("/practice");
    expect(out).toEqual([T("practice.intro"), T("practice.ask_sector")]);
    expect(chat.choices().map((c) => c.label)).toEqual(
      ["retail", "callcentre", "admin", "learnership", "graduate"].map((s) => L(`practice_${s}`)),
    );
    const q = await chat.tap(L("practice_callcentre"));
    const qs = questions("callcentre");
    expect(q).toEqual([T("practice.question", { n: 1, total: qs.length, question: qs[0]! })]);
    const reply = await chat.say("I listened");
    expect(reply).toEqual([T("practice.reflect", { answer: "I listened", tip: T("practice.tip_too_short") })]);
    await chat.tap(L("practice_next"));
    expect(chat.texts()[0]).toContain(qs[1]);
    await chat.tap(L("practice_skip"));
    expect(chat.texts()[0]).toContain(qs[2]);
    expect(await chat.tap(L("practice_done"))).toEqual([T("practice.done")]);
  });

  it("one concrete suggestion, in order: enough words, what I did, a result, the situation", () => {
    const filler = "and it was a long and busy day with lots of people waiting in the queue for help";
    expect(suggestionFor("I helped")).toBe("too_short");
    expect(suggestionFor(`We helped the customer ${filler} and the team sorted it out`)).toBe("say_i");
    expect(suggestionFor(`I phoned the supplier myself ${filler} and then the manager came`)).toBe("add_result");
    expect(suggestionFor(`I phoned the supplier myself ${filler}, so the queue went down to 5 minutes`)).toBe(
      "add_situation",
    );
    expect(
      suggestionFor(
        `At my last job on a Saturday I phoned the supplier myself ${filler}, so the queue went down to 5 minutes`,
      ),
    ).toBe("good");
  });

  it("starts from what the newest reflection said to practise, when the user let us keep it", async () => {
    const h = makeFlowEngine(r);
    const chat = new Chat(h);
    await chat.say("/start");
    await chat.tap(L("consent_yes"));
    await h.services.stores.journal.add(chat.user, {
      at: h.clock.now(),
      prepared: "yes",
      skills: "no",
      connected: "yes",
      differently: "give examples with numbers",
    });
    const out = await chat.say("/practice retail");
    expect(out[0]).toBe(
      `${T("practice.intro")}\n\n${T("practice.focus_differently", { words: "give examples with numbers" })}`,
    );
    expect(out[1]).toContain(questions("retail")[0]);
  });

  it("says nothing of reflections without consent", async () => {
    const h = makeFlowEngine(r);
    const chat = new Chat(h);
    await h.services.stores.journal.add(chat.user, {
      at: h.clock.now(),
      prepared: "no",
      skills: "no",
      connected: "no",
    });
    expect((await chat.say("/practice"))[0]).toBe(T("practice.intro"));
  });
});
