// npm run nlu:eval -- [<set folder>] [--misses] [--cv <k>]
// Measures the committed model and rules on a labelled folder laid out like corpus/dev/
// (crisis, ordinary_hard, concern, intents .jsonl; default corpus/dev) and prints crisis recall
// and false positives with 95% Wilson intervals per kind and per language, the concern set's
// distribution, intent accuracy with a confusion matrix, and language accuracy. `--cv k` also
// prints a k-fold cross-validation of the training corpus itself (train vs dev vs held-out).
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { INTENTS } from "../src/core/understanding.js";
import { loadCorpus, type Example } from "../src/understanding/corpus.js";
import {
  evaluate,
  readSet,
  SET_FILES,
  wilson,
  type Breakdown,
  type Evaluation,
  type Rate,
} from "../src/understanding/evaluate.js";
import { createUnderstanding, MODEL_PATH, type ModelUnderstanding } from "../src/understanding/index.js";
import { quantize } from "../src/understanding/model.js";
import { DEFAULT_TRAIN, mulberry32, train } from "../src/understanding/train.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pct = (x: number) => (Number.isNaN(x) ? "  -  " : `${(x * 100).toFixed(1)}%`);
const rate = (r: Rate) => `${pct(r.rate)} [${pct(r.low)}, ${pct(r.high)}] (${r.hits}/${r.n})`;

function printBreakdown(title: string, b: Breakdown): void {
  console.log(`${title}: ${rate(b.all)}`);
  for (const [k, r] of Object.entries(b.byKind)) console.log(`    ${k.padEnd(24)} ${rate(r)}`);
  if (Object.keys(b.byLang).length > 1)
    for (const [k, r] of Object.entries(b.byLang)) console.log(`    lang ${k.padEnd(19)} ${rate(r)}`);
}

export function printEvaluation(e: Evaluation, showMisses: boolean): void {
  printBreakdown("crisis noticed (crisis or concern)", e.crisisNoticed);
  console.log(`  of which at crisis level: ${rate(e.crisisAtCrisis.all)}`);
  printBreakdown("false positives on ordinary_hard (crisis or concern)", e.falsePositive);
  console.log(`  of which at crisis level: ${rate(e.falseCrisis.all)}`);
  const c = e.concern;
  console.log(
    `concern set (${c.n}): none ${pct(c.none / c.n)}, concern ${pct(c.concern / c.n)}, crisis ${pct(c.crisis / c.n)}`,
  );
  console.log(`ordinary intent messages noticed (crisis or concern): ${rate(e.intentsFlagged)}`);
  printBreakdown("intent accuracy", e.intent);
  console.log("confusion (rows expected, columns got; only intents that occur):");
  const used = INTENTS.filter((i) => e.confusion[i] || Object.values(e.confusion).some((r) => r[i]));
  const short = (s: string) => s.slice(0, 5).padStart(5);
  console.log(`  ${"".padEnd(10)}${used.map(short).join(" ")}`);
  for (const row of used) {
    const r = e.confusion[row] ?? {};
    console.log(
      `  ${row.padEnd(10)}${used.map((col) => String(r[col] ?? (row === col ? 0 : ".")).padStart(5)).join(" ")}`,
    );
  }
  printBreakdown("language accuracy (all lines)", e.language);
  if (!showMisses) return;
  for (const m of e.misses.crisis) console.log(`  MISSED [${m.lang} ${m.kind ?? ""}] ${m.text}`);
  for (const m of e.misses.falseAlarms) console.log(`  FALSE ALARM (${m.level}) [${m.lang} ${m.kind ?? ""}] ${m.text}`);
  for (const m of e.misses.intents) console.log(`  INTENT ${m.intent} -> ${m.got} [${m.lang}] ${m.text}`);
}

