// Flows that let go (issue 12, part 3), through the real engine, the committed model and real
// Redis: a message that clearly means something else leaves the waiting step and is handled as
// that, with one offer to go back; "go back" asks the step's question again with its data kept;
// a name slot refuses a greeting kindly; a step left hours ago is not answered by the next text;
// consent never blocks first use. Every "Questions that trap" scenario of the issue is here.
import { describe, expect, it } from "vitest";
import { STALE_AFTER_MS } from "../src/core/engine.js";
import { RESUME_BACK, RESUME_DROP } from "../src/core/engine/letgo.js";
import { en, FakeClock } from "./helpers/bot.js";
import { coreFlows } from "../src/core/flows/index.js";
import { chatAs, makeEngine } from "./helpers/engine.js";
import { redisPerTest } from "./helpers/redis.js";
import { idOf } from "./helpers/transcripts.js";

const r = redisPerTest();

type Chat = ReturnType<typeof chatAs>;
const ids = (out: { texts: string[] }) => out.texts.map(idOf);

async function state(user: `console:${string}`) {
  const raw = await r.redis.get(r.keys.user(user, "conv"));
  return raw ? JSON.parse(raw) : null;
}

/** A user who has answered the consent question (so no flow waits). */
async function consented(user: `console:${string}`, clock?: FakeClock): Promise<Chat> {
  const chat = chatAs(makeEngine(r.redis, r.prefix, { clock, conversationTtlSeconds: 7 * 24 * 3600 }), user);
  await chat.say("/start");
  await chat.press("start.consent:yes");
  return chat;
}

describe("consent never blocks first use", () => {
  it("'I didn't get the job' at the consent question gets support, not 'was that a yes or a no?'", async () => {
    const chat = chatAs(makeEngine(r.redis, r.prefix), "console:c1");
    expect(ids(await chat.say("/start"))).toEqual(["core.welcome", "consent.ask"]);
    const out = await chat.say("I didn't get the job");
    expect(ids(out)).toEqual(["support.first_response", "support.what_next", "core.resume_offer"]);
    expect(out.texts).not.toContain(en.text("consent.unclear"));
    expect(out.texts[2]).toBe(en.text("core.resume_offer", { flow: "welcome" }));
    // Nothing stored: consent stays unset, asked again when the user goes back.
    expect(await r.redis.hget(r.keys.user("console:c1", "profile"), "consent")).toBeNull();
    const back = await chat.press(RESUME_BACK);
    expect(ids(back)).toEqual(["consent.ask"]);
    expect((await chat.press("start.consent:no")).texts[0]).toBe(en.text("consent.thanks_no"));
    expect(await r.redis.hget(r.keys.user("console:c1", "profile"), "consent")).toBe("no");
  });

  it("words of hurt at the consent question get support first, and nothing is stored", async () => {
    const chat = chatAs(makeEngine(r.redis, r.prefix), "console:c2");
    await chat.say("/start");
    const out = await chat.say("I'm so stressed about all of this");
    expect(ids(out)[0]).toBe("support.first_response");
    expect(await r.redis.hget(r.keys.user("console:c2", "profile"), "consent")).toBeNull();
  });

  it("a plain yes or no still answers the consent question", async () => {
    const chat = chatAs(makeEngine(r.redis, r.prefix), "console:c3");
    await chat.say("/start");
    expect((await chat.say("yes please")).texts[0]).toBe(en.text("consent.thanks_yes"));
  });
});

