// The phrase readers of applications.ts: a name after a marker ("at Shoprite", "to Pick n Pay"),
// a role after "for" or "as" ("for a teller post"), a role before a job noun ("the cashier job")
// and an employer as the subject ("Absa offered me the job"). Each reads forward from one word
// over a bounded number of words, and refuses what is a pronoun, a time or a generic noun.
import { INNER, NOT_A_NAME, STOP } from "./application-name-words.js";
import { capital, join, type Word } from "./application-pieces.js";
import { JOB_NOUNS, NOT_A_ROLE, SUBJECT_VERBS } from "./application-words.js";

const MAX_NAME_WORDS = 6;

/** The name that starts at word i: up to the first stop, boundary, or (in a capitalised name) lower-case word. */
export function nameAt(
  ws: readonly Word[],
  i: number,
  mixedCase: boolean,
): { words: Word[]; next: number } | undefined {
  let j = i;
  if (ws[j]?.low === "the") j++;
  const first = ws[j];
  if (!first || first.boundary || NOT_A_NAME.has(first.low) || STOP.has(first.low) || /^\d/.test(first.low))
    return undefined;
  // "at the mall": a lower-case word after "the" is a common noun ("at the Spar" is a name).
  if (j > i && !capital(first.raw)) return undefined;
  const byCase = mixedCase && capital(first.raw);
  const words: Word[] = [first];
  let k = j + 1;
  while (k < ws.length && words.length < MAX_NAME_WORDS) {
    const w = ws[k]!;
    if (w.boundary || (STOP.has(w.low) && !(INNER.has(w.low) && ws[k + 1] && capital(ws[k + 1]!.raw) && byCase))) break;
    if (byCase && !capital(w.raw) && !INNER.has(w.low) && !/^\d/.test(w.low)) break;
    words.push(w);
    k++;
  }
  while (words.length > 1 && INNER.has(words[words.length - 1]!.low)) words.pop();
  return { words, next: k };
}

/** A role after "for" or "as": "for a teller post", "for the position of sales assistant", "as a packer". */
export function roleAt(text: string, ws: readonly Word[], i: number): string | undefined {
  let j = i;
  if (ws[j]?.low === "a" || ws[j]?.low === "an" || ws[j]?.low === "the") j++;
  if (ws[j] && JOB_NOUNS.has(ws[j]!.low) && ws[j + 1]?.low === "of") j += 2; // "the position of"
  const words: Word[] = [];
  while (j < ws.length && words.length < MAX_NAME_WORDS) {
    const w = ws[j]!;
    if (w.boundary || JOB_NOUNS.has(w.low) || (STOP.has(w.low) && !INNER.has(w.low))) break;
    words.push(w);
    j++;
  }
  if (words.length === 0 || NOT_A_ROLE.has(words[0]!.low) || /^\d/.test(words[0]!.low)) return undefined;
  return join(text, words);
}

/** "I got the cashier job at Shoprite" -> cashier. */
export function roleBeforeJobNoun(text: string, ws: readonly Word[]): string | undefined {
  for (let i = 1; i < ws.length; i++) {
    if (!JOB_NOUNS.has(ws[i]!.low)) continue;
    let j = i;
    while (
      j > 0 &&
      i - j < 3 &&
      !ws[j - 1]!.boundary &&
      !STOP.has(ws[j - 1]!.low) &&
      !NOT_A_NAME.has(ws[j - 1]!.low) &&
      ws[j - 1]!.low !== "the" &&
      !/^\d/.test(ws[j - 1]!.low)
    )
      j--;
    if (
      j < i &&
      (ws[j - 1]?.low === "the" || ws[j - 1]?.low === "a" || ws[j - 1]?.low === "an" || ws[j - 1]?.low === "that")
    )
      return join(text, ws.slice(j, i));
  }
  return undefined;
}

/** "Shoprite called me", "Absa offered me the job": an employer as the subject. */
export function subjectCompany(text: string, ws: readonly Word[], mixedCase: boolean): string | undefined {
  let i = 0;
  while (
    ws[i] &&
    (ws[i]!.boundary ||
      ["so", "yay", "omg", "wow", "guess", "what", "finally", "today", "yesterday"].includes(ws[i]!.low))
  )
    i++;
  const n = nameAt(ws, i, mixedCase);
  if (!n || n.words.length > 3 || !ws[n.next] || !SUBJECT_VERBS.has(ws[n.next]!.low)) return undefined;
  return join(text, n.words);
}
