// Property: any Unicode text, typed while no flow waits or while any of several flow steps
// waits (a choice, yes/no, a time, a name, free words), goes through the engine's reading,
// safety tiers, let-go and routing without a throw, and always gets at least one reply.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatAs, makeEngine } from "./helpers/engine.js";
import { testRedis, type TestRedis } from "./helpers/redis.js";

let r: TestRedis;
beforeAll(async () => {
  r = await testRedis();
});
afterAll(async () => {
  await r.cleanup();
});

/** How to reach a waiting step: typed or pressed inputs after a fresh user's first message. */
const PLACES: readonly (readonly string[])[] = [
  [],
  ["/start"],
  ["/reflect"],
  ["/reflect", "Acme, analyst"],
  ["/feedback", "!feedback.kind:interview", "Shoprite", "cashier"],
  ["/daily"],
  ["/goals", "cashier"],
  ["I can't do this anymore"],
];

const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc.constantFrom(
    "hi",
    "I didn't get the job",
    "remind me tomorrow at 9",
    "stop",
    "\u0000",
    "‮",
    "🏳️‍🌈".repeat(30),
    " \n\t ",
  ),
);

const texts4 = fc.array(anyText, { minLength: 1, maxLength: 4 });

describe("any Unicode input, anywhere", () => {
  it("never throws and always gets at least one reply", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(PLACES.length - 1), texts4, async (place, texts) => {
        run++;
        const chat = chatAs(makeEngine(r.redis, `${r.prefix}:q${run}`), `console:q${run}`);
        for (const step of PLACES[place]!) await (step.startsWith("!") ? chat.press(step.slice(1)) : chat.say(step));
        for (const t of texts) {
          const out = await chat.say(t);
          expect(out.status).toBe("handled");
          expect(out.texts.length).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 50 },
    );
  }, 120_000);
});
