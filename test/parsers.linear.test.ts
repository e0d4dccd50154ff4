// The parsers rewritten to run in linear time read exactly what the quadratic originals read:
// each is checked against its original (kept here as the reference) on random texts built from
// the pieces that matter. How fast they are is measured by bench/adversarial.ts, not here.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { placeOf } from "../src/core/flows/progress.js";
import { clip } from "../src/core/text.js";
import { compile, editDistance, findPhrase, tokens, type CompiledPhrase } from "../src/core/matching.js";
import { withoutIdiom } from "../bench/legacy/matcher.js";
import { en } from "./helpers/bot.js";

/** Random texts glued from these pieces. */
const textOf = (pieces: string[], maxLength = 14) =>
  fc.array(fc.constantFrom(...pieces), { maxLength }).map((p) => p.join(""));

describe("the company in 'I applied to ...' (placeOf)", () => {
  const ORIGINAL = /\b(?:to|at|for|from|with)\s+(.+?)[.!]*$/i;
  it("is what the original regex captured", () => {
    const text = textOf([
      "to",
      "To",
      "at",
      "for",
      "from",
      "with",
      "into",
      " ",
      "  ",
      "\t",
      "\n",
      "\r",
      "\u2028",
      ".",
      "!",
      "a",
      "Shoprite",
      "x",
    ]);
    fc.assert(
      fc.property(text, (s) => {
        const t = s.trim();
        expect(placeOf(t)).toBe(ORIGINAL.exec(t)?.[1]);
      }),
      { numRuns: 10_000 },
    );
    expect(placeOf("I applied to Shoprite!!")).toBe("Shoprite");
    expect(placeOf("got an interview at Absa...")).toBe("Absa");
  });
});

describe("idiom removal before the crisis check (withoutIdiom)", () => {
  /** The original: find the leftmost occurrence, remove it, search again from the start. */
  function original(words: readonly string[], idiom: CompiledPhrase): readonly string[] {
    const n = idiom.words.length;
    for (;;) {
      let hit = -1;
      for (let s = 0; s + n <= words.length && hit < 0; s++) if (findPhrase(words.slice(s, s + n), [idiom], 0)) hit = s;
      if (hit < 0) return words;
      words = [...words.slice(0, hit), ...words.slice(hit + n)];
    }
  }
  const idioms = [...compile(en.phrases("crisis_idioms")), ...compile(["kill it", "a b a", "* it"])];
  const vocabulary = [...new Set(idioms.flatMap((i) => i.words).filter((w) => w !== "*"))].concat([
    "deadlne",
    "a",
    "b",
    "so",
    "want",
    "die",
  ]);

  it("leaves the words the original left, idioms formed by a removal included", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...vocabulary), { maxLength: 16 }), (words) => {
        let mine: readonly string[] = words;
        let theirs: readonly string[] = words;
        for (const idiom of idioms) {
          mine = withoutIdiom(mine, idiom);
          theirs = original(theirs, idiom);
        }
        expect(mine).toEqual(theirs);
      }),
      { numRuns: 5000 },
    );
    expect(withoutIdiom(tokens("kill kill it it now"), compile(["kill it"])[0]!)).toEqual(["now"]);
  });
});

describe("clip (what users typed, trimmed for a message)", () => {
  const original = (s: string, max: number) => {
    const t = s.trim().replace(/\s+/g, " ");
    return [...t].length > max ? [...t].slice(0, max - 1).join("") + "…" : t;
  };
  it("cuts where the original cut, reading only what it keeps", () => {
    const text = textOf(["a", "é", "😀", " ", "\n\t", "\u00a0", "\ud800", "word"], 30);
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 12 }), (s, max) => void expect(clip(s, max)).toBe(original(s, max))),
      { numRuns: 5000 },
    );
  });
});

describe("editDistance (reusing its rows)", () => {
  /** The original: a fresh matrix per call. */
  function original(a: string, b: string, max = 3): number {
    if (a === b) return 0;
    if (Math.abs(a.length - b.length) > max) return max + 1;
    const rows: number[][] = [];
    for (let i = 0; i <= a.length; i++) rows.push([i]);
    for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
    for (let i = 1; i <= a.length; i++) {
      let best = Infinity;
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
        rows[i]![j] = d;
        if (d < best) best = d;
      }
      if (best > max) return max + 1;
    }
    return rows[a.length]![b.length]!;
  }
  it("gives what the original gave, long words (that grow the rows) included", () => {
    const word = fc.string({ unit: fc.constantFrom("a", "b", "c", "d"), maxLength: 12 });
    const long = fc.string({ unit: fc.constantFrom("a", "b"), minLength: 30, maxLength: 45 });
    fc.assert(
      fc.property(
        fc.oneof(word, long),
        fc.oneof(word, long),
        fc.integer({ min: 0, max: 4 }),
        (a, b, max) => void expect(editDistance(a, b, max)).toBe(original(a, b, max)),
      ),
      { numRuns: 10_000 },
    );
  });
});
