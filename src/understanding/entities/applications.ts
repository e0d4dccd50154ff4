// The company and the role in what people say about their search: "I applied to Shoprite for
// cashier", "sent my CV to Capitec for a teller post", "interview with Vodacom on Monday for call
// centre agent", "I got the job at Absa!!! 🎉". A name is a run of words after a marker ("at",
// "with", "to" after an application verb...), cut at the first stop word or punctuation, and
// never a pronoun, a time or a filler ("it", "tomorrow", "there"). Unsure means nothing.
import { fold } from "./text.js";

export const APPLICATION_MAX_INPUT = 500;
const MAX_NAME_WORDS = 6;
const MAX_NAME_CHARS = 60;

/** Words that end a name: prepositions, conjunctions, times, and the parts of a sentence around it. */
const STOP = new Set([
  "for",
  "as",
  "on",
  "in",
  "at",
  "to",
  "from",
  "with",
  "by",
  "about",
  "after",
  "before",
  "since",
  "and",
  "but",
  "or",
  "so",
  "because",
  "cause",
  "coz",
  "today",
  "tomorrow",
  "yesterday",
  "tonight",
  "next",
  "last",
  "this",
  "that",
  "which",
  "who",
  "where",
  "when",
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
  "mon",
  "tue",
  "wed",
  "thu",
  "fri",
  "sat",
  "sun",
  "morning",
  "afternoon",
  "evening",
  "week",
  "month",
  "am",
  "pm",
  "i",
  "im",
  "ive",
  "id",
  "is",
  "was",
  "were",
  "are",
  "and",
  "but",
  "yesterday",
  "again",
  "already",
  "just",
  "now",
  "soon",
  "please",
  "too",
  "hoping",
  "hope",
  "but",
  "yay",
  "lol",
  "via",
  "online",
  "through",
  "position",
  "post",
  "role",
  "job",
  "vacancy",
  "opening",
  "learnership",
  "internship",
  "and",
  "we",
  "they",
  "he",
  "she",
  "it",
  "my",
  "their",
  "got",
  "have",
  "had",
]);
/** A name cannot begin with these (pronouns, places that are not employers, times, generic nouns). */
const NOT_A_NAME = new Set([
  "it",
  "its",
  "them",
  "they",
  "him",
  "her",
  "us",
  "me",
  "you",
  "there",
  "here",
  "this",
  "that",
  "these",
  "those",
  "one",
  "someone",
  "somebody",
  "somewhere",
  "everyone",
  "all",
  "some",
  "many",
  "few",
  "several",
  "every",
  "each",
  "any",
  "none",
  "home",
  "work",
  "school",
  "least",
  "last",
  "first",
  "once",
  "least",
  "moment",
  "night",
  "noon",
  "midnight",
  "lunch",
  "jobs",
  "job",
  "company",
  "companies",
  "place",
  "places",
  "firm",
  "interview",
  "interviews",
  "position",
  "positions",
  "post",
  "posts",
  "role",
  "roles",
  "vacancy",
  "vacancies",
  "application",
  "applications",
  "hr",
  "manager",
  "recruiter",
  "recruiters",
  "boss",
  "panel",
  "lady",
  "guy",
  "man",
  "woman",
  "people",
  "person",
  "friend",
  "friends",
  "mom",
  "mum",
  "dad",
  "family",
  "my",
  "your",
  "his",
  "their",
  "our",
  "a",
  "an",
  "another",
  "other",
  "same",
  "different",
  "new",
  "tomorrow",
  "today",
  "yesterday",
  "tonight",
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
  "morning",
  "afternoon",
  "evening",
  "week",
  "month",
  "year",
  "weekend",
  "time",
  "times",
  "go",
  "get",
  "be",
  "do",
  "see",
  "work",
  "start",
  "apply",
  "nothing",
  "something",
  "anything",
  "everything",
  "what",
  "which",
  "who",
  "where",
  "when",
  "how",
  "why",
  "yes",
  "no",
  "ok",
  "okay",
  "the",
  "cv",
  "cvs",
  "email",
  "emails",
  "call",
  "calls",
  "offer",
  "offers",
  "interviewer",
  "interviewers",
  "agency",
  "agencies",
]);
/** A role cannot begin with these ("for an interview", "for it", "as soon as"). */
const NOT_A_ROLE = new Set([
  "it",
  "them",
  "me",
  "you",
  "him",
  "her",
  "us",
  "this",
  "that",
  "there",
  "here",
  "one",
  "soon",
  "well",
  "long",
  "much",
  "interview",
  "interviews",
  "job",
  "jobs",
  "work",
  "position",
  "post",
  "role",
  "vacancy",
  "now",
  "today",
  "tomorrow",
  "yesterday",
  "tonight",
  "next",
  "last",
  "week",
  "weeks",
  "month",
  "months",
  "days",
  "day",
  "years",
  "ages",
  "hours",
  "some",
  "any",
  "all",
  "the",
  "a",
  "an",
  "my",
  "their",
  "your",
  "what",
  "how",
  "why",
  "nothing",
  "something",
  "sure",
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
  "ever",
  "good",
  "real",
]);
/** Small words that live inside names ("Pick n Pay", "Bank of Baroda", "Dis-Chem", "Van der Merwe"). */
const INNER = new Set(["n", "&", "and", "of", "de", "van", "der", "du", "la", "le", "y", "+"]);
/** Abbreviations that end in a dot without ending the sentence. */
const ABBREV = new Set(["mr", "mrs", "ms", "dr", "st", "pty", "ltd", "co", "inc", "prof"]);
/** Verbs before which "to" names an employer ("applied to Shoprite"), not an infinitive ("going to start"). */
const TO_AFTER = new Set([
  "applied",
  "apply",
  "applying",
  "application",
  "applications",
  "cv",
  "cvs",
  "resume",
  "sent",
  "send",
  "sending",
  "submitted",
  "submit",
  "emailed",
  "email",
  "wrote",
  "posted",
  "went",
  "reapplied",
  "reapply",
]);
const JOB_NOUNS = new Set([
  "post",
  "position",
  "job",
  "role",
  "vacancy",
  "opening",
  "spot",
  "learnership",
  "internship",
  "posts",
  "positions",
  "jobs",
  "roles",
]);
/** Job titles that make a capitalised "for X" a role rather than an employer. */
const ROLE_WORDS = new Set([
  "cashier",
  "teller",
  "packer",
  "driver",
  "assistant",
  "agent",
  "manager",
  "clerk",
  "intern",
  "administrator",
  "admin",
  "receptionist",
  "cleaner",
  "guard",
  "officer",
  "consultant",
  "developer",
  "engineer",
  "teacher",
  "nurse",
  "waiter",
  "waitress",
  "chef",
  "cook",
  "merchandiser",
  "supervisor",
  "analyst",
  "accountant",
  "technician",
  "operator",
  "picker",
  "controller",
  "representative",
  "rep",
  "associate",
  "coordinator",
  "specialist",
  "designer",
  "lecturer",
  "tutor",
]);
const SUBJECT_VERBS = new Set([
  "called",
  "phoned",
  "emailed",
  "offered",
  "hired",
  "invited",
  "rejected",
  "declined",
  "contacted",
  "replied",
  "shortlisted",
  "accepted",
  "wants",
  "want",
]);

