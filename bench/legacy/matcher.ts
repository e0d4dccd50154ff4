// A FROZEN copy of the phrase-list matcher the engine used before the understanding layer
// (src/core/safety.ts's crisis detector and src/core/intents.ts's detectIntent, as of commit
// 7c8507c). The engine no longer uses it: src/understanding/ (model + rules) replaced it. It is
// kept only so bench/understanding.ts, bench/adversarial.ts and scripts/crisis-eval.ts can
// compare the old matcher with the new reader in the same run. Do not extend it.
import type { Catalog } from "../../src/content/catalog.js";
import { compile, findPhrase, tokens, wordMatches, type CompiledPhrase } from "../../src/core/matching.js";
import { isQuestion } from "../../src/core/intents.js";

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

// ---- intents (was src/core/intents.ts detectIntent) ----

export type Intent = "rejected" | "greeting" | "thanks" | "help" | "applied" | "distress";

const intentCache = new WeakMap<Catalog, { intent: Intent; phrases: CompiledPhrase[] }[]>();

export function detectIntent(t: Catalog, text: string): Intent | undefined {
  let lists = intentCache.get(t);
  if (!lists) {
    lists = (["rejected", "help", "greeting", "thanks"] as const).map((intent) => ({
      intent,
      phrases: compile(t.phrases(`intent_${intent}`)),
    }));
    // "I applied to Shoprite" logs progress; stress or hopelessness offers mental-health help.
    // Both come after "rejected", so "I applied but they rejected me" is a rejection.
    const progressWords = ["progress_offer", "progress_interview", "progress_applied"].flatMap((l) => t.phrases(l));
    lists.push(
      { intent: "applied", phrases: compile(progressWords) },
      { intent: "distress", phrases: compile(t.phrases("distress")) },
    );
    intentCache.set(t, lists);
  }
  const words = tokens(text);
  for (const { intent, phrases } of lists) {
    // Greetings and thanks must be the whole message; "hi, I got rejected" is a rejection.
    const whole = intent === "greeting" || intent === "thanks";
    if (whole && words.length > 4) continue;
    // "How do I prepare for an interview at Absa?" asks something; it logs nothing.
    if (intent === "applied" && isQuestion(text)) continue;
    if (findPhrase(words, phrases, intent === "rejected" ? 2 : 1)) return intent;
  }
  return undefined;
}