describe("a waiting flow lets go", () => {
  it("/goals waiting for industries: a reminder request is a reminder, not the industry", async () => {
    const chat = await consented("console:g1");
    await chat.say("/goals");
    const roles = await chat.say("cashier");
    expect(ids(roles)).toEqual(["goals.ask_industries"]);
    const out = await chat.say("remind me tomorrow at 9 to call Thandi");
    expect(ids(out)[0]).toMatch(/^remind\./);
    // Not stored as the industry: the goals wait, paused, with none; the reminder has the words.
    const st = await state("console:g1");
    expect(st.flow).toBe("remind");
    expect(st.paused).toMatchObject({ flow: "goals", step: "industries" });
    expect(st.paused.data.industries).toBeUndefined();
    expect(st.data.what).toBe("call Thandi");
  });

  it("mid-reflection, 'I need help' is help; 'go back' asks the same question with the answers kept", async () => {
    const chat = await consented("console:l1");
    await chat.say("/reflect");
    expect(ids(await chat.say("Acme, analyst"))).toEqual(["reflect.ask_prepared"]);
    const away = await chat.say("I need help");
    expect(ids(away)).toEqual(["core.help", "core.resume_offer"]);
    expect(away.texts[1]).toBe(en.text("core.resume_offer", { flow: "reflection" }));
    expect(away.choices.map((c) => c.value)).toEqual([RESUME_BACK, RESUME_DROP]);
    // Typed, the offer's label works too.
    const back = await chat.say(en.label("go_back"));
    expect(ids(back)).toEqual(["reflect.ask_prepared"]);
    expect((await chat.press("reflect.prepared:partly")).texts.map(idOf)).toEqual(["reflect.ask_skills"]);
    const st = await state("console:l1");
    expect(st).toMatchObject({ flow: "reflect", step: "skills" });
    expect(JSON.stringify(st.data)).toContain("Acme");
    expect(st.paused).toBeUndefined();
  });

  it("'no thanks' to going back leaves the flow for good, kindly", async () => {
    const chat = await consented("console:l2");
    await chat.say("/reflect");
    await chat.say("Acme, analyst");
    await chat.say("I need help");
    const no = await chat.press(RESUME_DROP);
    expect(ids(no)).toEqual(["core.resume_dropped"]);
    expect((await state("console:l2")).paused).toBeUndefined();
    expect(ids(await chat.press(RESUME_BACK))).toEqual(["core.resume_gone"]);
  });

  it("a rejection where a time is asked for is support, with the offer to go back", async () => {
    const chat = await consented("console:l3");
    await chat.say("/daily");
    expect((await state("console:l3")).step).toBe("time");
    const out = await chat.say("they went with someone else");
    expect(ids(out)).toEqual(["support.first_response", "support.what_next", "core.resume_offer"]);
    expect(out.texts[2]).toBe(en.text("core.resume_offer", { flow: "daily message setup" }));
  });

  it("inside /feedback, talk of the rejection is the flow's own topic and stays", async () => {
    const chat = await consented("console:l4");
    await chat.say("/feedback");
    const out = await chat.say("it was just an automatic email");
    expect(ids(out)[0]).toBe("feedback.automated");
  });

  it("'Please stop sending me messages' and 'no more daily messages' go to stopping everything", async () => {
    const chat = await consented("console:s1");
    expect(ids(await chat.say("Please stop sending me messages"))).toEqual(["remind.stop_nothing"]);
    await chat.say("/daily 7:00");
    expect(ids(await chat.say("Please stop sending me messages"))).toEqual(["remind.stop_ask_daily"]);
    await chat.say("/feedback");
    const out = await chat.say("no more daily messages");
    expect(ids(out)).toEqual(["remind.stop_ask_daily"]);
    // Stop means quiet: no offer to go back.
    expect((await state("console:s1"))?.paused).toBeUndefined();
  });

  it("free-text steps keep their answer: talk about the rejection inside the reflection is the answer", async () => {
    const chat = await consented("console:f1");
    await chat.say("/reflect");
    await chat.say("Acme, analyst");
    await chat.press("reflect.prepared:partly");
    await chat.press("reflect.skills:yes");
    expect(ids(await chat.press("reflect.connected:no"))).toEqual(["reflect.ask_differently"]);
    const out = await chat.say("I think they rejected me because I was nervous");
    expect(ids(out)).toEqual(["reflect.offer_writing"]);
  });

  it("a bare command word where a number is asked for runs the command", async () => {
    const chat = await consented("console:n1");
    await chat.say("/goals");
    for (const a of ["cashier", "retail", "R8000"]) await chat.say(a);
    expect((await state("console:n1")).step).toBe("applications");
    const out = await chat.say("tip");
    expect(ids(out)[0]).toBe("tips.tip");
  });
});

