// npm run nlu:tune -- [--cv k] [--name label] [--sets corpus/dev,corpus/dev2]
// The experiment bench behind the model's settings: trains with DEFAULT_TRAIN overridden by
// NLU_TUNE_TRAIN (JSON, e.g. '{"l2":3e-5}'), reads the dev sets and (with --cv) a k-fold split of
// the corpus, and prints, for each way of combining whole-text and sentence risk scores, the
// thresholds chosen on the dev sets pooled and what they give on each set and in cross-validation.
// Evidence is written to /tmp/nlu-tune/<label>.json, so combinations can be compared without
// retraining. Tuning only: never point it at the held-out set.
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadCorpus, type Example } from "../src/understanding/corpus.js";
import { readSet } from "../src/understanding/evaluate.js";
import {
  combineRisk,
  createUnderstanding,
  type Part,
  type RiskEvidence,
  type RiskParts,
} from "../src/understanding/index.js";
import { quantize } from "../src/understanding/model.js";
import { chooseThresholds } from "../src/understanding/thresholds.js";
import { DEFAULT_TRAIN, mulberry32, train, type TrainOptions } from "../src/understanding/train.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const label = opt("--name") ?? "run";
const k = Number(opt("--cv") ?? 0);
const sets = (opt("--sets") ?? "corpus/dev,corpus/dev2")
  .split(",")
  .map((s) => path.resolve(ROOT, s))
  .filter((d) => existsSync(path.join(d, "crisis.jsonl")));
const overrides = JSON.parse(process.env.NLU_TUNE_TRAIN ?? "{}") as Partial<TrainOptions>;
const opts: TrainOptions = {
  ...DEFAULT_TRAIN,
  ...overrides,
  features: { ...DEFAULT_TRAIN.features, ...(overrides.features ?? {}) },
};

type RiskCombiner = (p: RiskParts) => RiskEvidence;
const maxOf = (xs: Part[]) => ({
  crisis: Math.max(0, ...xs.map((x) => x.crisis)),
  noticed: Math.max(0, ...xs.map((x) => x.noticed)),
});
/** The ways of combining the parts compared: the guard's weight, and the risk head alone. */
const COMBINERS: Record<string, RiskCombiner> = {
  max: (p) => ({ ...maxOf([p.whole, ...p.sentences]), rule: p.rule }),
  g20: (p) => combineRisk(p, 0.2),
  g35: (p) => combineRisk(p, 0.35),
  g50: (p) => combineRisk(p, 0.5),
  g70: (p) => combineRisk(p, 0.7),
  whole: (p) => ({ ...maxOf([p.whole]), rule: p.rule }),
  long12: (p) => ({ ...maxOf([p.whole, ...(p.tokens > 12 ? p.sentences : [])]), rule: p.rule }),
  mean: (p) => {
    const s = maxOf(p.sentences);
    return {
      crisis: Math.max(p.whole.crisis, (p.whole.crisis + s.crisis) / 2),
      noticed: Math.max(p.whole.noticed, (p.whole.noticed + s.noticed) / 2),
      rule: p.rule,
    };
  },
};

/** One read line: its risk parts, its label, and whether intent and language came out right. */
interface Rec {
  parts: RiskParts;
  risk?: string;
  intentOk?: boolean;
  langOk: boolean;
}

function readAll(
  model: ReturnType<typeof quantize>,
  lines: { text: string; lang: string; intent?: string; risk?: string }[],
): Rec[] {
  const u = createUnderstanding({ model });
  return lines.map((l) => {
    const r = u.read(l.text);
    return {
      parts: u.riskParts(l.text),
      risk: l.risk,
      intentOk: l.intent ? r.intent.id === l.intent : undefined,
      langOk: r.language.id === l.lang,
    };
  });
}

