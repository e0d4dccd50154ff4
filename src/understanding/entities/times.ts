// Times of day as people type them: "7:30", "07h30", "8 pm", "7 in the morning", "half past
// seven", "quarter to 8", "at 9", "noon", "around 6 tonight", "om 7", "ngo-7 ekuseni". One scanner
// serves /daily (timeOfDay) and reminders (which rewrite what chrono-node misreads). A bare "7"
// counts only when nothing else is said; "I have 3 kids" names no time.
import { readNumber } from "./numbers.js";
import { tokenize, type Token } from "./text.js";
import type { LocalTime } from "../../core/understanding.js";

export type Period = "am" | "pm" | "morning" | "afternoon" | "evening" | "night";

export interface TimeSpan extends LocalTime {
  /** Token range [from, to) including a leading "at" / "om" / "ngo". */
  from: number;
  to: number;
  /** Said unmistakably (a separator, am/pm, a part of the day, "at", "half past"...). */
  strong: boolean;
  /** A form chrono-node misreads ("seven", "07h30", "7 in the evening", "half past 7"). */
  wordy: boolean;
  /** Had no part of the day of its own ("at 9"), so "tonight" elsewhere may apply. */
  open: boolean;
}

/** A typed time that cannot be ("25:00", "7:75", "13pm"): the reader refuses rather than guess. */
export interface BadTime {
  bad: true;
  from: number;
  to: number;
}

// "at 9" is a time; "about 5" may be five companies, so it is a time only with am/pm or alone.
const PREFIXES = new Set(["at", "@", "om", "ngo", "nga"]);
const SOFT_PREFIXES = new Set(["around", "about", "approx", "approximately", "roughly", "by", "~"]);
/** Prefixes chrono-node does not know, so a reminder must rewrite them. */
const FOREIGN_PREFIXES = new Set(["om", "ngo", "nga", "~", "approx", "approximately", "roughly"]);

// Parts of the day, longest first where one is the start of another. Afrikaans, isiZulu,
// Sesotho and Setswana forms are a first draft for a native speaker to review.
const DAYPARTS: readonly [words: string[], period: Period][] = [
  [["in", "the", "morning"], "morning"],
  [["in", "the", "afternoon"], "afternoon"],
  [["in", "the", "evening"], "evening"],
  [["at", "night"], "night"],
  [["this", "morning"], "morning"],
  [["this", "afternoon"], "afternoon"],
  [["this", "evening"], "evening"],
  [["in", "die", "oggend"], "morning"],
  [["in", "die", "more"], "morning"],
  [["in", "die", "middag"], "afternoon"],
  [["in", "die", "aand"], "evening"],
  [["mo", "mosong"], "morning"],
  [["a", "m"], "am"],
  [["p", "m"], "pm"],
  [["am"], "am"],
  [["pm"], "pm"],
  [["tonight"], "evening"],
  [["tonite"], "evening"],
  [["morning"], "morning"],
  [["mornings"], "morning"],
  [["afternoon"], "afternoon"],
  [["evening"], "evening"],
  [["evenings"], "evening"],
  [["night"], "night"],
  [["soggens"], "morning"],
  [["vanoggend"], "morning"],
  [["oggend"], "morning"],
  [["smiddags"], "afternoon"],
  [["vanmiddag"], "afternoon"],
  [["saans"], "evening"],
  [["vanaand"], "evening"],
  [["aand"], "evening"],
  [["ekuseni"], "morning"],
  [["ntambama"], "afternoon"],
  [["kusihlwa"], "evening"],
  [["ebusuku"], "night"],
  [["hoseng"], "morning"],
  [["mosong"], "morning"],
  [["motshehare"], "afternoon"],
  [["mantsiboea"], "evening"],
  [["mantsiboya"], "evening"],
  [["maitseboa"], "evening"],
  [["bosiu"], "night"],
  [["bosigo"], "night"],
];
const OCLOCK = new Set(["oclock", "uur", "hrs"]);
const PAST = new Set(["past", "after", "oor"]);
const TO = new Set(["to", "before", "till", "til", "voor"]);
const NOON = new Set(["noon", "midday", "middag"]);
const MIDNIGHT = new Set(["midnight", "middernag"]);
const DURATION = new Set([
  "minutes",
  "minute",
  "mins",
  "min",
  "hours",
  "hour",
  "hr",
  "days",
  "day",
  "weeks",
  "week",
  "months",
  "month",
  "years",
  "year",
]);

