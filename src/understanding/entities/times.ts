// Times of day as people type them: "7:30", "07h30", "8 pm", "7 in the morning", "half past
// seven", "quarter to 8", "at 9", "noon", "around 6 tonight", "om 7", "ngo-7 ekuseni". One scanner
// serves /daily (timeOfDay) and reminders (which rewrite what chrono-node misreads). A bare "7"
// counts only when nothing else is said; "I have 3 kids" names no time.
import type { LocalTime } from "../../core/understanding.js";
import { clockAt, relativeAt } from "./time-clock.js";
import { applyPeriod, daypartAt, type Period } from "./time-dayparts.js";
import { tokenize, type Token } from "./text.js";

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
const OCLOCK = new Set(["oclock", "uur", "hrs"]);
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