const t0 = performance.now();
const corpus = loadCorpus(ROOT);
const model = quantize(train(corpus.examples, opts), {
  corpusHash: "",
  devHash: "",
  thresholds: { crisis: 0.5, concern: 0.5 },
});
const dev: Record<string, Record<string, Rec[]>> = {};
for (const dir of sets) {
  const s = readSet(dir);
  dev[path.basename(dir)] = {
    crisis: readAll(model, s.crisis),
    ordinary: readAll(model, s.ordinary_hard),
    concern: readAll(model, s.concern),
    intents: readAll(model, s.intents),
  };
}
let cv: Rec[] = [];
if (k > 1) {
  const rand = mulberry32(7);
  const fold = corpus.examples.map(() => Math.floor(rand() * k));
  for (let f = 0; f < k; f++) {
    const m = quantize(
      train(
        corpus.examples.filter((_, i) => fold[i] !== f),
        opts,
      ),
      { corpusHash: "", devHash: "", thresholds: { crisis: 0.5, concern: 0.5 } },
    );
    const test: Example[] = corpus.examples.filter((_, i) => fold[i] === f);
    cv = cv.concat(
      readAll(
        m,
        test.map((e) => ({ ...e, risk: e.intent ? "intent" : e.risk })),
      ),
    );
  }
}
mkdirSync("/tmp/nlu-tune", { recursive: true });
writeFileSync(`/tmp/nlu-tune/${label}.json`, JSON.stringify({ opts, dev, cv }));
console.log(
  `${label}: ${JSON.stringify(overrides)}; ${corpus.examples.length} examples; ${((performance.now() - t0) / 1000).toFixed(0)} s`,
);
report(dev, cv);

export function report(devSets: typeof dev, cvRecs: Rec[]): void {
  const pct = (x: number) => `${(x * 100).toFixed(1)}`.padStart(5);
  const share = <T>(xs: T[], f: (x: T) => boolean) => (xs.length ? xs.filter(f).length / xs.length : NaN);
  const names = Object.keys(devSets);
  const accs = names.map((n) => {
    const all = [...devSets[n]!.crisis!, ...devSets[n]!.ordinary!, ...devSets[n]!.concern!, ...devSets[n]!.intents!];
    return `${n} intent ${pct(share(devSets[n]!.intents!, (r) => r.intentOk === true))} lang ${pct(share(all, (r) => r.langOk))}`;
  });
  if (cvRecs.length)
    accs.push(
      `cv intent ${pct(
        share(
          cvRecs.filter((r) => r.intentOk !== undefined),
          (r) => r.intentOk === true,
        ),
      )} lang ${pct(share(cvRecs, (r) => r.langOk))}`,
    );
  console.log(`  ${accs.join("; ")}`);
  console.log(
    `  ${"combiner".padEnd(16)} thr(concern/crisis) | per set: recall FP crisisFP | recall@FP3 FP@R98 | cv: crisis concern hardneg hardneg@R95`,
  );
  for (const [name, combine] of Object.entries(COMBINERS)) {
    const ev = (xs: Rec[]) => xs.map((r) => combine(r.parts));
    const pooled = (key: string) => names.flatMap((n) => ev(devSets[n]![key]!));
    const th = chooseThresholds(pooled("crisis"), pooled("ordinary"), pooled("concern"));
    const noticed = (e: RiskEvidence, t = th.concern) => e.rule !== undefined || e.noticed >= t;
    const crisisAt = (e: RiskEvidence) => e.rule !== undefined || e.crisis >= th.crisis;
    const cols = names.map((n) => {
      const c = ev(devSets[n]!.crisis!);
      const o = ev(devSets[n]!.ordinary!);
      const cuts = [...new Set([...c, ...o].map((e) => e.noticed)), 1.01].sort((a, b) => a - b);
      const atFp3 = cuts.find((t) => share(o, (e) => noticed(e, t)) <= 0.03) ?? 1.01;
      const atR98 = [...cuts].reverse().find((t) => share(c, (e) => noticed(e, t)) >= 0.98) ?? 0;
      return `${pct(share(c, (e) => noticed(e)))} ${pct(share(o, (e) => noticed(e)))} ${pct(share(o, crisisAt))} | ${pct(share(c, (e) => noticed(e, atFp3)))} ${pct(share(o, (e) => noticed(e, atR98)))}`;
    });
    let cvCol = "";
    if (cvRecs.length) {
      const by = (r: string) => ev(cvRecs.filter((x) => x.risk === r));
      const c = by("crisis");
      const o = by("none");
      const sorted = c.map((e) => (e.rule ? 2 : e.noticed)).sort((a, b) => a - b);
      const t95 = sorted[Math.floor(sorted.length * 0.05)]!;
      cvCol = ` | ${pct(share(c, (e) => noticed(e)))} ${pct(share(by("concern"), (e) => noticed(e)))} ${pct(share(o, (e) => noticed(e)))} ${pct(share(o, (e) => noticed(e, t95)))}`;
    }
    console.log(`  ${name.padEnd(16)} ${th.concern.toFixed(3)}/${th.crisis.toFixed(3)} | ${cols.join(" || ")}${cvCol}`);
  }
}
