// Whether typed text can fill a slot a flow asked for (a company, a role, a person's name, free
// text): a greeting, a yes or no, a command word, a question or a reminder request is something
// else, and "Dear hi," must never reach a letter. Whole-message checks on a bounded input, with
// stretched letters folded ("hiiii") and one typo forgiven in longer words ("sawbona").
// The lists cover English and greetings, yes/no and thanks in South Africa's languages; the
// flows may add their catalog's phrase lists through createEntities.
import type { Slot } from "../../core/understanding.js";
import { PhraseSet } from "./phrase-set.js";
import { ADDRESS, COMMANDS, GREETINGS, NON_ANSWERS, OPENERS, YES_NO } from "./plausible-words.js";
import { isQuestion } from "./questions.js";
import { squeeze, tokenize } from "./text.js";

/** Longest answer each slot takes (UTF-16 units); beyond it the text is something else. */
const MAX_CHARS: Record<Slot, number> = { company: 80, role: 80, person: 60, free: 1000 };
const MAX_WORDS: Record<Slot, number> = { company: 8, role: 10, person: 6, free: Infinity };
const FIRST_PERSON = new Set(["i", "im", "ive", "id", "ill", "me", "my", "mine", "myself"]);
const REMIND = new Set(["remind", "reminder", "reminders", "reminding"]);
const STOP_REQUEST =
  /^(?:please )?stop(?: (?:it|this|that|now|all|please|sending|messaging|texting|the messages|messages)\b.*)?$|\bstop (?:sending|messaging|texting)\b|\bno more (?:\w+ )?(?:messages|texts)\b|^unsubscribe\b/;

export interface PhraseLists {
  greetings?: readonly string[];
  yesNo?: readonly string[];
  commands?: readonly string[];
}

export function createPlausible(extra: PhraseLists = {}): (text: string, slot: Slot) => boolean {
  const greetings = new PhraseSet([...GREETINGS, ...(extra.greetings ?? [])], true);
  const yesNo = new PhraseSet([...YES_NO, ...(extra.yesNo ?? [])], false);
  const commands = new PhraseSet([...COMMANDS, ...(extra.commands ?? [])], false);
  const nonAnswers = new PhraseSet(NON_ANSWERS, false);
  return (text: string, slot: Slot): boolean => {
    const max = MAX_CHARS[slot] ?? MAX_CHARS.free;
    if (text.length > max) return false;
    const trimmed = text.trim();
    if (trimmed.startsWith("/")) return false; // a command, typed or tapped
    const toks = tokenize(trimmed);
    const words = toks.filter((t) => t.kind !== "punct").map((t) => t.t);
    if (words.length === 0) return false; // empty, emoji or punctuation only
    if (words.length > (MAX_WORDS[slot] ?? Infinity)) return false;
    const squeezed = words.map(squeeze);
    let end = squeezed.length;
    while (end > 1 && ADDRESS.has(squeezed[end - 1]!)) end--;
    const whole = squeezed.join(" ");
    if (greetings.has(squeezed.slice(0, end).join(" ")) || yesNo.has(whole) || commands.has(whole)) return false;
    if (isQuestion(trimmed, words)) return false;
    // "Stop & Shop" is a shop; "please stop sending me messages" is a request.
    if (words.some((w) => REMIND.has(w)) || STOP_REQUEST.test(words.join(" "))) return false;
    if (slot === "free") return true;
    if (nonAnswers.has(whole) || OPENERS.has(squeezed[0]!)) return false;
    // "I didn't get the job" is a sentence about the user, not a name or a title.
    if (words.length >= 3 && words.some((w) => FIRST_PERSON.has(w))) return false;
    if (slot === "person" && (toks.some((t) => t.kind === "num") || !/\p{L}/u.test(trimmed))) return false;
    // "123", "7:30": no name is only digits.
    return toks.some((t) => t.kind === "word");
  };
}
