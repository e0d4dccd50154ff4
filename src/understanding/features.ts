// What the classifier sees of a message: hashed character n-grams inside each word, plus word
// unigrams and bigrams. Character n-grams are what let "didnt", "didn't" and "ddnt" share most
// of their evidence, and what lets the model read the agglutinated words of isiZulu, isiXhosa
// and the Sotho languages ("angisafuni", "ndiyadinwa") from the pieces they share with their
// relatives. Training and reading use this one function, so they can never drift apart.

/** Folds what people type into one spelling: case, accents, apostrophes, stretched letters. */
export function normalize(input: string): string {
  return input
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "") // accents: beëindig -> beeindig, sê -> se
    .toLowerCase()
    .replace(/['’‘`´]/g, "") // didn't -> didnt; ek's -> eks
    .replace(/(\p{L})\1{2,}/gu, "$1$1"); // soooo -> soo, pleeease -> pleease
}

/**
 * Words, numbers and emoji, in order. Everything else is a separator. An emoji is a token of
 * its own: 💔 and 😭 say something a model can use.
 */
export function tokenize(input: string): string[] {
  const out: string[] = [];
  for (const m of normalize(input).matchAll(/[\p{L}\p{N}]+|\p{Extended_Pictographic}/gu)) out.push(m[0]);
  return out;
}

/** A clause boundary in model tokens: no features of its own; bigrams and negation stop at it. */
export const BOUNDARY = "|";

/** Tokens for the model: words, numbers and emoji as in `tokenize`, plus BOUNDARY at , . ; : ! ? and line breaks. */
export function modelTokens(input: string): string[] {
  const out: string[] = [];
  for (const m of normalize(input).matchAll(/[\p{L}\p{N}]+|\p{Extended_Pictographic}|[.,;:!?\n]+/gu)) {
    const t = m[0];
    if (/^[.,;:!?\n]/.test(t)) {
      if (out.length > 0 && out[out.length - 1] !== BOUNDARY) out.push(BOUNDARY);
    } else out.push(t);
  }
  if (out[out.length - 1] === BOUNDARY) out.pop();
  return out;
}

/**
 * Words that open a negation's scope, in the seven languages, and the Nguni negative verb
 * prefixes (angi-, andi-, aku-...). The next few words of the clause then give "not"-marked word
 * features ("never kill myself" does not look like "kill myself"); their character n-grams stay
 * as they are, so nothing is removed from what the model reads.
 */
export const NEGATORS: ReadonlySet<string> = new Set([
  "not",
  "never",
  "no",
  "dont",
  "didnt",
  "doesnt",
  "wont",
  "wouldnt",
  "cant",
  "cannot",
  "couldnt",
  "isnt",
  "aint",
  "arent",
  "wasnt",
  "havent",
  "hasnt",
  "shouldnt",
  "neva",
  "nvr",
  "dnt",
  "nt",
  "nope",
  "nah",
  "nie",
  "nooit",
  "geen",
  "moenie",
  "niks",
  "cha",
  "hhayi",
  "hayi",
  "angeke",
  "ngeke",
  "awu",
  "ha",
  "ga",
  "aowa",
  "tjhe",
  "nnyaa",
  "se",
]);
const NEGATIVE_PREFIX = /^(?:angi|andi|akangi|akandi|angeke|asi|ani|aku)\p{L}{3,}/u;
const NEGATION_SCOPE = 3;

export interface FeatureConfig {
  /** Smallest and largest character n-gram, counted with the word-boundary marks < and >. */
  minN: number;
  maxN: number;
  /** Word bigrams ("went with", "not suicidal") on top of single words. */
  bigrams: boolean;
  /** Hash space: a power of two. Collisions are rare at 2^20 for a corpus of this size. */
  bucketBits: number;
  /** Mark the word features of the few words after a negator (see NEGATORS). */
  negation: boolean;
  /** Mark their character n-grams too (still there, typos and all, but told apart). */
  negatedGrams?: boolean;
  /** How many times a word or bigram feature counts beside a character n-gram's once. */
  wordWeight?: number;
}

export const DEFAULT_FEATURES: FeatureConfig = {
  minN: 2,
  maxN: 5,
  bigrams: true,
  bucketBits: 20,
  negation: true,
  negatedGrams: true,
  wordWeight: 3,
};

/** FNV-1a over UTF-16 code units, seeded per feature kind so "w:ja" and the n-gram "ja" differ. */
function fnv1a(s: string, seed: number): number {
  return fnvOn(0x811c9dc5 ^ seed, s) >>> 0;
}

/** FNV-1a's state `h` carried on over `s` (so "a b" hashes without building the string). */
function fnvOn(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

const SPACE = 0x20;

const SEED_GRAM = 0;
const SEED_WORD = 0x9e3779b9;
const SEED_BIGRAM = 0x85ebca6b;
const SEED_NEGATED = 0xc2b2ae35;
const SEED_NEGATED_GRAM = 0x27d4eb2f;

/** Long inputs are read in windows of this many tokens; see `featureWindows`. */
export const MAX_TOKENS = 400;
/** A word longer than this is noise (a pasted URL, a key mash); its n-grams are capped. */
const MAX_WORD = 40;

/**
 * The hashed features of a token list, as bucket ids (repeats kept: a feature seen twice counts
 * twice). Every value is in [0, 2^bucketBits).
 */
export function featuresOf(tokens: readonly string[], cfg: FeatureConfig = DEFAULT_FEATURES): number[] {
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
    const wordSeed = inScope ? SEED_NEGATED : SEED_WORD;
    const bigramSeed = inScope ? SEED_NEGATED : SEED_BIGRAM;
    const single = fnv1a(word, wordSeed) & mask;
    // The hash of `${prev} ${word}`, carried over its three parts; -1 when there is no bigram.
    const pair =
      cfg.bigrams && prev !== undefined && prev !== BOUNDARY
        ? (fnvOn(Math.imul(fnvOn(0x811c9dc5 ^ bigramSeed, prev) ^ SPACE, 0x01000193), word) >>> 0) & mask
        : -1;
    for (let r = 0; r < (cfg.wordWeight ?? 1); r++) {
      out.push(single);
      if (pair >= 0) out.push(pair);
    }
    if (inScope) negatedFor--;
    if (cfg.negation && (NEGATORS.has(word) || NEGATIVE_PREFIX.test(word))) negatedFor = NEGATION_SCOPE;
    gramsOf(word.length > MAX_WORD ? word.slice(0, MAX_WORD) : word, word, cfg, inScope, mask, out);
  }
  return out;
}

// The padded word's UTF-16 code units, and where each code point starts: reused, so reading a
// word builds no strings (this runs for every message, on the hot path).
const units: number[] = [];
const starts: number[] = [];

/**
 * The character n-grams of `w` between the marks < and >, in order of n then position, each
 * hashed over its code units: the same values as hashing `padded.slice(i, i + n).join("")`.
 * Code points, not code units, so an emoji or a rare script is one character.
 */
function gramsOf(w: string, word: string, cfg: FeatureConfig, inScope: boolean, mask: number, out: number[]): void {
  units.length = 0;
  starts.length = 0;
  starts.push(0);
  units.push(0x3c); // <
  for (let i = 0; i < w.length; i++) {
    starts.push(units.length);
    const c = w.charCodeAt(i);
    units.push(c);
    // A surrogate pair is one character (a lone surrogate is one too, as Array.from has it).
    const next = i + 1 < w.length ? w.charCodeAt(i + 1) : -1;
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      units.push(next);
      i++;
    }
  }
  const chars = starts.length - 1;
  if (chars === 1 && /\p{Extended_Pictographic}/u.test(word)) return;
  starts.push(units.length);
  units.push(0x3e); // >
  starts.push(units.length);
  const padded = chars + 2;
  const seed = inScope && cfg.negatedGrams ? SEED_NEGATED_GRAM : SEED_GRAM;
  for (let n = cfg.minN; n <= cfg.maxN; n++) {
    // The bare boundary pair "<>" never occurs; a one-letter word yields "<a", "a>", "<a>".
    for (let i = 0; i + n <= padded; i++) {
      let h = 0x811c9dc5 ^ seed;
      for (let u = starts[i]!; u < starts[i + n]!; u++) {
        h ^= units[u]!;
        h = Math.imul(h, 0x01000193);
      }
      out.push((h >>> 0) & mask);
    }
  }
}

/**
 * The windows a text is read in: the whole text when it is short, otherwise overlapping windows
 * of MAX_TOKENS tokens, so a crisis sentence in the middle of a long message is read at full
 * strength and the cost stays linear in the length.
 */
export function tokenWindows(text: string): string[][] {
  const tokens = modelTokens(text);
  if (tokens.length <= MAX_TOKENS) return [tokens];
  const out: string[][] = [];
  const step = MAX_TOKENS / 2;
  for (let s = 0; s < tokens.length; s += step) {
    out.push(tokens.slice(s, s + MAX_TOKENS));
    if (s + MAX_TOKENS >= tokens.length) break;
  }
  return out;
}
