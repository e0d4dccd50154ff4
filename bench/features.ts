// The model's feature reader, timed beside the string-building reader it replaced (a frozen copy,
// bench/legacy/features.ts), in one process, in alternating rounds so machine noise hits both
// alike; and the whole reading (understanding.read) with each, on the dev messages (corpus/dev).
// The two readers give the same buckets (test/understanding.features.test.ts).
//
//   npx tsx bench/features.ts [rounds=10]
import path from "node:path";
import { reference } from "./legacy/features.js";
import { readSet, SET_FILES } from "../src/understanding/evaluate.js";
import { DEFAULT_FEATURES, featuresOf, modelTokens } from "../src/understanding/features.js";
import { createUnderstanding } from "../src/understanding/index.js";

const ROUNDS = Number(process.argv[2] ?? 10);
const ROOT = path.resolve(import.meta.dirname, "..");
const dev = readSet(path.join(ROOT, "corpus", "dev"));
const tokens = SET_FILES.flatMap((f) => dev[f].map((l) => modelTokens(l.text)));
const texts = SET_FILES.flatMap((f) => dev[f].map((l) => l.text));

/** Microseconds per message for one pass of `fn` over the list. */
function pass<T>(items: readonly T[], fn: (x: T) => unknown): number {
  const t0 = performance.now();
  for (const x of items) fn(x);
  return ((performance.now() - t0) * 1000) / items.length;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const understanding = createUnderstanding();
const old = (ts: readonly string[]) => reference(ts, DEFAULT_FEATURES);
for (let i = 0; i < 3; i++) {
  pass(tokens, featuresOf);
  pass(tokens, old);
  pass(texts, (t) => understanding.read(t));
}
const now: number[] = [];
const before: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  now.push(pass(tokens, featuresOf));
  before.push(pass(tokens, old));
}
const reads: number[] = [];
for (let r = 0; r < ROUNDS; r++) reads.push(pass(texts, (t) => understanding.read(t)));
const fNow = median(now);
const fBefore = median(before);
console.log(`feature reader, ${tokens.length} dev messages, ${ROUNDS} alternating rounds (median µs a message)`);
console.log(`| reader | µs a message |`);
console.log(`|---|---|`);
console.log(`| string-building (before, bench/legacy/features.ts) | ${fBefore.toFixed(1)} |`);
console.log(`| code units, no strings (now) | ${fNow.toFixed(1)} |`);
console.log(`ratio now / before: ${(fNow / fBefore).toFixed(2)}`);
console.log(`whole reading (understanding.read, now): ${median(reads).toFixed(1)} µs a message`);
