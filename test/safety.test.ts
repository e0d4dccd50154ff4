// Safety through the engine with the committed model and rules (src/understanding/): crisis
// language in every flow step, the concern tier ("are you safe?"), and what must not alarm:
// negation, third persons and topics, idioms. The model's own quality on the held-out set is
// test/nlu.heldout.test.ts.
import { describe, expect, it } from "vitest";
import { NOT_UNDERSTOOD } from "./helpers/language.js";
import { en, L, T } from "./helpers/bot.js";
import { help as helpText } from "./helpers/messages.js";
import { Chat, makeFlowEngine as makeEngine } from "./helpers/flows.js";
import { eventually, redisPerTest } from "./helpers/redis.js";
import { helplinesText } from "../src/core/flows/crisis.js";

const r = redisPerTest();

/** How to get each multi-step flow to its middle: the start command and one answer. */
const MIDWAY: { flow: string; start: string; then?: string; waits: string }[] = [
  { flow: "reflect", start: "/reflect", then: "Absa, teller", waits: "prepared" },
  { flow: "feedback", start: "/feedback", then: "feedback.kind:interview", waits: "company" },
  { flow: "goals", start: "/goals", then: "Nurse", waits: "industries" },
  { flow: "progress", start: "/progress applied", waits: "what" },
  { flow: "checkin", start: "/checkin", then: "checkin.mood:2", waits: "word" },
  { flow: "remind", start: "/remind", waits: "words" },
];

async function midway(chat: Chat, m: (typeof MIDWAY)[number]) {
  await chat.say(m.start);
  if (m.then) await (m.then.includes(":") ? chat.press(m.then) : chat.say(m.then));
  expect(JSON.parse((await r.redis.get(r.keys.user(chat.user, "conv")))!)).toMatchObject({
    flow: m.flow,
    step: m.waits,
  });
}

describe.each(MIDWAY)("the $flow flow, interrupted in the middle", (m) => {
  it("stops for crisis language and shows the helplines at once", async () => {
    const chat = new Chat(makeEngine(r));
    await midway(chat, m);
    const out = await chat.say("honestly i cant go on, i want to kil myself");
    expect(out).toEqual([T("safety.crisis", { helplines: helplinesText({ t: en } as never) }), T("safety.ask")]);
    expect(out[0]).toContain("0800 567 567");
    expect(JSON.parse((await r.redis.get(r.keys.user(chat.user, "conv")))!)).toMatchObject({
      flow: "crisis",
      step: "check",
    });
  });

  it("/cancel ends it; a command leaves it; a restart resumes it; expiry forgets it", async () => {
    const chat = new Chat(makeEngine(r));
    await midway(chat, m);
    expect(await chat.say("/cancel")).toEqual([T("core.cancelled")]);

    await midway(chat, m);
    const help = await chat.say("/help");
    expect(help).toEqual([helpText()]);
    expect(JSON.parse((await r.redis.get(r.keys.user(chat.user, "conv")))!).flow).toBeNull();

    await midway(chat, m);
    const before = chat.choices();
    chat.h = makeEngine(r); // a new process on the same Redis
    const resumed = await (before.length ? chat.press(before[before.length - 1]!.value) : chat.say("Pick n Pay"));
    expect(resumed.join("\n")).not.toContain(T("core.expired_button"));
    expect(resumed.join("\n")).not.toContain(NOT_UNDERSTOOD);

    await midway(chat, m);
    const key = r.keys.user(chat.user, "conv");
    const stale = chat.choices()[0]?.value ?? `${m.flow}.${m.waits}:skip`;
    await r.redis.pexpire(key, 1);
    await eventually(async () => (await r.redis.exists(key)) === 0);
    expect(await chat.press(stale)).toEqual([T("core.expired_button")]);
  });
});

describe("the crisis check does not end silently", () => {
  it("a plain 'no' to 'are you safe?' gets help now and the question again", async () => {
    const chat = new Chat(makeEngine(r));
    await chat.say("/reflect");
    await chat.say("I want to die");
    const out = await chat.say("no");
    expect(out[0]).toContain("0800 567 567");
    expect(out).toEqual([
      T("safety.get_help_now", { helplines: helplinesText({ t: en } as never) }),
      T("safety.ask_again"),
    ]);
    expect(JSON.parse((await r.redis.get(r.keys.user(chat.user, "conv")))!)).toMatchObject({
      flow: "crisis",
      step: "check",
    });
  });

  it("'you misunderstood' is confirmed kindly, keeps a helpline in reach, and offers a check-in", async () => {
    const h = makeEngine(r);
    const chat = new Chat(h);
    await chat.say("/feedback");
    await chat.say("i feel like dying");
    const out = await chat.say("no you misunderstood");
    expect(out).toEqual([T("safety.misread", { helpline: "SADAG Suicide Crisis Helpline: 0800 567 567" })]);
    expect(chat.choices().map((c) => c.label)).toEqual([L("checkin_tomorrow"), L("no_thanks")]);
    expect(await chat.tap(L("no_thanks"))).toEqual([
      T("safety.take_care", { helpline: "SADAG Suicide Crisis Helpline: 0800 567 567" }),
    ]);
  });

  it("something unclear keeps the check open with the helpline", async () => {
    const chat = new Chat(makeEngine(r));
    await chat.say("/checkin");
    await chat.say("i want to end it all");
    expect(await chat.say("whatever")).toEqual([
      T("safety.still_here", { helpline: "SADAG Suicide Crisis Helpline: 0800 567 567" }),
    ]);
  });

  it("ordinary idioms in the middle of a flow do not trigger it", async () => {
    const chat = new Chat(makeEngine(r));
    await chat.say("/reflect");
    await chat.say("Old Mutual, teller");
    // A free-text step takes the idiom as the answer; no helplines.
    await chat.press("reflect.prepared:partly");
    await chat.press("reflect.skills:yes");
    await chat.press("reflect.connected:no");
    await chat.say("this job killed my hopes, I was dying to hear back");
    expect(chat.texts()).toEqual([T("reflect.offer_writing")]);
  });
});

