// A message cut into words the way the application reader needs them: each word with its place
// in the text, so a name comes back in its own spelling ("Pick 'n Pay", "Mr. Price"), and each
// mark that ends a name (punctuation, an emoji, a sentence's dot) as a boundary. join() cuts a
// name back out of the text, and refuses one too long to be a name.
import { ABBREV } from "./application-name-words.js";
import { fold } from "./text.js";

const MAX_NAME_CHARS = 60;

export interface Word {
  raw: string;
  /** Where the word sits in the text, so a name keeps its own spelling ("Pick 'n Pay", "Mr. Price"). */
  start: number;
  end: number;
  low: string;
  /** Punctuation or an emoji: a name never runs across it. */
  boundary: boolean;
}

const PIECE = /([\p{L}\p{N}][\p{L}\p{M}\p{N}&.-]*)|(['’`])|([^\s\p{L}\p{M}\p{N}])/gu;

export function pieces(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(PIECE)) {
    if (m[2] !== undefined) continue; // "Pick 'n Pay": the apostrophe is part of the name
    if (m[3] !== undefined) {
      // "&" and "+" join ("Pick & Pay"); every other mark ends whatever name was running.
      out.push({
        raw: m[3],
        low: m[3],
        boundary: m[3] !== "&" && m[3] !== "+",
        start: m.index,
        end: m.index + m[3].length,
      });
      continue;
    }
    let end = m[1]!.length;
    while (end > 0 && (m[1]![end - 1] === "." || m[1]![end - 1] === "-")) end--;
    const raw = m[1]!.slice(0, end);
    const dot = m[1]!.slice(end).includes(".");
    const low = fold(raw);
    out.push({ raw, low, boundary: false, start: m.index, end: m.index + end });
    if (dot && !ABBREV.has(low))
      out.push({ raw: ".", low: ".", boundary: true, start: m.index + end, end: m.index + end + 1 });
  }
  return out;
}

export const capital = (w: string) => /^\p{Lu}/u.test(w);

export function join(text: string, words: readonly Word[]): string | undefined {
  if (words.length === 0) return undefined;
  const s = text.slice(words[0]!.start, words[words.length - 1]!.end).replace(/\s+/g, " ");
  return s.length > 0 && s.length <= MAX_NAME_CHARS ? s : undefined;
}
