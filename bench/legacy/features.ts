// A frozen copy of the model's feature reader as it was before it stopped building a string per
// n-gram (src/understanding/features.ts at bd11ac7): the reference the new reader is tested
// against (test/understanding.features.test.ts) and timed beside (bench/features.ts).
import { BOUNDARY, type FeatureConfig, NEGATORS } from "../../src/understanding/features.js";

function fnv1a(s: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
const NEGATIVE_PREFIX = /^(?:angi|andi|akangi|akandi|angeke|asi|ani|aku)\p{L}{3,}/u;
export function reference(tokens: readonly string[], cfg: FeatureConfig): number[] {
  const mask = (1 << cfg.bucketBits) - 1;
  const out: number[] = [];
  let negatedFor = 0;
  for (let t = 0; t < tokens.length; t++) {
    const word = tokens[t]!;
    if (word === BOUNDARY) {
      negatedFor = 0;
      continue;
    }
    const inScope = cfg.negation && negatedFor > 0;
    const prev = tokens[t - 1];
    for (let r = 0; r < (cfg.wordWeight ?? 1); r++) {
      out.push(fnv1a(word, inScope ? 0xc2b2ae35 : 0x9e3779b9) & mask);
      if (cfg.bigrams && prev !== undefined && prev !== BOUNDARY)
        out.push(fnv1a(`${prev} ${word}`, inScope ? 0xc2b2ae35 : 0x85ebca6b) & mask);
    }
    if (inScope) negatedFor--;
    if (cfg.negation && (NEGATORS.has(word) || NEGATIVE_PREFIX.test(word))) negatedFor = 3;
    const chars = Array.from(word.length > 40 ? word.slice(0, 40) : word);
    if (chars.length === 1 && /\p{Extended_Pictographic}/u.test(word)) continue;
    const padded = ["<", ...chars, ">"];
    for (let n = cfg.minN; n <= cfg.maxN; n++) {
      for (let i = 0; i + n <= padded.length; i++) {
        out.push(fnv1a(padded.slice(i, i + n).join(""), inScope && cfg.negatedGrams ? 0x27d4eb2f : 0) & mask);
      }
    }
  }
  return out;
}
// ---- end of the reference ----