const CRISIS = T("safety.crisis", { helplines: helplinesText({ t: en } as never) });
const HELPLINE = "SADAG Suicide Crisis Helpline: 0800 567 567";

describe("crisis language at the consent question and the daily time", () => {
  it.each([
    { start: "/start", flow: "start", step: "consent" },
    { start: "/daily", flow: "daily", step: "time" },
  ])("$flow.$step", async ({ start, flow, step }) => {
    const chat = new Chat(makeEngine(r));
    await chat.say(start);
    expect(JSON.parse((await r.redis.get(r.keys.user(chat.user, "conv")))!)).toMatchObject({ flow, step });
    expect(await chat.say("ngifuna ukuzibulala")).toEqual([CRISIS, T("safety.ask")]);
  });
});

describe("crisis language at every step of the reflection", () => {
  // The answers that walk /reflect from its first step to its last, one step at a time.
  const WALK: { step: string; answer: string }[] = [
    { step: "about", answer: "Absa, teller" },
    { step: "prepared", answer: "reflect.prepared:partly" },
    { step: "skills", answer: "reflect.skills:yes" },
    { step: "connected", answer: "reflect.connected:no" },
    { step: "differently", answer: "ask about the team" },
    { step: "write_offer", answer: "reflect.write_offer:skip" },
  ];
  it.each(WALK.map((w, i) => ({ ...w, i })))("at step $step the helplines come first", async ({ i, step }) => {
    const chat = new Chat(makeEngine(r));
    await chat.say("/reflect");
    for (const w of WALK.slice(0, i)) await (w.answer.includes(":") ? chat.press(w.answer) : chat.say(w.answer));
    expect(JSON.parse((await r.redis.get(r.keys.user(chat.user, "conv")))!)).toMatchObject({ flow: "reflect", step });
    expect(await chat.say("i have the pills ready, tonight i end it")).toEqual([CRISIS, T("safety.ask")]);
  });
});

describe("the concern tier: ambiguous distress is asked about gently", () => {
  it("asks 'are you safe?' with one helpline and three buttons, not the whole crisis page", async () => {
    const chat = new Chat(makeEngine(r));
    const out = await chat.say("I can't do this anymore");
    expect(out).toEqual([T("safety.concern_ask", { helpline: HELPLINE })]);
    expect(chat.choices().map((c) => c.label)).toEqual([L("concern_safe"), L("concern_help"), L("concern_venting")]);
  });

  it("'I need help now' brings the full crisis answer", async () => {
    const chat = new Chat(makeEngine(r));
    await chat.say("I can't do this anymore");
    expect(await chat.tap(L("concern_help"))).toEqual([CRISIS, T("safety.ask")]);
  });

  it("after 'I'm safe' a heavy message is not asked about again, but a helpline stays in reach", async () => {
    const chat = new Chat(makeEngine(r));
    await chat.say("I can't do this anymore");
    expect(await chat.tap(L("concern_safe"))).toEqual([T("safety.concern_safe", { helpline: HELPLINE })]);
    const next = await chat.say("I can't do this anymore");
    expect(next.join("\n")).not.toContain(T("safety.concern_ask", { helpline: HELPLINE }));
    expect(next.at(-1)).toContain(T("safety.in_reach", { helpline: HELPLINE }));
    // Heavy words are never read as "stop my daily messages".
    expect(next.join("\n")).not.toContain(T("daily.not_subscribed"));
    // Crisis language still brings the crisis answer at once.
    expect(await chat.say("i want to kill myself")).toEqual([CRISIS, T("safety.ask")]);
  });

  it("inside the check, typed words answer it: 'I need help' is the crisis answer, not /help", async () => {
    const chat = new Chat(makeEngine(r));
    await chat.say("I can't do this anymore");
    expect(await chat.say("everything is too much")).toEqual([T("safety.still_here", { helpline: HELPLINE })]);
    expect(await chat.say("I need help")).toEqual([CRISIS, T("safety.ask")]);
  });

  it("a typed 'just venting' is heard, and the flow it interrupted is offered back", async () => {
    const chat = new Chat(makeEngine(r));
    await chat.say("/reflect");
    await chat.say("Absa, teller");
    expect(await chat.say("everything is too much")).toEqual([T("safety.concern_ask", { helpline: HELPLINE })]);
    const out = await chat.say("just venting");
    const offer = T("core.resume_offer", { flow: "reflection" });
    expect(out).toEqual([T("safety.concern_venting", { helpline: HELPLINE }), offer]);
    expect(await chat.tap(L("go_back"))).toEqual([T("reflect.ask_prepared")]);
  });
});

describe("what must not alarm", () => {
  it.each([
    ["negation", "I'm not suicidal, just tired"],
    ["third person", "my friend's dad passed away"],
    ["a topic", "I got a job at a suicide prevention NGO"],
    ["an idiom", "this interview killed me"],
    ["an idiom, SA style", "eish that panel killed me shame"],
    ["living with family", "tired of living with my parents"],
  ])("%s: '%s' gets no crisis answer", async (_kind, words) => {
    const chat = new Chat(makeEngine(r));
    const out = await chat.say(words);
    expect(out.length).toBeGreaterThan(0);
    expect(out).not.toContain(CRISIS);
    expect(JSON.parse((await r.redis.get(r.keys.user(chat.user, "conv"))) ?? "{}").flow).not.toBe("crisis");
  });
});