/** Words that may stand beside a bare "7" without making it something else than a time. */
const FILLER = new Set([
  "please",
  "pls",
  "plz",
  "ok",
  "okay",
  "maybe",
  "um",
  "umm",
  "uh",
  "uhm",
  "hmm",
  "lets",
  "say",
  "make",
  "it",
  "every",
  "each",
  "day",
  "daily",
  "i",
  "id",
  "would",
  "like",
  "prefer",
  "want",
  "the",
  "time",
  "is",
  "its",
  "sharp",
  "exactly",
  "thanks",
  "thank",
  "you",
  "yes",
  "yeah",
  "ja",
  "yebo",
  "for",
  "me",
  "send",
  "on",
  "be",
  "will",
  "just",
  "only",
  "then",
  "weekdays",
  "and",
  "start",
  "set",
  "change",
  "to",
  "my",
  "a",
  "boost",
  "message",
  "hi",
  "hey",
  "asseblief",
  "ngicela",
  "ke",
  "kopa",
  "dankie",
]);

/** The parts of the day by their first word, so each token looks at its own few candidates. */
const DAYPARTS_BY_FIRST = new Map<string, (typeof DAYPARTS)[number][]>();
for (const d of DAYPARTS) DAYPARTS_BY_FIRST.set(d[0][0]!, [...(DAYPARTS_BY_FIRST.get(d[0][0]!) ?? []), d]);

function daypartAt(toks: readonly Token[], i: number): { period: Period; next: number } | undefined {
  let first = i;
  while (toks[first]?.t === ".") first++; // ".a.m." as typed after a space
  const candidates = toks[first] ? DAYPARTS_BY_FIRST.get(toks[first]!.t) : undefined;
  if (!candidates) return undefined;
  for (const [ws, period] of candidates) {
    let j = i;
    let ok = true;
    for (const w of ws) {
      while (toks[j]?.kind === "punct" && toks[j]!.t === "." && ws.length === 2 && ws[1] === "m") j++; // "a.m."
      if (toks[j]?.t !== w || toks[j]!.kind === "punct") {
        ok = false;
        break;
      }
      j++;
    }
    if (ok) {
      if (ws[ws.length - 1] === "m" && toks[j]?.t === ".") j++;
      return { period, next: j };
    }
  }
  return undefined;
}

/** The hour on the 24-hour clock once a part of the day is known, or undefined ("13pm", "19 in the morning"). */
export function applyPeriod(hour: number, period: Period | undefined): number | undefined {
  if (period === undefined) return hour;
  if (period === "am" || period === "pm") {
    if (hour < 1 || hour > 12) return undefined;
    return (hour % 12) + (period === "pm" ? 12 : 0);
  }
  if (period === "morning") return hour === 12 ? 0 : hour <= 11 ? hour : undefined;
  if (hour >= 12) return hour === 12 && period === "night" ? 0 : hour; // "19 in the evening" is 19:00
  if (period === "afternoon" || period === "evening") return hour + 12;
  return hour >= 5 ? hour + 12 : hour; // night: "9 at night" is 21:00, "2 at night" is 02:00
}

/** Count words that are no hour: "once a day" is not 01:00. */
const NOT_AN_HOUR = new Set(["once", "twice", "couple", "dozen"]);

interface Clock {
  hour: number;
  minute: number;
  next: number;
  strong: boolean;
  wordy: boolean;
  bad?: boolean;
}

