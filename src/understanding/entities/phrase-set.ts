// Whole-message lookups in a list of phrases, forgiving what people type: folded words with their
// stretched letters squeezed ("hiiii" is "hi") and, for long greetings only, one typo
// ("sawbona"). plausible.ts builds one set per list; each check is bounded by the text's length.
import { editDistance, squeeze, tokenize } from "./text.js";

/** A phrase as the lookup sees it: folded words, each with its stretched letters squeezed. */
function shape(s: string): string {
  return tokenize(s)
    .filter((t) => t.kind !== "punct")
    .map((t) => squeeze(t.t))
    .join(" ");
}

// Only greetings forgive a typo, and only long ones: "Daisy" is one letter from "daily" and
// "Stuart" one from "start", and both are names.
const TYPO_MIN = 6;

export class PhraseSet {
  private readonly exact = new Set<string>();
  private readonly long: string[] = [];
  /** With `typos`, phrases of TYPO_MIN letters or more also match one edit away. */
  constructor(phrases: readonly string[], typos: boolean) {
    for (const p of phrases) {
      const s = shape(p);
      if (!s) continue;
      this.exact.add(s);
      if (typos && s.length >= TYPO_MIN) this.long.push(s);
    }
  }
  /** The whole shaped text is one of the phrases, or one typo from a long one ("sawbona"). */
  has(s: string): boolean {
    if (this.exact.has(s)) return true;
    if (s.length < TYPO_MIN - 1 || s.length > 24) return false;
    return this.long.some((p) => Math.abs(p.length - s.length) <= 1 && editDistance(p, s, 1) <= 1);
  }
}
