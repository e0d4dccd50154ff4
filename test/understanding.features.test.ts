// The model's features are read without building a string per n-gram (issue 14.3: the hot path).
// The values must be exactly those the model was trained on: every corpus line, and random text
// with emoji, surrogates, negations and long words, give the same buckets in the same order as
// the string-building reader they replaced (frozen in bench/legacy/features.ts, as the reference).
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { reference } from "../bench/legacy/features.js";
import { examplesOf, readCorpusFiles } from "../src/understanding/corpus.js";
import {
  DEFAULT_FEATURES,
  type FeatureConfig,
  featuresOf,
  modelTokens,
  BOUNDARY,
} from "../src/understanding/features.js";

const CONFIGS: FeatureConfig[] = [
  DEFAULT_FEATURES,
  { minN: 1, maxN: 3, bigrams: false, bucketBits: 16, negation: false },
  { minN: 3, maxN: 6, bigrams: true, bucketBits: 18, negation: true, negatedGrams: false, wordWeight: 2 },
];

describe("the model's features", () => {
  it("are the same as the string-building reader's for every corpus line", () => {
    const lines = examplesOf(readCorpusFiles(path.resolve(import.meta.dirname, ".."))).map((e) => e.text);
    expect(lines.length).toBeGreaterThan(10_000);
    let differ = 0;
    for (const line of lines) {
      const tokens = modelTokens(line);
      if (JSON.stringify(featuresOf(tokens)) !== JSON.stringify(reference(tokens, DEFAULT_FEATURES))) differ++;
    }
    expect(differ).toBe(0);
  });

  it("are the same for any tokens, emoji, lone surrogates and long words included, in every configuration", () => {
    const piece = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 12 }),
      fc.string({ unit: "binary", maxLength: 50 }),
      fc.constantFrom("not", "never", "angifuni", "😭", "🏳️‍🌈", "\ud83d", "\ude00x", BOUNDARY, "a".repeat(45)),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.constantFrom(...CONFIGS), (tokens, cfg) => {
        expect(featuresOf(tokens, cfg)).toEqual(reference(tokens, cfg));
      }),
      { numRuns: 2000 },
    );
  });
});