/** A clock reading at token i: "7:30", "0730", "20h", "7 30", "seven", "seven thirty", "seven oh five". */
function clockAt(toks: readonly Token[], i: number): Clock | undefined {
  const tok = toks[i]!;
  if (tok.kind === "num") {
    const sep = /^(\d{1,2})[:.h](\d{1,2})(?:[:.](\d{2}))?$/.exec(tok.t);
    if (/[:.h]/.test(tok.t)) {
      if (!sep || sep[2]!.length !== 2 || (sep[3] !== undefined && Number(sep[3]) > 59))
        return { hour: 0, minute: 0, next: i + 1, strong: true, wordy: false, bad: true };
      return { hour: Number(sep[1]), minute: Number(sep[2]), next: i + 1, strong: true, wordy: tok.t.includes("h") };
    }
    // "0730" alone is a time; "100 applications" is not, so it takes "at", am/pm or silence around it.
    if (tok.t.length === 3 || tok.t.length === 4) {
      return {
        hour: Number(tok.t.slice(0, -2)),
        minute: Number(tok.t.slice(-2)),
        next: i + 1,
        strong: false,
        wordy: true,
      };
    }
    if (tok.t.length > 2) return undefined;
    const hour = Number(tok.t);
    const n = toks[i + 1];
    if (n?.kind === "word" && (n.t === "h" || n.t === "hrs" || n.t === "uur") && n.start === tok.end)
      return { hour, minute: 0, next: i + 2, strong: true, wordy: true };
    if (n?.kind === "num" && /^\d{2}$/.test(n.t) && n.start > tok.end && Number(n.t) < 60)
      return { hour, minute: Number(n.t), next: i + 2, strong: false, wordy: true };
    return { hour, minute: 0, next: i + 1, strong: false, wordy: false };
  }
  if (tok.kind !== "word") return undefined;
  const h = readNumber(toks, i);
  if (
    !h ||
    (h.lang !== "en" && h.lang !== "af") ||
    h.value < 1 ||
    h.value > 12 ||
    h.next !== i + 1 ||
    NOT_AN_HOUR.has(tok.t)
  )
    return undefined;
  const n = toks[i + 1];
  if (n && (n.t === "oh" || n.t === "o") && n.kind === "word") {
    const m = readNumber(toks, i + 2);
    if (m && m.lang === "en" && m.value >= 1 && m.value <= 9)
      return { hour: h.value, minute: m.value, next: m.next, strong: true, wordy: true };
  }
  const m = readNumber(toks, i + 1);
  if (m && m.lang === h.lang && m.value >= 10 && m.value <= 59 && toks[i + 1]!.t !== "dozen")
    return { hour: h.value, minute: m.value, next: m.next, strong: true, wordy: true };
  return { hour: h.value, minute: 0, next: i + 1, strong: false, wordy: true };
}

/** "half past seven", "quarter to 8", "20 past 9", "kwart oor sewe", "half seven" (7:30), "half agt" (7:30). */
function relativeAt(toks: readonly Token[], i: number): Clock | undefined {
  const w = toks[i]!.t;
  let minutes: number | undefined;
  let j = i + 1;
  if (w === "half") minutes = 30;
  else if (w === "quarter" || w === "kwart") minutes = 15;
  else {
    const n = readNumber(toks, i);
    if (!n || n.value < 1 || n.value > 59) return undefined;
    minutes = n.value;
    j = n.next;
    const unit = toks[j]?.t;
    if (unit === "minutes" || unit === "minute" || unit === "min" || unit === "mins") j++;
    // "10 to 8" is 7:50, but "7 to 8" is a range: without "minutes", only the round fives people say.
    else if (![5, 10, 20, 25].includes(minutes)) return undefined;
  }
  const rel = toks[j]?.t;
  const dir = rel !== undefined && PAST.has(rel) ? 1 : rel !== undefined && TO.has(rel) ? -1 : 0;
  if (dir === 0) {
    // "half seven" (English) is 7:30; "half agt" (Afrikaans) is 7:30 too: half-way to eight.
    if (w !== "half") return undefined;
    const h = readNumber(toks, i + 1);
    if (!h || h.value < 1 || h.value > 12 || (h.lang !== "en" && h.lang !== "af")) return undefined;
    const hour = h.lang === "af" ? (h.value + 11) % 12 : h.value;
    return { hour: hour === 0 ? 12 : hour, minute: 30, next: h.next, strong: true, wordy: true };
  }
  const h = readNumber(toks, j + 1);
  if (!h || h.value > 23 || h.lang === "other") return undefined;
  return { hour: h.value, minute: dir * minutes, next: h.next, strong: true, wordy: true };
}

