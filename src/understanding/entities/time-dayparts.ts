// The parts of the day people say beside a time or on their own ("pm", "in the morning",
// "tonight", "vanaand", "ekuseni"), and what each does to the hour: "7 pm" is 19:00, "9 at
// night" 21:00, "13pm" nothing. Shared by the time scanner (times.ts) and reminders, which apply
// a part of the day said apart from the time ("tonight ... at 9").
import type { Token } from "./text.js";

export type Period = "am" | "pm" | "morning" | "afternoon" | "evening" | "night";

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

/** The parts of the day by their first word, so each token looks at its own few candidates. */
const DAYPARTS_BY_FIRST = new Map<string, (typeof DAYPARTS)[number][]>();
for (const d of DAYPARTS) DAYPARTS_BY_FIRST.set(d[0][0]!, [...(DAYPARTS_BY_FIRST.get(d[0][0]!) ?? []), d]);

/** The part of the day said at token i ("pm", "a.m.", "in the morning"), and the token after it. */
export function daypartAt(toks: readonly Token[], i: number): { period: Period; next: number } | undefined {
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