/** k-fold cross-validation of the corpus: each fold read by a model trained on the others. */
function crossValidate(k: number, thresholds: ModelUnderstanding): void {
  const corpus = loadCorpus(ROOT);
  const rand = mulberry32(7);
  const fold = corpus.examples.map(() => Math.floor(rand() * k));
  const acc = { intent: [0, 0], lang: [0, 0], crisis: [0, 0], concern: [0, 0], none: [0, 0] };
  for (let f = 0; f < k; f++) {
    const trainSet = corpus.examples.filter((_, i) => fold[i] !== f);
    const test = corpus.examples.filter((_, i) => fold[i] === f);
    const model = quantize(train(trainSet, DEFAULT_TRAIN), {
      corpusHash: "",
      devHash: "",
      thresholds: thresholds.model.thresholds,
    });
    const reader = createUnderstanding({ model });
    for (const e of test) score(e, reader.read(e.text), acc);
  }
  console.log(
    `\n${k}-fold cross-validation of the training corpus (${corpus.examples.length} examples; each fold read by a model trained on the other ${k - 1}):`,
  );
  console.log(
    `  intent accuracy ${rate(wilson(acc.intent[0]!, acc.intent[1]!))}; language accuracy ${rate(wilson(acc.lang[0]!, acc.lang[1]!))}`,
  );
  console.log(
    `  crisis lines noticed ${rate(wilson(acc.crisis[0]!, acc.crisis[1]!))}; concern lines noticed ${rate(wilson(acc.concern[0]!, acc.concern[1]!))}`,
  );
  console.log(`  hard-negative lines noticed (false positives) ${rate(wilson(acc.none[0]!, acc.none[1]!))}`);
}

function score(e: Example, r: ReturnType<ModelUnderstanding["read"]>, acc: Record<string, number[]>): void {
  const add = (key: string, hit: boolean) => {
    acc[key]![0]! += hit ? 1 : 0;
    acc[key]![1]! += 1;
  };
  add("lang", r.language.id === e.lang);
  if (e.intent) add("intent", r.intent.id === e.intent);
  else if (e.risk) add(e.risk, r.risk.level !== "none");
}

/** Recall the set would have at other concern thresholds: what the dev choice traded. */
function operatingPoints(dir: string, reader: ModelUnderstanding): void {
  const set = readSet(dir);
  const crisis = set.crisis.map((l) => reader.riskEvidence(l.text));
  const ordinary = set.ordinary_hard.map((l) => reader.riskEvidence(l.text));
  if (crisis.length === 0 || ordinary.length === 0) return;
  const at = (xs: typeof crisis, t: number) =>
    xs.filter((e) => e.rule !== undefined || e.noticed >= t).length / xs.length;
  const cuts = [...new Set([...crisis, ...ordinary].map((e) => e.noticed)), 1.01].sort((a, b) => a - b);
  console.log(
    "\noperating points (noticed = rule or P(crisis)+P(concern), weighed with the guard, >= threshold; highest over the whole text and each sentence):",
  );
  for (const fp of [0.01, 0.02, 0.03, 0.05, 0.08, 0.1]) {
    const t = cuts.find((c) => at(ordinary, c) <= fp) ?? 1.01;
    console.log(
      `  false positives <= ${pct(fp)}: threshold ${t.toFixed(3)}, recall ${pct(at(crisis, t))}, false positives ${pct(at(ordinary, t))}`,
    );
  }
  console.log(
    `  rules alone: recall ${pct(crisis.filter((e) => e.rule).length / crisis.length)}, false positives ${pct(ordinary.filter((e) => e.rule).length / ordinary.length)}`,
  );
}

const args = process.argv.slice(2);
const cvAt = args.indexOf("--cv");
const folder =
  args.find((a, i) => !a.startsWith("--") && (cvAt < 0 || i !== cvAt + 1)) ?? path.join(ROOT, "corpus", "dev");
if (!SET_FILES.some((f) => existsSync(path.join(path.resolve(folder), `${f}.jsonl`)))) {
  console.error(`no ${SET_FILES.map((f) => `${f}.jsonl`).join(", ")} in ${path.resolve(folder)}`);
  process.exit(2);
}
const reader = createUnderstanding();
console.log(
  `model ${path.relative(ROOT, MODEL_PATH)}; thresholds crisis ${reader.model.thresholds.crisis}, concern ${reader.model.thresholds.concern}`,
);
console.log(`set: ${path.resolve(folder)}\n`);
printEvaluation(
  evaluate(readSet(path.resolve(folder)), (t) => reader.read(t)),
  args.includes("--misses"),
);
operatingPoints(path.resolve(folder), reader);
if (cvAt >= 0) crossValidate(Number(args[cvAt + 1] ?? 5), reader);
