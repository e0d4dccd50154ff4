// /journal, /pro and /wellbeing end to end through the engine (real Redis).
import { describe, expect, it } from "vitest";
import { L, T } from "./helpers/bot.js";
import { Chat, makeFlowEngine as makeEngine } from "./helpers/flows.js";
import { redisPerTest } from "./helpers/redis.js";

const r = redisPerTest();

const DAY = 24 * 3600 * 1000;

async function consent(chat: Chat, yes = true) {
  await chat.say("/start");
  await chat.tap(L(yes ? "consent_yes" : "consent_no"));
}

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
    for (const said of [
      "I'm so stressed about money",
      "feeling hopeless about this job hunt",
      "my anxiety is bad today",
    ]) {
      const out = await chat.say(said);
      // Money worries add the practical offer after the same text.
      expect(out[0]!.startsWith(T("care.wellbeing"))).toBe(true);
    }
  });
});
