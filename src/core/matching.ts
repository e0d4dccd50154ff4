// Matching what people really type against phrase lists from messages/: lower case, no
// punctuation or accents, stretched letters folded ("noooo"), and small typos forgiven.
// Phrases are token sequences; `*` in a phrase stands for any one word ("they * rejected me"),
// and a phrase matches when its tokens appear in order with at most one stray word between two.

export function normalize(input: string): string {
  return input
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "") // accents
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/'/g, "") // didn't -> didnt, so both spellings meet
    .replace(/[^\p{L}\p{N}\s]+/gu, " ")
    .replace(/(\p{L})\1{2,}/gu, "$1$1") // soooo -> soo
    .replace(/\s+/g, " ")
    .trim();
}

export function tokens(input: string): string[] {
  const n = normalize(input);
  return n === "" ? [] : n.split(" ");
}

// Three rolling rows, reused by every call: the distance runs for many word pairs of every
// message, and a fresh matrix per pair was most of the garbage a long message made.
let rowA = new Int32Array(32);
let rowB = new Int32Array(32);
let rowC = new Int32Array(32);

/** Damerau-Levenshtein distance (optimal string alignment), stopping early past `max`. */
export function editDistance(a: string, b: string, max = 3): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const m = b.length;
  if (rowA.length <= m) [rowA, rowB, rowC] = [new Int32Array(m + 1), new Int32Array(m + 1), new Int32Array(m + 1)];
  let before = rowA; // row i - 2
  let prev = rowB; // row i - 1
  let cur = rowC; // row i
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let best = Infinity;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      cur[j] = d;
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[m]!;
}

/** How many typos a word of this length may carry and still count. */
function tolerance(word: string): number {
  if (word.length >= 8) return 2;
  if (word.length >= 5) return 1;
  return 0;
}

export function wordMatches(phraseWord: string, typed: string): boolean {
  if (phraseWord === "*") return true;
  if (phraseWord === typed) return true;
  // A trailing `~` in a phrase means "this word or any word starting with it" (reject~ -> rejected, rejection).
  if (phraseWord.endsWith("~")) {
    const stem = phraseWord.slice(0, -1);
    return (
      typed.startsWith(stem) ||
      (typed.length >= stem.length && editDistance(stem, typed.slice(0, stem.length), 1) <= tolerance(stem))
    );
  }
  const tol = Math.min(tolerance(phraseWord), tolerance(typed));
  return tol > 0 && editDistance(phraseWord, typed, tol) <= tol;
}

export interface CompiledPhrase {
  source: string;
  words: string[];
}

export function compile(phrases: readonly string[]): CompiledPhrase[] {
  return phrases
    .map((p) => ({
      source: p,
      words: p
        .split(/\s+/)
        .flatMap((w) =>
          w === "*" ? ["*"] : w.endsWith("~") ? [`${normalize(w.slice(0, -1))}~`] : normalize(w).split(" "),
        )
        .filter(Boolean),
    }))
    .filter((p) => p.words.length > 0);
}

/** Whether `phrase` matches `typed` starting exactly at `from`, its later words at most `maxGap` words apart. */
function matchAt(phrase: readonly string[], typed: readonly string[], from: number, maxGap: number): boolean {
  let t = from;
  for (let p = 0; p < phrase.length; p++) {
    let found = false;
    const limit = p === 0 ? t : Math.min(typed.length - 1, t + maxGap);
    for (let k = t; k <= limit && k < typed.length; k++) {
      if (wordMatches(phrase[p]!, typed[k]!)) {
        t = k + 1;
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

/** The first phrase that matches the text, or undefined. */
export function findPhrase(
  text: string | readonly string[],
  phrases: readonly CompiledPhrase[],
  maxGap = 1,
): CompiledPhrase | undefined {
  const typed = typeof text === "string" ? tokens(text) : text;
  if (typed.length === 0) return undefined;
  for (const phrase of phrases) {
    for (let start = 0; start + phrase.words.length <= typed.length; start++) {
      if (matchAt(phrase.words, typed, start, maxGap)) return phrase;
    }
  }
  return undefined;
}

const compiledCache = new WeakMap<readonly string[], CompiledPhrase[]>();
/** `compile`, remembered per phrase list (catalogs hand out the same array every time). */
export function compiled(phrases: readonly string[]): CompiledPhrase[] {
  let c = compiledCache.get(phrases);
  if (!c) {
    c = compile(phrases);
    compiledCache.set(phrases, c);
  }
  return c;
}
