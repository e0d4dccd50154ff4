// Crisis language detection. It runs on every text message, in every flow, before anything
// else. Phrase lists live in messages/<locale>/safety.yaml so they can be reviewed and extended
// without touching code. Recall matters more than precision here: a false alarm costs a
// person one extra message; a miss can cost far more. Known idioms ("dying to hear back",
// "this job killed my hopes") are listed as exceptions so everyday rejection talk is not
// treated as a crisis.
import type { Catalog } from "../content/catalog.js";
import { compile, findPhrase, tokens, type CompiledPhrase } from "./matching.js";

export type SafetyVerdict = { status: "crisis"; phrase: string } | { status: "ok" };

export class CrisisDetector {
  private readonly crisis: CompiledPhrase[];
  private readonly idioms: CompiledPhrase[];

  constructor(t: Catalog) {
    this.crisis = compile(t.phrases("crisis"));
    this.idioms = compile(t.phrases("crisis_idioms"));
  }

  check(text: string): SafetyVerdict {
    let words = tokens(text);
    if (words.length === 0) return { status: "ok" };
    // Blank out idioms first, so "I'm dying to hear back" does not match "dying".
    for (const idiom of this.idioms) {
      for (;;) {
        const hit = findSpan(words, idiom);
        if (!hit) break;
        words = [...words.slice(0, hit.start), ...words.slice(hit.end)];
      }
    }
    const found = findPhrase(words, this.crisis, 2);
    return found ? { status: "crisis", phrase: found.source } : { status: "ok" };
  }
}

/** The exact span of an idiom (contiguous, typos forgiven), to remove it before the crisis check. */
function findSpan(words: string[], idiom: CompiledPhrase): { start: number; end: number } | undefined {
  const n = idiom.words.length;
  for (let s = 0; s + n <= words.length; s++) {
    if (findPhrase(words.slice(s, s + n), [idiom], 0)) return { start: s, end: s + n };
  }
  return undefined;
}

/** One detector per catalog, built on first use. */
const detectors = new WeakMap<Catalog, CrisisDetector>();
export function detectorFor(t: Catalog): CrisisDetector {
  let d = detectors.get(t);
  if (!d) {
    d = new CrisisDetector(t);
    detectors.set(t, d);
  }
  return d;
}