describe("names are checked before they are kept", () => {
  async function atNameStep(user: `console:${string}`, clock?: FakeClock): Promise<Chat> {
    const chat = await consented(user, clock);
    await chat.say("/feedback");
    await chat.press("feedback.kind:interview");
    await chat.say("Shoprite");
    expect(ids(await chat.say("cashier"))).toEqual(["feedback.ask_name"]);
    return chat;
  }

  it("'hi' as the interviewer's name is asked again kindly, never 'Dear hi'", async () => {
    const chat = await atNameStep("console:p1");
    const out = await chat.say("hi");
    // The feedback flow checks names itself, in its own words.
    expect(ids(out)).toEqual(["feedback.unclear_name", "feedback.ask_name"]);
    expect((await state("console:p1")).step).toBe("name");
    const letter = await chat.say("Thandi Dlamini");
    expect(letter.texts.join("\n")).toContain("Thandi Dlamini");
    expect(letter.texts.join("\n")).not.toMatch(/Dear hi\b/);
  });

  it("a yes or a question is not a company", async () => {
    const chat = await consented("console:p2");
    await chat.say("/feedback");
    await chat.press("feedback.kind:interview");
    expect(ids(await chat.say("yes"))).toEqual(["feedback.unclear_company", "feedback.ask_company"]);
    expect(ids(await chat.say("Pick n Pay"))).toEqual(["feedback.ask_role"]);
    // A question asking for help is help, with the offer to go back.
    expect(ids(await chat.say("what do you mean?"))).toEqual(["core.help", "core.resume_offer"]);
  });

  it("after two days away, 'hi' is a greeting and the user is told where we were", async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 2, 8));
    const chat = await atNameStep("console:p3", clock);
    clock.advance(2 * 24 * 3600 * 1000);
    const out = await chat.say("hi");
    expect(ids(out)).toEqual(["core.help", "core.resume_stale"]);
    expect(out.texts[1]).toBe(en.text("core.resume_stale", { flow: "feedback message" }));
    expect(out.choices.map((c) => c.label)).toEqual([en.label("go_back"), en.label("start_fresh")]);
    expect((await state("console:p3")).flow).toBeNull();
    // Going back asks the name again, with the company and role kept.
    expect(ids(await chat.press(RESUME_BACK))).toEqual(["feedback.ask_name"]);
    const letter = await chat.say("Ms Naidoo");
    expect(letter.texts.join("\n")).toContain("Ms Naidoo");
    expect(letter.texts.join("\n")).toContain("Shoprite");
  });

  it("a step a little under three hours old still takes the answer", async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 2, 8));
    const chat = await atNameStep("console:p4", clock);
    clock.advance(STALE_AFTER_MS - 60_000);
    const letter = await chat.say("Ms Naidoo");
    expect(letter.texts.join("\n")).toContain("Ms Naidoo");
  });

  it("'start fresh' after a stale step leaves it", async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 2, 8));
    const chat = await atNameStep("console:p5", clock);
    clock.advance(STALE_AFTER_MS + 60_000);
    await chat.say("hello");
    expect(ids(await chat.press(RESUME_DROP))).toEqual(["core.resume_dropped"]);
    expect((await state("console:p5"))?.paused).toBeUndefined();
  });
});

describe("routing outside a flow", () => {
  it("sends each clear intent to its flow, and low confidence to 'didn't catch that'", async () => {
    const chat = await consented("console:r1");
    expect(ids(await chat.say("they went with someone else"))[0]).toBe("support.first_response");
    expect(ids(await chat.say("thanks")).at(0)).toBe("core.thanks");
    expect(ids(await chat.say("yes"))).toEqual(["core.menu_prompt"]);
    expect(ids(await chat.say("I want to do the reflection"))[0]).toBe("reflect.intro");
    await chat.say("/cancel");
    expect(ids(await chat.say("qwerty zxcvb"))).toEqual(["core.not_understood"]);
  });

  it("emoji alone or another script is not routed on a guess", async () => {
    const chat = await consented("console:r3");
    expect(ids(await chat.say("😭😭😭"))).toEqual(["core.not_understood"]);
    expect(ids(await chat.say("لقد رفضوني"))).toEqual(["core.not_understood"]);
  });

  it("routes to a flow when it is registered, and falls back when it is not (language -> help)", async () => {
    const chat = await consented("console:r2");
    expect(ids(await chat.say("I want to change language"))).toEqual(["language.ask"]);
    const without = chatAs(
      makeEngine(r.redis, r.prefix, { flows: coreFlows.filter((f) => f.name !== "language") }),
      "console:r2b",
    );
    expect(ids(await without.say("I want to change language"))).toEqual(["core.help"]);
  });
});
