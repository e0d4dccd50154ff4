// The clock reading inside a time expression, before any prefix or part of the day: digits
// ("7:30", "0730", "20h", "7 30"), words ("seven", "seven thirty", "seven oh five") and times
// said against the hour ("half past seven", "quarter to 8", "kwart oor sewe", "half agt").
// A typed time that cannot be ("7:75") comes back marked bad, so the reader refuses it.
import { readNumber } from "./numbers.js";
import type { Token } from "./text.js";

const PAST = new Set(["past", "after", "oor"]);
const TO = new Set(["to", "before", "till", "til", "voor"]);

/** Count words that are no hour: "once a day" is not 01:00. */
const NOT_AN_HOUR = new Set(["once", "twice", "couple", "dozen"]);

export interface Clock {
  hour: number;
  minute: number;
  next: number;
  strong: boolean;
  wordy: boolean;
  bad?: boolean;
}

/** A clock reading at token i: "7:30", "0730", "20h", "7 30", "seven", "seven thirty", "seven oh five". */
export function clockAt(toks: readonly Token[], i: number): Clock | undefined {
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
export function relativeAt(toks: readonly Token[], i: number): Clock | undefined {
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
