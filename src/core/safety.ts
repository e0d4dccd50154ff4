// Crisis language detection. It runs on every text message, in every flow, before anything
// else. Phrase lists live in messages/<locale>/safety.yaml so they can be reviewed and extended
// without touching code. Recall matters more than precision here: a false alarm costs a
// person one extra message; a miss can cost far more. Known idioms ("dying to hear back",
// "this job killed my hopes") are listed as exceptions so everyday rejection talk is not
// treated as a crisis.
import type { Catalog } from "../content/catalog.js";
import { compile, findPhrase, tokens, wordMatches, type CompiledPhrase } from "./matching.js";

export type SafetyVerdict = { status: "crisis"; phrase: string } | { status: "ok" };

export class CrisisDetector {
  private readonly crisis: CompiledPhrase[];
  private readonly idioms: CompiledPhrase[];

  constructor(t: Catalog) {
    this.crisis = compile(t.phrases("crisis"));
    this.idioms = compile(t.phrases("crisis_idioms"));
  }

  check(text: string): SafetyVerdict {
    let words: readonly string[] = tokens(text);
    if (words.length === 0) return { status: "ok" };
    // Blank out idioms first, so "I'm dying to hear back" does not match "dying".
    for (const idiom of this.idioms) words = withoutIdiom(words, idiom);
    const found = findPhrase(words, this.crisis, 2);
    return found ? { status: "crisis", phrase: found.source } : { status: "ok" };
  }
}

/**
 * The words with every occurrence of the idiom (contiguous, typos forgiven) removed, including
 * those that only appear once another is gone ("kill kill it it"). One pass with a stack: an
 * occurrence is removed as soon as its last word is pushed, which is the leftmost one, so the
 * result is that of removing the leftmost occurrence again and again, without the rescans
 * from the start that made it quadratic (18 s on 100,000 characters of repeated idioms).
 */
export function withoutIdiom(words: readonly string[], idiom: CompiledPhrase): readonly string[] {
  const n = idiom.words.length;
  // Most texts hold no idiom at all: find the first one before copying anything.
  let first = n - 1;
  while (first < words.length && !endsAt(words, first + 1, idiom.words)) first++;
  if (first >= words.length) return words;
  // The stack, sized once: growing a large array by pushes costs far more than its length.
  const out = words.slice(0, first + 1 - n);
  out.length = words.length;
  let top = first + 1 - n;
  for (let i = first + 1; i < words.length; i++) {
    out[top++] = words[i]!;
    if (top >= n && endsAt(out, top, idiom.words)) top -= n;
  }
  out.length = top;
  return out;
}

/** Whether the `end` first words of `stack` end with the idiom. */
function endsAt(stack: readonly string[], end: number, idiom: readonly string[]): boolean {
  const offset = end - idiom.length;
  for (let i = 0; i < idiom.length; i++) if (!wordMatches(idiom[i]!, stack[offset + i]!)) return false;
  return true;
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