interface Word {
  raw: string;
  /** Where the word sits in the text, so a name keeps its own spelling ("Pick 'n Pay", "Mr. Price"). */
  start: number;
  end: number;
  low: string;
  /** Punctuation or an emoji: a name never runs across it. */
  boundary: boolean;
}

const PIECE = /([\p{L}\p{N}][\p{L}\p{M}\p{N}&.-]*)|(['’`])|([^\s\p{L}\p{M}\p{N}])/gu;

function pieces(text: string): Word[] {
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

const capital = (w: string) => /^\p{Lu}/u.test(w);

/** The name that starts at word i: up to the first stop, boundary, or (in a capitalised name) lower-case word. */
function nameAt(ws: readonly Word[], i: number, mixedCase: boolean): { words: Word[]; next: number } | undefined {
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

function join(text: string, words: readonly Word[]): string | undefined {
  if (words.length === 0) return undefined;
  const s = text.slice(words[0]!.start, words[words.length - 1]!.end).replace(/\s+/g, " ");
  return s.length > 0 && s.length <= MAX_NAME_CHARS ? s : undefined;
}

/** A role after "for" or "as": "for a teller post", "for the position of sales assistant", "as a packer". */
function roleAt(text: string, ws: readonly Word[], i: number): string | undefined {
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

type Marker = "at" | "to" | "from" | "by" | "with";
const PRIORITY: readonly Marker[] = ["at", "to", "from", "by", "with"];

export function readApplication(text: string): { company?: string; role?: string } {
  // A long message is read from its start: that is where people say what happened.
  const t = text.length > APPLICATION_MAX_INPUT ? text.slice(0, APPLICATION_MAX_INPUT) : text;
  const ws = pieces(t);
  const mixedCase = /\p{Lu}/u.test(t) && /\p{Ll}/u.test(t);
  const found = new Map<Marker, string>();
  let role: string | undefined;
  let forName: string | undefined;
  for (let i = 0; i < ws.length; i++) {
    const low = ws[i]!.low;
    if (low === "for" || low === "as") {
      const r = roleAt(t, ws, i + 1);
      if (!r) continue;
      const last = fold(r.split(" ").pop()!);
      // "interview for Vodacom": a capitalised name that is no job title may be the employer.
      if (low === "for" && mixedCase && capital(r) && !ROLE_WORDS.has(last) && !/^(a|an|the)$/.test(ws[i + 1]!.low))
        forName ??= r;
      else role ??= r;
      continue;
    }
    if (!(PRIORITY as readonly string[]).includes(low) || found.has(low as Marker)) continue;
    if (low === "to" && !ws.slice(Math.max(0, i - 4), i).some((w) => TO_AFTER.has(w.low))) continue;
    const n = nameAt(ws, i + 1, mixedCase);
    const name = n && join(t, n.words);
    if (name) found.set(low as Marker, name);
    // "the cashier job at Shoprite": the words before a job noun are the role.
  }
  if (!role) role = roleBeforeJobNoun(t, ws);
  const company =
    PRIORITY.map((m) => found.get(m)).find((x) => x !== undefined) ?? subjectCompany(t, ws, mixedCase) ?? forName;
  if (company && role && fold(company) === fold(role)) role = undefined;
  const out: { company?: string; role?: string } = {};
  if (company) out.company = company;
  if (role) out.role = role;
  return out;
}

/** "I got the cashier job at Shoprite" -> cashier. */
function roleBeforeJobNoun(text: string, ws: readonly Word[]): string | undefined {
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
function subjectCompany(text: string, ws: readonly Word[], mixedCase: boolean): string | undefined {
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
