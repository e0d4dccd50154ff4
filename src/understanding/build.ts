// The training pipeline behind `npm run train`, as a function the tests can call on a small
// corpus: read the corpus, train, quantize, choose the risk thresholds on the dev set, and
// return the artefact as the exact text that is committed. Same inputs, same bytes.
import path from "node:path";
import { corpusDirs as defaultDirs, loadCorpus } from "./corpus.js";
import { readSet, setsHash } from "./evaluate.js";
import { createUnderstanding } from "./index.js";
import { quantize, type Artefact } from "./model.js";
import { chooseThresholds } from "./thresholds.js";
import { DEFAULT_TRAIN, train, type TrainOptions } from "./train.js";

/** The dev sets the thresholds are chosen on, pooled (relative to the repository root). */
export const DEV_SETS = ["corpus/dev", "corpus/dev2"];

export interface BuildOptions {
  /** The repository root: seeds (messages/en, test/fixtures) are read from here. */
  root: string;
  /** Corpus directories; default NLU_CORPUS_DIR or <root>/corpus. */
  corpusDirs?: string[];
  /** Dev set folders for the thresholds, pooled; none: both thresholds are 0.5. */
  devDirs: string[];
  /** Rule files' directory, when not the shipped one (the thresholds count rule hits). */
  rulesDir?: string;
  train?: TrainOptions;
}

export interface Build {
  artefact: Artefact;
  /** The file's exact contents. */
  text: string;
  /** Human-readable lines for the training log. */
  log: string[];
}

export function buildModel(o: BuildOptions): Build {
  const log: string[] = [];
  const started = performance.now();
  const corpus = loadCorpus(o.root, o.corpusDirs ?? defaultDirs(o.root));
  log.push(
    `corpus: ${corpus.examples.length} examples from ${corpus.files.length} files (sha256 ${corpus.hash.slice(0, 12)})`,
  );
  for (const lang of [...new Set(corpus.examples.map((e) => e.lang))].sort()) {
    const n = corpus.examples.filter((e) => e.lang === lang);
    const risk = (r: string) => n.filter((e) => e.risk === r && !e.intent).length;
    log.push(
      `  ${lang}: ${n.length} (intents ${n.filter((e) => e.intent).length}, crisis ${risk("crisis")}, concern ${risk("concern")}, hard none ${risk("none")})`,
    );
  }
  const fm = train(corpus.examples, o.train ?? DEFAULT_TRAIN);
  const trained = performance.now();
  let artefact = quantize(fm, { corpusHash: corpus.hash, devHash: "", thresholds: { crisis: 0.5, concern: 0.5 } });
  if (o.devDirs.length > 0) {
    const sets = o.devDirs.map(readSet);
    const reader = createUnderstanding({ model: artefact, rulesDir: o.rulesDir });
    const ev = (pick: (s: (typeof sets)[number]) => { text: string }[]) =>
      sets.flatMap((s) => pick(s).map((l) => reader.riskEvidence(l.text)));
    const choice = chooseThresholds(
      ev((s) => s.crisis),
      ev((s) => s.ordinary_hard),
      ev((s) => s.concern),
    );
    artefact = {
      ...artefact,
      devHash: setsHash(o.devDirs),
      thresholds: { crisis: choice.crisis, concern: choice.concern },
    };
    log.push(
      `thresholds on ${o.devDirs.map((d) => path.relative(o.root, d) || d).join(" + ")}: crisis ${choice.crisis}, concern ${choice.concern} (${choice.why})`,
    );
  }
  const text = `${JSON.stringify(artefact)}\n`;
  const rows = Buffer.from(artefact.buckets, "base64").length / 4;
  log.push(
    `model: ${fm.buckets.length} features trained, ${rows} kept, ${(text.length / 1024 / 1024).toFixed(2)} MB; trained in ${((trained - started) / 1000).toFixed(1)} s, total ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return { artefact, text, log };
}
