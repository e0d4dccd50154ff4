// Whether typed text can fill a slot a flow asked for (a company, a role, a person's name, free
// text): a greeting, a yes or no, a command word, a question or a reminder request is something
// else, and "Dear hi," must never reach a letter. Whole-message checks on a bounded input, with
// stretched letters folded ("hiiii") and one typo forgiven in longer words ("sawbona").
// The lists cover English and greetings, yes/no and thanks in South Africa's languages; the
// flows may add their catalog's phrase lists through createEntities.
import type { Slot } from "../../core/understanding.js";
import { editDistance, squeeze, tokenize } from "./text.js";

/** Longest answer each slot takes (UTF-16 units); beyond it the text is something else. */
const MAX_CHARS: Record<Slot, number> = { company: 80, role: 80, person: 60, free: 1000 };
const MAX_WORDS: Record<Slot, number> = { company: 8, role: 10, person: 6, free: Infinity };

export const GREETINGS = [
  "hi",
  "hello",
  "hallo",
  "hey",
  "heya",
  "hiya",
  "howzit",
  "howsit",
  "heita",
  "eita",
  "aweh",
  "awe",
  "sho",
  "yo",
  "sup",
  "wassup",
  "whatsup",
  "hola",
  "sawubona",
  "sanibonani",
  "molo",
  "molweni",
  "dumela",
  "dumelang",
  "avuxeni",
  "ndaa",
  "lotjhani",
  "goeie more",
  "goeiemore",
  "more",
  "goeie middag",
  "goeienaand",
  "good morning",
  "good afternoon",
  "good evening",
  "good day",
  "morning",
  "evening",
  "gm",
  "greetings",
  "thanks",
  "thank you",
  "thanx",
  "thx",
  "ty",
  "ngiyabonga",
  "siyabonga",
  "enkosi",
  "dankie",
  "baie dankie",
  "kealeboga",
  "ke a leboga",
  "ke a leboha",
  "ke a leboa",
  "bye",
  "goodbye",
  "totsiens",
  "sala kahle",
  "hamba kahle",
  "sharp",
  "cheers",
  "how are you",
  "hows it going",
  "unjani",
  "kunjani",
  "o kae",
  "le kae",
  "hoe gaan dit",
  "whats up",
  "howdy",
];
export const YES_NO = [
  "yes",
  "y",
  "yeah",
  "yea",
  "ya",
  "yah",
  "yep",
  "yup",
  "sure",
  "ok",
  "okay",
  "k",
  "kk",
  "alright",
  "fine",
  "please",
  "yes please",
  "no",
  "n",
  "nope",
  "nah",
  "naa",
  "no thanks",
  "no thank you",
  "not now",
  "never mind",
  "nevermind",
  "yebo",
  "ewe",
  "ja",
  "ee",
  "eya",
  "hayi",
  "cha",
  "tjhe",
  "aowa",
  "nnyaa",
  "nee",
  "nooit",
  "ja nee",
  "correct",
  "right",
];
export const COMMANDS = [
  "help",
  "stop",
  "cancel",
  "menu",
  "quit",
  "exit",
  "back",
  "go back",
  "start",
  "restart",
  "start over",
  "options",
  "unsubscribe",
  "opt out",
  "stop all",
  "skip",
  "end",
  "pause",
  "main menu",
  "sos",
  "help me",
  "help now",
  "remind",
  "reminder",
  "reminders",
  "my reminders",
  "daily",
  "goals",
  "my goals",
  "progress",
  "tip",
  "another tip",
  "privacy",
  "feedback",
  "reflect",
  "journal",
  "checkin",
  "check in",
  "mood",
  "forget",
  "forget me",
  "delete my data",
  "mydata",
  "my data",
  "pro",
  "wellbeing",
  "rejected",
  "reapply",
  "language",
  "settings",
  "usizo",
  "hulp",
  "thusa",
];
/** Non-answers: fine as free text ("nothing went well"), never a name. */
const NON_ANSWERS = [
  "i dont know",
  "dont know",
  "dunno",
  "idk",
  "not sure",
  "maybe",
  "none",
  "nothing",
  "na",
  "n a",
  "nil",
  "no one",
  "nobody",
  "no idea",
  "no name",
  "dont remember",
  "i dont remember",
  "i forgot",
  "forgot",
  "lol",
  "lmao",
  "cool",
  "ok cool",
  "great",
  "awesome",
  "wow",
  "nice",
  "hmm",
  "um",
  "umm",
  "test",
  "testing",
  "asdf",
  "whatever",
  "anything",
  "ngazi",
  "angazi",
  "ek weet nie",
  "weet nie",
  "ha ke tsebe",
  "ga ke itse",
];
/** Said after a greeting without changing what it is: "hi there", "hello again", "sawubona baba". */
const ADDRESS = new Set([
  "there",
  "again",
  "bot",
  "baba",
  "mama",
  "sisi",
  "bhuti",
  "bru",
  "bro",
  "friend",
  "mate",
  "all",
  "everyone",
  "guys",
  "sir",
  "maam",
  "madam",
  "buddy",
  "boss",
  "yall",
]);
/** Greetings that open a message ("Hi Thandi", "Sawubona, it was Mr Dlamini"): no name starts with one. */
const OPENERS = new Set([
  "hi",
  "helo",
  "halo",
  "hey",
  "heya",
  "hiya",
  "howzit",
  "heita",
  "sawubona",
  "sanibonani",
  "molo",
  "molweni",
  "dumela",
  "dumelang",
  "avuxeni",
  "lotjhani",
]);
const WH = new Set(["how", "what", "whats", "why", "when", "where", "which", "who", "whom", "whose"]);
const AUX = new Set([
  "can",
  "could",
  "should",
  "would",
  "do",
  "does",
  "did",
  "is",
  "are",
  "was",
  "will",
  "shall",
  "may",
  "am",
  "have",
  "has",
]);
const SUBJECTS = new Set([
  "i",
  "you",
  "u",
  "we",
  "it",
  "they",
  "he",
  "she",
  "this",
  "that",
  "there",
  "my",
  "your",
  "me",
]);
const FIRST_PERSON = new Set(["i", "im", "ive", "id", "ill", "me", "my", "mine", "myself"]);
const REMIND = new Set(["remind", "reminder", "reminders", "reminding"]);
const STOP_REQUEST =
  /^(?:please )?stop(?: (?:it|this|that|now|all|please|sending|messaging|texting|the messages|messages)\b.*)?$|\bstop (?:sending|messaging|texting)\b|\bno more (?:\w+ )?(?:messages|texts)\b|^unsubscribe\b/;

