// No turn sends more than three messages: every public command walked with typical answers
// (buttons tapped in turn, typical words typed), plus the plain-words conversations that used to
// send more (a low mood with "hopeless", /feedback's drafts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Chat, makeFlowEngine, type EngineHarness } from "./helpers/flows.js";
import { testRedis, type TestRedis } from "./helpers/redis.js";

const MAX = 3;
let r: TestRedis;
let h: EngineHarness;
beforeAll(async () => {
  r = await testRedis();
  h = makeFlowEngine(r);
});
afterAll(async () => {
  await r.cleanup();
});

/** Says or taps, and records any turn over the limit. */
async function turn(chat: Chat, over: string[], what: string, act: () => Promise<string[]>): Promise<void> {
  const out = await act();
  const heads = out.map((t) => t.slice(0, 60).replace(/\n/g, " ")).join("\n  ");
  if (out.length > MAX) over.push(`${what}: ${out.length} messages\n  ${heads}`);
}

async function consented(): Promise<Chat> {
  const chat = new Chat(h);
  await chat.say("/start");
  await chat.say("yes");
  return chat;
}

// Typed answers a person gives when a flow asks in words (a company, a time, a mood word...).
const TYPICAL = ["Capitec, client consultant", "Mr Nkosi", "7:30", "2", "hopeless", "I don't know", "skip"];

describe("every turn sends at most three messages", () => {
  it("walking each public command, tapping each offered button in turn or typing a typical answer", async () => {
    const over: string[] = [];
    const skip = new Set(["forget"]); // walked separately below: it ends the user
    for (const command of h.engine.publicCommands().filter((c) => !skip.has(c))) {
      for (let branch = 0; branch < 3; branch++) {
        const chat = await consented();
        await turn(chat, over, `/${command}`, () => chat.say(`/${command}`));
        for (let step = 0; step < 8; step++) {
          const choices = chat.choices().filter((c) => !c.value.startsWith("/"));
          if (choices.length) {
            const c = choices[Math.min(branch, choices.length - 1)]!;
            await turn(chat, over, `/${command} … tap ${c.label}`, () => chat.press(c.value));
          } else {
            const typed = TYPICAL[(step + branch) % TYPICAL.length]!;
            await turn(chat, over, `/${command} … "${typed}"`, () => chat.say(typed));
          }
        }
      }
    }
    const chat = await consented();
    await turn(chat, over, "/forget", () => chat.say("/forget"));
    await turn(chat, over, "/forget … yes", () => chat.say("yes"));
    expect(over).toEqual([]);
  });

  it.each([
    ["a low mood with 'hopeless'", ["/checkin", "1", "hopeless"]],
    [
      "three low moods in a row, hopeless",
      ["/checkin", "1", "hopeless", "/checkin", "1", "hopeless", "/checkin", "1", "so hopeless and anxious"],
    ],
    ["anxious and hopeless in plain words", ["I feel so anxious and hopeless"]],
    ["a rejection, then hopeless", ["they rejected me", "I feel hopeless and stressed"]],
    ["/feedback to the end", ["/feedback", "1", "Capitec", "Client consultant", "Mr Nkosi", "1"]],
    ["money stress", ["I'm stressed, I can't pay rent and have no money for transport"]],
    [
      "/reflect to the end",
      ["/reflect", "Capitec, client consultant", "partly", "no", "yes", "the salary question", "skip", "1", "yes"],
    ],
    ["/goals to the end", ["/goals", "retail", "skip", "skip", "3", "2", "yes"]],
    ["/progress logging", ["I applied to Shoprite for cashier", "I got an interview at Shoprite", "/progress"]],
  ])("%s", async (_name, said) => {
    const chat = await consented();
    const over: string[] = [];
    for (const s of said) await turn(chat, over, s, () => chat.say(s));
    expect(over).toEqual([]);
  });
});
