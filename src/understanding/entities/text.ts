// The one tokenizer every entity reader shares. Each reader first cuts its input to a bounded
// prefix (a time of day is never a page long), then walks these tokens once, so every reader is
// linear in the length of what it was given and constant beyond its cap.

export interface Token {
  /** Folded form: lower case, no accents, no apostrophes ("O’Clock" -> "oclock"). */
  t: string;
  kind: "num" | "word" | "punct";
  /** Offsets in the string that was tokenized, so a reader can cut or rewrite the original. */
  start: number;
  end: number;
}

// Digits with time separators stay one token ("7:30", "07h30", "7.30"); letters with inner
// apostrophes stay one word ("o'clock", "i'm"); any other visible character is punctuation.
// The alternatives start on disjoint classes, so the scan never backtracks.
const TOKEN = /(\d+(?:[:.hH]\d+)*)|([\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*)|([^\s\p{L}\p{M}\p{N}])/gu;

export function fold(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/['’‘`´]/g, "");
}

/** Tokens of `s`, which the caller has already cut to its cap. */
export function tokenize(s: string): Token[] {
  const out: Token[] = [];
  for (const m of s.matchAll(TOKEN)) {
    const start = m.index;
    const raw = m[0];
    const kind = m[1] !== undefined ? "num" : m[2] !== undefined ? "word" : "punct";
    const t = kind === "word" ? fold(raw) : raw.toLowerCase();
    // A lone combining mark folds to nothing: it is no word.
    if (t !== "") out.push({ t, kind, start, end: start + raw.length });
  }
  return out;
}

/** Folded words only, for phrase lookups ("Cape Town!" -> ["cape", "town"]). */
export function words(s: string): string[] {
  return tokenize(s)
    .filter((x) => x.kind !== "punct")
    .map((x) => x.t);
}

/** Letters of a word with runs folded to one ("hiiii" -> "hi", "hellooo" -> "helo"). */
export function squeeze(word: string): string {
  return word.replace(/(.)\1+/gu, "$1");
}

/**
 * Damerau-Levenshtein distance (optimal string alignment) between short strings, giving up
 * past `max`. Callers pass names of a few dozen letters at most, never user text of any length.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}