export interface PhraseLists {
  greetings?: readonly string[];
  yesNo?: readonly string[];
  commands?: readonly string[];
}

/** A phrase as the lookup sees it: folded words, each with its stretched letters squeezed. */
function shape(s: string): string {
  return tokenize(s)
    .filter((t) => t.kind !== "punct")
    .map((t) => squeeze(t.t))
    .join(" ");
}

// Only greetings forgive a typo, and only long ones: "Daisy" is one letter from "daily" and
// "Stuart" one from "start", and both are names.
const TYPO_MIN = 6;

class PhraseSet {
  private readonly exact = new Set<string>();
  private readonly long: string[] = [];
  /** With `typos`, phrases of TYPO_MIN letters or more also match one edit away. */
  constructor(phrases: readonly string[], typos: boolean) {
    for (const p of phrases) {
      const s = shape(p);
      if (!s) continue;
      this.exact.add(s);
      if (typos && s.length >= TYPO_MIN) this.long.push(s);
    }
  }
  /** The whole shaped text is one of the phrases, or one typo from a long one ("sawbona"). */
  has(s: string): boolean {
    if (this.exact.has(s)) return true;
    if (s.length < TYPO_MIN - 1 || s.length > 24) return false;
    return this.long.some((p) => Math.abs(p.length - s.length) <= 1 && editDistance(p, s, 1) <= 1);
  }
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

/** "Can you help?", "what now", "is it too late to ask": a question, not an answer. */
function isQuestion(text: string, words: readonly string[]): boolean {
  if (/[?？؟]\s*[\p{Extended_Pictographic}\s]*$/u.test(text.slice(-40))) return true;
  const [first, second] = words;
  if (first === undefined) return false;
  if (WH.has(first) && words.length >= 2) return true;
  return AUX.has(first) && words.length >= 3 && second !== undefined && SUBJECTS.has(second);
}
