// Measures any reader on a labelled set laid out like corpus/dev/: crisis.jsonl,
// ordinary_hard.jsonl, concern.jsonl and intents.jsonl, one {text, lang, kind?, intent?} per
// line. Counts only; printing is scripts/nlu-eval.ts. Shared by the eval command, the candidate
// comparison and the dev-set test, so all three count the same way.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { INTENTS, LANGUAGES, type IntentId, type Lang, type Reading, type RiskLevel } from "../core/understanding.js";

export interface SetLine {
  text: string;
  lang: Lang;
  kind?: string;
  intent?: IntentId;
}

export const SET_FILES = ["crisis", "ordinary_hard", "concern", "intents"] as const;
export type SetName = (typeof SET_FILES)[number];
export type LabelledSet = Record<SetName, SetLine[]>;

/** Other names a set's files go by: the held-out set calls its concern file "ambiguous". */
const ALIASES: Partial<Record<SetName, string>> = { concern: "ambiguous" };

/**
 * Reads a set. A line may say `"lang": "mixed"` with the SA language in `lang2` (code-switched
 * with English, as the held-out set writes it): it counts as that SA language, as the corpus
 * labels mixed messages.
 */
export function readSet(dir: string): LabelledSet {
  const out = {} as LabelledSet;
  for (const name of SET_FILES) {
    const file = [name, ALIASES[name]].map((n) => n && path.join(dir, `${n}.jsonl`)).find((p) => p && existsSync(p));
    out[name] = file
      ? readFileSync(file, "utf8")
          .split("\n")
          .filter((l) => l.trim() !== "")
          .map((l, i) => {
            const v = JSON.parse(l) as Omit<SetLine, "lang"> & { lang: string; lang2?: string };
            const lang = v.lang === "mixed" ? v.lang2 : v.lang;
            if (typeof v.text !== "string" || !LANGUAGES.includes(lang as Lang))
              throw new Error(`${file}:${i + 1}: needs text and a known lang`);
            return { ...v, lang: lang as Lang };
          })
      : [];
  }
  return out;
}

/** Fingerprint of a set's files, recorded in the model beside the thresholds chosen on it. */
export function setHash(dir: string): string {
  const h = createHash("sha256");
  for (const name of SET_FILES) {
    const p = [name, ALIASES[name]].map((n) => n && path.join(dir, `${n}.jsonl`)).find((f) => f && existsSync(f)) ?? "";
    h.update(`${name}\u0000${existsSync(p) ? readFileSync(p, "utf8") : ""}\u0000`);
  }
  return h.digest("hex");
}

/** Fingerprint of several sets pooled (one set: the same as setHash). */
export function setsHash(dirs: readonly string[]): string {
  if (dirs.length === 1) return setHash(dirs[0]!);
  const h = createHash("sha256");
  for (const d of dirs) h.update(`${setHash(d)}\u0000`);
  return h.digest("hex");
}

/** A share with its 95% Wilson score interval. */
export interface Rate {
  hits: number;
  n: number;
  rate: number;
  low: number;
  high: number;
}

export function wilson(hits: number, n: number, z = 1.96): Rate {
  if (n === 0) return { hits, n, rate: NaN, low: NaN, high: NaN };
  const p = hits / n;
  const d = 1 + (z * z) / n;
  const center = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return { hits, n, rate: p, low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

export interface Breakdown {
  all: Rate;
  byKind: Record<string, Rate>;
  byLang: Record<string, Rate>;
}

function breakdown(lines: readonly SetLine[], hit: (i: number) => boolean): Breakdown {
  const group = (key: (l: SetLine) => string | undefined) => {
    const acc = new Map<string, [number, number]>();
    lines.forEach((l, i) => {
      const k = key(l);
      if (k === undefined) return;
      const a = acc.get(k) ?? [0, 0];
      acc.set(k, [a[0] + (hit(i) ? 1 : 0), a[1] + 1]);
    });
    return Object.fromEntries([...acc.entries()].sort().map(([k, [h, n]]) => [k, wilson(h, n)]));
  };
  const hits = lines.filter((_, i) => hit(i)).length;
  return { all: wilson(hits, lines.length), byKind: group((l) => l.kind), byLang: group((l) => l.lang) };
}

export interface Evaluation {
  crisisNoticed: Breakdown;
  crisisAtCrisis: Breakdown;
  falsePositive: Breakdown;
  falseCrisis: Breakdown;
  concern: Record<RiskLevel, number> & { n: number };
  /** Ordinary intent messages (distress included) that got crisis or concern. */
  intentsFlagged: Rate;
  intent: Breakdown;
  /** confusion[expected][got] */
  confusion: Record<string, Record<string, number>>;
  language: Breakdown;
  misses: {
    crisis: SetLine[];
    falseAlarms: (SetLine & { level: RiskLevel })[];
    intents: (SetLine & { got: string })[];
  };
}

export function evaluate(set: LabelledSet, read: (text: string) => Reading): Evaluation {
  const readAll = (lines: SetLine[]) => lines.map((l) => read(l.text));
  const r = {
    crisis: readAll(set.crisis),
    ordinary: readAll(set.ordinary_hard),
    concern: readAll(set.concern),
    intents: readAll(set.intents),
  };
  const noticed = (x: Reading) => x.risk.level !== "none";
  const concern = { none: 0, concern: 0, crisis: 0, n: set.concern.length };
  for (const x of r.concern) concern[x.risk.level]++;
  const confusion: Record<string, Record<string, number>> = {};
  set.intents.forEach((l, i) => {
    const row = (confusion[l.intent ?? "?"] ??= {});
    const got = r.intents[i]!.intent.id;
    row[got] = (row[got] ?? 0) + 1;
  });
  const allLines = [...set.crisis, ...set.ordinary_hard, ...set.concern, ...set.intents];
  const allReadings = [...r.crisis, ...r.ordinary, ...r.concern, ...r.intents];
  return {
    crisisNoticed: breakdown(set.crisis, (i) => noticed(r.crisis[i]!)),
    crisisAtCrisis: breakdown(set.crisis, (i) => r.crisis[i]!.risk.level === "crisis"),
    falsePositive: breakdown(set.ordinary_hard, (i) => noticed(r.ordinary[i]!)),
    falseCrisis: breakdown(set.ordinary_hard, (i) => r.ordinary[i]!.risk.level === "crisis"),
    concern,
    intentsFlagged: wilson(r.intents.filter(noticed).length, r.intents.length),
    intent: breakdown(set.intents, (i) => r.intents[i]!.intent.id === set.intents[i]!.intent),
    confusion,
    language: breakdown(allLines, (i) => allReadings[i]!.language.id === allLines[i]!.lang),
    misses: {
      crisis: set.crisis.filter((_, i) => !noticed(r.crisis[i]!)),
      falseAlarms: set.ordinary_hard.flatMap((l, i) =>
        noticed(r.ordinary[i]!) ? [{ ...l, level: r.ordinary[i]!.risk.level }] : [],
      ),
      intents: set.intents.flatMap((l, i) =>
        r.intents[i]!.intent.id !== l.intent ? [{ ...l, got: r.intents[i]!.intent.id }] : [],
      ),
    },
  };
}

/** The intent ids in a fixed order, for printing a confusion matrix. */
export const INTENT_ORDER: readonly string[] = INTENTS;
