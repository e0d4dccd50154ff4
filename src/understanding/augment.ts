// Noisy copies of training lines, so the model has seen the spellings people really type:
// dropped vowels ("rejectd", "tmrw"), swapped and doubled letters, and SMS words ("u", "2nite",
// "pls"). The corpus writers wrote many such lines; these copies spread the habit over every
// line. Seeded, so training stays deterministic.
import type { Example } from "./corpus.js";

const SMS: Record<string, string> = {
  you: "u",
  your: "ur",
  "you're": "ur",
  youre: "ur",
  to: "2",
  too: "2",
  for: "4",
  tonight: "2nite",
  today: "2day",
  tomorrow: "2moro",
  are: "r",
  please: "pls",
  because: "bcoz",
  "don't": "dnt",
  dont: "dnt",
  "can't": "cnt",
  cant: "cnt",
  just: "jst",
  want: "wnt",
  know: "knw",
  with: "wit",
  what: "wat",
  the: "da",
  going: "goin",
  nothing: "nthn",
  anymore: "nemore",
  "i'm": "im",
  "i am": "im",
  thanks: "thnx",
  really: "rly",
  people: "ppl",
  message: "msg",
  about: "abt",
};

/**
 * One noisy copy of a text; `rand` in [0, 1). English lines also get SMS words and dropped
 * vowels; isiZulu and isiXhosa lines lose the vowel of a first-person or reflexive prefix the way
 * people text them ("ngizozibulala" -> "ngizozbulala", "ngiyafuna" -> "ngyafuna").
 */
export function noisy(text: string, lang: string, rand: () => number): string {
  const english = lang === "en";
  const nguni = lang === "zu" || lang === "xh";
  return text.replace(/[\p{L}']+/gu, (word) => {
    const lower = word.toLowerCase();
    if (english && SMS[lower] !== undefined && rand() < 0.5) return SMS[lower]!;
    let w = word;
    if (nguni && w.length >= 6 && rand() < 0.3)
      w = w.replace(/^(ng|nd)i(?=[a-z]{3})/i, "$1").replace(/(?<=.{2})zi(?=[a-z]{3})/i, "z");
    if (english && w.length >= 5 && rand() < 0.25) w = w[0] + w.slice(1, -1).replace(/[aeiou]/g, "") + w.slice(-1);
    if (w.length >= 4 && rand() < 0.12) {
      const i = 1 + Math.floor(rand() * (w.length - 2));
      const r = rand();
      if (r < 0.4)
        w = w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2); // swap
      else if (r < 0.7)
        w = w.slice(0, i) + w.slice(i + 1); // drop
      else w = w.slice(0, i) + w[i] + w.slice(i); // double
    }
    return w;
  });
}

/** The examples followed by `copies` noisy copies of each (copies that came out unchanged are skipped). */
export function augment(examples: readonly Example[], copies: number, rand: () => number): Example[] {
  const out = [...examples];
  for (let c = 0; c < copies; c++) {
    for (const e of examples) {
      const text = noisy(e.text, e.lang, rand);
      if (text !== e.text) out.push({ ...e, text });
    }
  }
  return out;
}