/** One time expression starting at token i (with its prefix, if i is one), or a bad one, or none. */
function expressionAt(toks: readonly Token[], i: number): TimeSpan | BadTime | undefined {
  let j = i;
  let prefixed = false;
  let foreign = false;
  if (PREFIXES.has(toks[j]!.t) || SOFT_PREFIXES.has(toks[j]!.t)) {
    prefixed = PREFIXES.has(toks[j]!.t);
    foreign = FOREIGN_PREFIXES.has(toks[j]!.t);
    j++;
    if (toks[j]?.t === "-") j++; // "ngo-7"
    if (toks[j] && SOFT_PREFIXES.has(toks[j]!.t)) j++; // "at about 7"
  }
  const start = toks[j];
  if (!start || start.kind === "punct") return undefined;
  if (NOON.has(start.t) || MIDNIGHT.has(start.t)) {
    if (start.t === "middag" && !prefixed) return undefined; // bare "middag" is the afternoon
    return { hour: NOON.has(start.t) ? 12 : 0, minute: 0, from: i, to: j + 1, strong: true, wordy: false, open: false };
  }
  const c = relativeAt(toks, j) ?? clockAt(toks, j);
  if (!c) return undefined;
  if (c.bad) return { bad: true, from: i, to: c.next };
  let k = c.next;
  let strong = c.strong || prefixed;
  let wordy = c.wordy || foreign;
  if (toks[k]?.t === "-" && toks[k + 1]?.t === "uur") k++;
  if (toks[k] && OCLOCK.has(toks[k]!.t)) {
    k++;
    strong = true;
  } else if (toks[k]?.t === "o" && toks[k + 1]?.t === "clock") {
    k += 2;
    strong = true;
  }
  if (toks[k] && DURATION.has(toks[k]!.t)) return undefined; // "in 2 hours" is no time of day
  let period: Period | undefined;
  const dp = daypartAt(toks, k);
  if (dp) {
    period = dp.period;
    k = dp.next;
    strong = true;
    if (period !== "am" && period !== "pm") wordy = true;
  } else if (toks[k] && (NOON.has(toks[k]!.t) || MIDNIGHT.has(toks[k]!.t)) && c.hour === 12 && c.minute === 0) {
    return {
      hour: NOON.has(toks[k]!.t) ? 12 : 0,
      minute: 0,
      from: i,
      to: k + 1,
      strong: true,
      wordy: true,
      open: false,
    };
  }
  if (c.minute < 0) {
    // "quarter to 8": the hour named is the one being approached.
    const anchor = applyPeriod(c.hour, period);
    if (anchor === undefined) return { bad: true, from: i, to: k };
    return {
      hour: (anchor + 23) % 24,
      minute: 60 + c.minute,
      from: i,
      to: k,
      strong,
      wordy,
      open: period === undefined,
    };
  }
  if (c.hour === 24 && c.minute === 0 && period === undefined)
    return { hour: 0, minute: 0, from: i, to: k, strong, wordy, open: false };
  const hour = applyPeriod(c.hour, period);
  if (hour === undefined || hour > 23 || c.minute > 59) return { bad: true, from: i, to: k };
  return { hour, minute: c.minute, from: i, to: k, strong, wordy, open: period === undefined };
}

/** Every time expression in the tokens, in order, and the parts of the day said on their own. */
export function scanTimes(toks: readonly Token[]): {
  spans: (TimeSpan | BadTime)[];
  periods: Set<Period>;
  loose: Token[];
} {
  const spans: (TimeSpan | BadTime)[] = [];
  const periods = new Set<Period>();
  const loose: Token[] = [];
  let i = 0;
  while (i < toks.length) {
    const e = expressionAt(toks, i);
    if (e) {
      spans.push(e);
      i = e.to;
      continue;
    }
    const dp = daypartAt(toks, i);
    if (dp && dp.period !== "am" && dp.period !== "pm") {
      periods.add(dp.period);
      i = dp.next;
      continue;
    }
    loose.push(toks[i]!);
    i++;
  }
  return { spans, periods, loose };
}

export const TIME_MAX_INPUT = 160;

/** A local time of day from a short answer, or undefined for none, an impossible one, or a doubt. */
export function readTimeOfDay(text: string): LocalTime | undefined {
  if (text.length > TIME_MAX_INPUT) return undefined;
  const { spans, periods, loose } = scanTimes(tokenize(text));
  if (spans.some((s) => "bad" in s)) return undefined;
  const found = spans as TimeSpan[];
  const pick =
    found.find((s) => s.strong) ??
    (found.length === 1 && loose.every((t) => t.kind === "punct" || FILLER.has(t.t)) ? found[0] : undefined);
  if (!pick) return undefined;
  if (!pick.open || periods.size === 0) return { hour: pick.hour, minute: pick.minute };
  // "tonight at 9", "every morning, 7": a part of the day said apart from the time.
  if (periods.size > 1) return undefined;
  const hour = applyPeriod(pick.hour, [...periods][0]);
  return hour === undefined ? undefined : { hour, minute: pick.minute };
}
