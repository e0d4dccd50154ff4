// Small numbers in digits or words ("3", "three", "twenty five", "vyf", "kuthathu"): the goals
// flow's counts, "in two weeks" in reminders and "seven thirty" in times all read them here.
// The isiZulu, isiXhosa, Sesotho and Setswana words are a first draft for a native speaker to review.
import { tokenize, type Token } from "./text.js";

/** Where a number word comes from: Afrikaans "half agt" is 7:30, English "half eight" is 8:30. */
export type NumberLang = "digits" | "en" | "af" | "other";

export interface NumberRead {
  value: number;
  /** Index of the first token after the number. */
  next: number;
  lang: NumberLang;
}

const EN: Record<string, number> = {
  zero: 0,
  none: 0,
  nil: 0,
  one: 1,
  once: 1,
  two: 2,
  twice: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  dozen: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  ninteen: 19,
  couple: 2,
};
const EN_TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fourty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const AF: Record<string, number> = {
  nul: 0,
  een: 1,
  twee: 2,
  drie: 3,
  vier: 4,
  vyf: 5,
  ses: 6,
  sewe: 7,
  agt: 8,
  nege: 9,
  tien: 10,
  elf: 11,
  twaalf: 12,
  dertien: 13,
  veertien: 14,
  vyftien: 15,
  sestien: 16,
  sewentien: 17,
  agtien: 18,
  negentien: 19,
  twintig: 20,
};
// isiZulu counting words, isiXhosa 2-5, Sesotho and Setswana 1-10 (shared spellings once).
const OTHER: Record<string, number> = {
  kunye: 1,
  kubili: 2,
  kuthathu: 3,
  kune: 4,
  kuhlanu: 5,
  isithupha: 6,
  isikhombisa: 7,
  isishiyagalombili: 8,
  isishiyagalolunye: 9,
  ishumi: 10,
  mbili: 2,
  ezimbili: 2,
  ntathu: 3,
  ezintathu: 3,
  mbini: 2,
  ntlanu: 5,
  nngwe: 1,
  pedi: 2,
  tharo: 3,
  nne: 4,
  hlano: 5,
  tlhano: 5,
  tshelela: 6,
  thataro: 6,
  supa: 7,
  robedi: 8,
  robong: 9,
  robongwe: 9,
  leshome: 10,
  lesome: 10,
};

/** Digits beyond this many are an amount or a phone number, not a count. */
const MAX_DIGITS = 4;

function isJoiner(toks: readonly Token[], i: number): boolean {
  const x = toks[i];
  return x !== undefined && x.kind === "punct" && x.t === "-";
}

/** The number starting at token i, if one does ("twenty-five", "25", "a dozen", "vyf"). */
export function readNumber(toks: readonly Token[], i: number): NumberRead | undefined {
  const tok = toks[i];
  if (!tok) return undefined;
  if (tok.kind === "num")
    return /^\d+$/.test(tok.t) && tok.t.length <= MAX_DIGITS
      ? { value: Number(tok.t), next: i + 1, lang: "digits" }
      : undefined;
  if (tok.kind !== "word") return undefined;
  const w = tok.t;
  // "a dozen", "a couple", "a hundred": the article only counts before these.
  if ((w === "a" || w === "an") && toks[i + 1]?.kind === "word") {
    const n = toks[i + 1]!.t;
    if (n === "dozen" || n === "couple") return { value: EN[n]!, next: i + 2, lang: "en" };
    if (n === "hundred") return { value: 100, next: i + 2, lang: "en" };
    return undefined;
  }
  if (w === "couple" || w === "dozen") return undefined; // only with the article
  const tens = EN_TENS[w];
  if (tens !== undefined) {
    // "twenty five", "twenty-five"
    const j = isJoiner(toks, i + 1) ? i + 2 : i + 1;
    const unit = toks[j]?.kind === "word" ? EN[toks[j]!.t] : undefined;
    if (unit !== undefined && unit >= 1 && unit <= 9 && toks[j]!.t !== "once" && toks[j]!.t !== "twice")
      return { value: tens + unit, next: j + 1, lang: "en" };
    return { value: tens, next: i + 1, lang: "en" };
  }
  const en = EN[w];
  if (en !== undefined) {
    if (en >= 1 && en <= 9 && toks[i + 1]?.t === "hundred") return { value: en * 100, next: i + 2, lang: "en" };
    return { value: en, next: i + 1, lang: "en" };
  }
  const af = AF[w];
  if (af !== undefined) return { value: af, next: i + 1, lang: "af" };
  const other = OTHER[w];
  if (other !== undefined) return { value: other, next: i + 1, lang: "other" };
  return undefined;
}

/** A count is short; a longer text is not an answer to "how many?". */
export const COUNT_MAX_INPUT = 200;
export const COUNT_MAX = 1000;

/**
 * The first small count in the text ("3", "three a week", "maybe 5"), or undefined for none,
 * a negative, a decimal ("2.5", "2,5"), a time ("7:30") or anything above COUNT_MAX.
 */
export function readCount(text: string): number | undefined {
  if (text.length > COUNT_MAX_INPUT) return undefined;
  const toks = tokenize(text);
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i]!;
    if (tok.kind === "num" && !/^\d+$/.test(tok.t)) return undefined;
    const n = readNumber(toks, i);
    if (!n) continue;
    const before = toks[i - 1];
    if (
      tok.kind === "num" &&
      before?.kind === "punct" &&
      (before.t === "-" || before.t === "−") &&
      before.end === tok.start
    )
      return undefined;
    const after = toks[n.next];
    if (
      tok.kind === "num" &&
      after?.kind === "punct" &&
      (after.t === "," || after.t === ".") &&
      after.start === tok.end &&
      toks[n.next + 1]?.kind === "num" &&
      toks[n.next + 1]!.start === after.end
    )
      return undefined;
    return n.value <= COUNT_MAX ? n.value : undefined;
  }
  return undefined;
}
