// Any Unicode a person (or a broken client) can send is read without throwing, and the reading
// always stays within the port's types: a known language, intent and risk level, and
// probabilities that are finite numbers between 0 and 1.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { INTENTS, LANGUAGES, RISK_LEVELS, type Reading } from "../src/core/understanding.js";
import { createUnderstanding } from "../src/understanding/index.js";

const u = createUnderstanding();
const prob = (x: number) => Number.isFinite(x) && x >= 0 && x <= 1;

function expectValid(r: Reading): void {
  expect(LANGUAGES).toContain(r.language.id);
  expect(INTENTS).toContain(r.intent.id);
  expect(RISK_LEVELS).toContain(r.risk.level);
  expect(prob(r.language.confidence) && prob(r.intent.confidence) && prob(r.risk.score)).toBe(true);
  if (r.intent.runnerUp) {
    expect(INTENTS).toContain(r.intent.runnerUp.id);
    expect(r.intent.runnerUp.confidence).toBeLessThanOrEqual(r.intent.confidence);
  }
}

const anyText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.string({
    unit: fc.constantFrom(
      "😭",
      "💔",
      "🙏",
      "\u200f",
      "\u202e",
      "ا",
      "ש",
      "\u0000",
      "\u0007",
      "\t",
      "\n",
      "ë",
      "š",
      "'",
      "’",
      "a",
      "o",
      " ",
      ".",
      ",",
    ),
    maxLength: 300,
  }),
);

describe("understanding on any input", () => {
  it("never throws and always returns a valid reading", () => {
    fc.assert(
      fc.property(anyText, fc.option(fc.string({ maxLength: 12 })), (text, hint) => {
        expectValid(u.read(text, hint === null ? undefined : { language: hint }));
      }),
      { numRuns: 400 },
    );
  });

  it("reads the edges: empty, whitespace, lone surrogates, control characters, 100k characters", () => {
    const long = "eish they rejected me again. ".repeat(3000) + "i want to kill myself. " + "whatever. ".repeat(2000);
    expect(long.length).toBeGreaterThan(100_000);
    for (const text of [
      "",
      "   ",
      "\u0000\u0001\u0002",
      "\ud800",
      "\udfff\ud800",
      "🙂".repeat(5000),
      "ا".repeat(100_000),
      "\u202eemoc ton did I",
      long,
    ]) {
      expectValid(u.read(text));
    }
    // A crisis sentence deep inside a very long message is still seen.
    expect(u.read(long).risk.level).toBe("crisis");
    expect(u.read("").risk.level).toBe("none");
  });

  it("does not choke on a non-string from a careless caller", () => {
    expectValid(u.read(undefined as unknown as string));
    expectValid(u.read(42 as unknown as string));
  });
});
