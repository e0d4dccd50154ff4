// The crisis detector's measured quality, and crisis handling in the middle of every flow.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { en } from "./helpers/bot.js";
import { help as helpText } from "./helpers/messages.js";
import { Chat, makeFlowEngine as makeEngine } from "./helpers/flows.js";
import { eventually, testRedis, type TestRedis } from "./helpers/redis.js";
import { evaluateCrisisDetector, readSet } from "../scripts/crisis-eval.js";
import { helplinesText } from "../src/core/flows/crisis.js";

const L = (id: string) => en.label(id);
const T = (id: string, vars?: Record<string, string | number>) => en.text(id, vars);

describe("crisis detector quality (npm run crisis:eval prints the same figures)", () => {
  it("detects at least 95% of the crisis set and flags at most 5% of ordinary rejection talk", () => {
    const e = evaluateCrisisDetector(en);
    expect(e.crisisCount).toBeGreaterThanOrEqual(90);
    expect(e.ordinaryCount).toBeGreaterThanOrEqual(80);
    expect(e.missed, "missed crisis messages").toEqual([]);
    expect(e.recall).toBeGreaterThanOrEqual(0.95);
    expect(e.falsePositiveRate).toBeLessThanOrEqual(0.05);
    // The idioms named in the brief stay ordinary.
    expect(readSet("ordinary-messages")).toEqual(expect.arrayContaining(["this job killed my hopes", "I'm dying to hear back from them"]));
  });

  it("holds the same bar on the second sets", () => {
    const e = evaluateCrisisDetector(en, readSet("crisis-heldout"), readSet("ordinary-heldout"));
    expect(e.recall).toBeGreaterThanOrEqual(0.95);
    expect(e.falsePositiveRate).toBeLessThanOrEqual(0.05);
  });
});

let r: TestRedis;
beforeEach(async () => {
  r = await testRedis();
});
afterEach(async () => {
  await r.cleanup();
});

/** How to get each multi-step flow to its middle: the start command and one answer. */
const MIDWAY: { flow: string; start: string; then?: string; waits: string }[] = [
  { flow: "reflect", start: "/reflect", then: "Absa, teller", waits: "prepared" },
  { flow: "feedback", start: "/feedback", then: "feedback.kind:interview", waits: "company" },
  { flow: "goals", start: "/goals", then: "Nurse", waits: "industries" },
  { flow: "progress", start: "/progress applied", waits: "what" },
  { flow: "checkin", start: "/checkin", then: "checkin.mood:2", waits: "word" },
];

async function midway(chat: Chat, m: (typeof MIDWAY)[number]) {
  await chat.say(m.start);
  if (m.then) await (m.then.includes(":") ? chat.press(m.then) : chat.say(m.then));
  expect(JSON.parse((await r.redis.get(r.keys.user(chat.user, "conv")))!)).toMatchObject({ flow: m.flow, step: m.waits });
}

describe.each(MIDWAY)("the $flow flow, interrupted in the middle", (m) => {
  it("stops for crisis language and shows the helplines at once", async () => {
    const chat = new Chat(makeEngine(r));
    await midway(chat, m);
    const out = await chat.say("honestly i cant go on, i want to kil myself");
    expect(out).toEqual([T("safety.crisis", { helplines: helplinesText({ t: en } as never) }), T("safety.ask")]);
    expect(out[0]).toContain("0800 567 567");
    expect(JSON.parse((await r.redis.get(r.keys.user(chat.user, "conv")))!)).toMatchObject({ flow: "crisis", step: "check" });
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
    expect(resumed.join("\n")).not.toContain(T("core.not_understood"));

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
    expect(out).toEqual([T("safety.get_help_now", { helplines: helplinesText({ t: en } as never) }), T("safety.ask_again")]);
    expect(JSON.parse((await r.redis.get(r.keys.user(chat.user, "conv")))!)).toMatchObject({ flow: "crisis", step: "check" });
  });

  it("'you misunderstood' is confirmed kindly, keeps a helpline in reach, and offers a check-in", async () => {
    const h = makeEngine(r);
    const chat = new Chat(h);
    await chat.say("/feedback");
    await chat.say("i feel like dying");
    const out = await chat.say("no you misunderstood");
    expect(out).toEqual([T("safety.misread", { helpline: "SADAG Suicide Crisis Helpline: 0800 567 567" })]);
    expect(chat.choices().map((c) => c.label)).toEqual([L("checkin_tomorrow"), L("no_thanks")]);
    expect(await chat.tap(L("no_thanks"))).toEqual([T("safety.take_care", { helpline: "SADAG Suicide Crisis Helpline: 0800 567 567" })]);
  });

  it("something unclear keeps the check open with the helpline", async () => {
    const chat = new Chat(makeEngine(r));
    await chat.say("/checkin");
    await chat.say("i want to end it all");
    expect(await chat.say("whatever")).toEqual([T("safety.still_here", { helpline: "SADAG Suicide Crisis Helpline: 0800 567 567" })]);
  });

  it("ordinary idioms in the middle of a flow do not trigger it", async () => {
    const chat = new Chat(makeEngine(r));
    await chat.say("/reflect");
    await chat.say("Old Mutual, this job killed my hopes");
    expect(chat.texts()).toEqual([T("reflect.ask_prepared")]);
  });
});
