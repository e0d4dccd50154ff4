// Flows with typed steps and a version each (src/core/flow.ts): a stored conversation is read
// back through its flow's schema; one written by another version of its flow, or whose data no
// longer fits, is dropped for that flow alone, as if it had expired, while another flow's
// conversation in progress carries on. The type checks at the bottom fail `tsc` (npm test) if
// goTo or a choice ever accepts a step or data the flow does not have.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { done, type Turn } from "../src/core/context.js";
import { defineFlow, goTo } from "../src/core/flow.js";
import { coreFlows } from "../src/core/flows/index.js";
import { text } from "../src/core/types.js";
import { NOT_UNDERSTOOD } from "./helpers/language.js";
import { T } from "./helpers/bot.js";
import { chatAs, makeEngine } from "./helpers/engine.js";
import { redisPerTest } from "./helpers/redis.js";

const r = redisPerTest();

const stored = async (user: string) =>
  JSON.parse((await r.redis.get(r.keys.user(user as `console:${string}`, "conv"))) ?? "null");

/** A one-step flow in two versions; the data's shape is the same, so only the version tells them apart. */
function counter(version: number) {
  const flow = defineFlow({
    name: "counter",
    version,
    commands: ["count"],
    data: z.object({ n: z.number().optional() }),
    async start(): Promise<Turn> {
      return goTo(flow, "more", { n: 1 }, text("how many?", [{ label: "one", value: "counter.more:1" }]));
    },
    steps: {
      more: {
        expects: "number",
        async answer(_ctx, d): Promise<Turn> {
          return done(text(`v${version}: ${d.n}`));
        },
      },
    },
  });
  return flow;
}

describe("a flow's version", () => {
  it("is stored with the conversation, and a deploy of another version drops that conversation kindly", async () => {
    const v1 = chatAs(makeEngine(r.redis, r.prefix, { flows: [...coreFlows, counter(1)] }), "console:c1");
    await v1.say("/count");
    expect(await stored("console:c1")).toMatchObject({ flow: "counter", fv: 1, step: "more", data: { n: 1 } });

    // The new deploy: counter is version 2. The old button is an expired one; the flow is left
    // (only the menu the answer offers is kept).
    const v2 = chatAs(makeEngine(r.redis, r.prefix, { flows: [...coreFlows, counter(2)] }), "console:c1");
    expect((await v2.press("counter.more:1")).texts).toEqual([T("core.expired_button")]);
    expect(await stored("console:c1")).toMatchObject({ flow: null, data: {} });
    // Typed words are read as a fresh message, not as an answer to the old step.
    await v1.say("/count");
    expect((await v2.say("seven")).texts).toEqual([NOT_UNDERSTOOD]);
    // The new version's own conversations work as ever.
    await v2.say("/count");
    expect((await v2.press("counter.more:1")).texts).toEqual(["v2: 1"]);
  });

  it("leaves another flow's conversation in progress alone", async () => {
    const before = chatAs(makeEngine(r.redis, r.prefix, { flows: [...coreFlows, counter(1)] }), "console:c2");
    await before.say("/feedback");
    const after = chatAs(makeEngine(r.redis, r.prefix, { flows: [...coreFlows, counter(2)] }), "console:c2");
    expect((await after.press("feedback.kind:interview")).texts).toEqual([T("feedback.ask_company")]);
    expect(await stored("console:c2")).toMatchObject({ flow: "feedback", fv: 1, step: "company" });
  });

  it("reads a state from before versions were stored as version 1", async () => {
    const chat = chatAs(makeEngine(r.redis, r.prefix), "console:c3");
    await chat.say("/feedback");
    const key = r.keys.user("console:c3", "conv");
    const { fv: _fv, ...old } = await stored("console:c3");
    await r.redis.set(key, JSON.stringify(old));
    expect((await chat.press("feedback.kind:interview")).texts).toEqual([T("feedback.ask_company")]);
  });
});

describe("a flow's data", () => {
  it("is checked against the flow's schema on load: data of another shape is dropped, never misread", async () => {
    const chat = chatAs(makeEngine(r.redis, r.prefix), "console:d1");
    await chat.say("/goals");
    await chat.say("Driver");
    await chat.say("Logistics");
    await chat.say("R10 000");
    const key = r.keys.user("console:d1", "conv");
    const state = await stored("console:d1");
    expect(state).toMatchObject({
      flow: "goals",
      step: "applications",
      data: { roles: "Driver", industries: "Logistics", salary: "R10 000" },
    });
    // A number where the schema wants a name: the conversation is dropped, nothing is saved.
    await r.redis.set(key, JSON.stringify({ ...state, data: { ...state.data, roles: 42 } }));
    expect((await chat.press("goals.applications:2")).texts).toEqual([T("core.expired_button")]);
    expect(await r.redis.exists(r.keys.user("console:d1", "goals"))).toBe(0);
    expect(await stored("console:d1")).toMatchObject({ flow: null, data: {} });
  });

  it("a stored step the flow does not have (even one named like Object's own members) is dropped", async () => {
    const chat = chatAs(makeEngine(r.redis, r.prefix), "console:d2");
    await chat.say("/feedback");
    const key = r.keys.user("console:d2", "conv");
    const state = await stored("console:d2");
    for (const step of ["toString", "constructor", "no_such_step"]) {
      await r.redis.set(key, JSON.stringify({ ...state, step }));
      const out = await chat.say("Capitec");
      expect(out.status).toBe("handled");
      expect(out.texts).not.toContain(T("feedback.ask_role"));
    }
  });
});

// Never called: `tsc --noEmit` (the first half of npm test) checks these lines.
export function typeChecks() {
  const flow = counter(1);
  // @ts-expect-error: a step the flow does not have
  goTo(flow, "less", {});
  // @ts-expect-error: data of another shape
  goTo(flow, "more", { n: "one" });
  return goTo(flow, "more", { n: 2 });
}
