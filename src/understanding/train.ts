// Trains the three heads (intent, risk, language) as multinomial logistic regressions over one
// shared set of hashed features, with AdaGrad and a seeded shuffle: the same corpus gives the
// same weights, bit for bit, on the same Node. A linear model is enough here (the evidence is
// which words and word pieces occur) and it answers in microseconds.
import { augment } from "./augment.js";
import type { Example } from "./corpus.js";
import { DEFAULT_FEATURES, featuresOf, modelTokens, type FeatureConfig } from "./features.js";
import { HEAD_LABELS, HEADS, type FloatModel, type HeadName } from "./model.js";

export interface TrainOptions {
  features: FeatureConfig;
  epochs: number;
  learningRate: number;
  /** L2 shrinkage applied to the weights an example touches (lazy, so it stays cheap). */
  l2: number;
  /** Class weight = (mean class size / class size) ^ balance: 0 ignores imbalance, 1 evens it. */
  balance: number;
  /** A feature seen in fewer training messages than this is dropped (noise, and size). */
  minCount: number;
  seed: number;
  /** Noisy copies of each line added to training (see augment.ts); 0 for none. */
  augment: number;
  /** Weight on the risk head of a hard negative (a risk file's `none` line) beside an intent line's 1. */
  hardNegativeWeight?: number;
  /** Models trained with consecutive seeds and averaged (see `train`); 1 for one. */
  ensemble?: number;
}

export const DEFAULT_TRAIN: TrainOptions = {
  features: DEFAULT_FEATURES,
  epochs: 12,
  learningRate: 0.6,
  l2: 1e-5,
  balance: 0.5,
  minCount: 2,
  seed: 20261128,
  augment: 1,
  hardNegativeWeight: 4,
  ensemble: 3,
};

/** Small, fast, seedable PRNG (mulberry32), so the shuffle order is part of the recipe. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LABELS = HEAD_LABELS;

/** The label index of an example for a head, or -1 when the example says nothing about it. */
function labelOf(e: Example, head: HeadName): number {
  // The guard learns from the risk files' lines only: crisis and concern against hard negatives.
  if (head === "guard") return e.intent !== undefined || e.risk === undefined ? -1 : e.risk === "none" ? 0 : 1;
  const v = head === "intent" ? e.intent : head === "risk" ? e.risk : e.lang;
  return v === undefined ? -1 : LABELS[head].indexOf(v);
}

/** Sparse feature vector: distinct rows and their values, scaled by 1/sqrt(feature count). */
export interface Sparse {
  rows: Int32Array;
  values: Float64Array;
}

export function sparseOf(buckets: readonly number[], rowOf: (bucket: number) => number): Sparse {
  const counts = new Map<number, number>();
  for (const b of buckets) {
    const r = rowOf(b);
    if (r >= 0) counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  const norm = buckets.length > 0 ? 1 / Math.sqrt(buckets.length) : 0;
  const rows = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
  const values = Float64Array.from(rows, (r) => counts.get(r)! * norm);
  return { rows, values };
}

/**
 * Trains `ensemble` models (seeds seed, seed+1...) and averages their weights. For a linear model
 * that is averaging their scores before the softmax: the same size and speed as one model, with
 * less of the luck of one shuffle and one set of noisy copies (one seed's dev figures differed
 * from another's by several points).
 */
export function train(corpus: readonly Example[], opts: TrainOptions = DEFAULT_TRAIN): FloatModel {
  const k = Math.max(1, opts.ensemble ?? 1);
  if (k === 1) return trainOne(corpus, opts);
  // Every member keeps the first one's features, so the average is no larger than one model.
  const first = trainOne(corpus, opts);
  const models = [
    first,
    ...Array.from({ length: k - 1 }, (_, i) => trainOne(corpus, { ...opts, seed: opts.seed + i + 1 }, first.buckets)),
  ];
  const buckets = Array.from(first.buckets);
  const width = models[0]!.width;
  const row = new Map(buckets.map((b, i) => [b, i]));
  const weights = new Float64Array(buckets.length * width);
  const bias = new Float64Array(width);
  for (const m of models) {
    for (let r = 0; r < m.buckets.length; r++) {
      const at = row.get(m.buckets[r]!)! * width;
      for (let c = 0; c < width; c++) weights[at + c] = weights[at + c]! + m.weights[r * width + c]! / k;
    }
    for (let c = 0; c < width; c++) bias[c] = bias[c]! + m.bias[c]! / k;
  }
  return { features: opts.features, buckets: Uint32Array.from(buckets), width, weights, bias };
}

function trainOne(corpus: readonly Example[], opts: TrainOptions, keep?: Uint32Array): FloatModel {
  const cfg = opts.features;
  const rand = mulberry32(opts.seed);
  const examples = opts.augment > 0 ? augment(corpus, opts.augment, rand) : corpus;
  const bucketsOf = examples.map((e) => featuresOf(modelTokens(e.text), cfg));
  // Keep features seen in at least minCount distinct messages; number them in bucket order.
  const df = new Map<number, number>();
  for (const bs of bucketsOf) for (const b of new Set(bs)) df.set(b, (df.get(b) ?? 0) + 1);
  const kept = keep
    ? Array.from(keep)
    : [...df.entries()]
        .filter(([, n]) => n >= opts.minCount)
        .map(([b]) => b)
        .sort((a, b) => a - b);
  const rowIndex = new Map<number, number>(kept.map((b, i) => [b, i]));
  const xs = bucketsOf.map((bs) => sparseOf(bs, (b) => rowIndex.get(b) ?? -1));

  const width = HEADS.reduce((n, h) => n + LABELS[h].length, 0);
  const offsets = headOffsets();
  const W = new Float64Array(kept.length * width);
  const G = new Float64Array(kept.length * width);
  const bias = new Float64Array(width);
  const Gb = new Float64Array(width);

  const y = examples.map((e) => HEADS.map((h) => labelOf(e, h)));
  const classWeight = HEADS.map((h, hi) => {
    const k = LABELS[h].length;
    const counts = new Array<number>(k).fill(0);
    for (const ys of y) if (ys[hi]! >= 0) counts[ys[hi]!] = counts[ys[hi]!]! + 1;
    const present = counts.filter((c) => c > 0);
    const mean = present.reduce((a, b) => a + b, 0) / Math.max(1, present.length);
    return counts.map((c) => (c > 0 ? (mean / c) ** opts.balance : 0));
  });

  // Hard negatives sit next to crisis language; the many intent lines would drown them out.
  const hard = examples.map((e) => e.risk === "none" && e.intent === undefined);
  const hardWeight = opts.hardNegativeWeight ?? 1;
  const order = examples.map((_, i) => i);
  const p = new Float64Array(width);
  const grad = new Float64Array(width);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    // Fisher-Yates with the seeded generator.
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const i of order) {
      const x = xs[i]!;
      HEADS.forEach((h, hi) => {
        const label = y[i]![hi]!;
        if (label < 0) return;
        const off = offsets[h];
        const k = LABELS[h].length;
        softmaxInto(p, off, k, x, W, bias, width);
        const weight = classWeight[hi]![label]! * (h === "risk" && hard[i] ? hardWeight : 1);
        for (let c = 0; c < k; c++) {
          const g = weight * (p[off + c]! - (c === label ? 1 : 0));
          grad[c] = g;
          Gb[off + c] = Gb[off + c]! + g * g;
          bias[off + c] = bias[off + c]! - (opts.learningRate * g) / Math.sqrt(Gb[off + c]! + 1e-8);
        }
        // Row by row, so the weights one feature touches sit side by side in memory.
        for (let f = 0; f < x.rows.length; f++) {
          const base = x.rows[f]! * width + off;
          const v = x.values[f]!;
          for (let c = 0; c < k; c++) {
            const at = base + c;
            const gw = grad[c]! * v + opts.l2 * W[at]!;
            G[at] = G[at]! + gw * gw;
            W[at] = W[at]! - (opts.learningRate * gw) / Math.sqrt(G[at]! + 1e-8);
          }
        }
      });
    }
  }
  return { features: cfg, buckets: Uint32Array.from(kept), width, weights: W, bias };
}

/** Where each head's columns start in a row of `width` weights. */
export function headOffsets(): Record<HeadName, number> {
  let at = 0;
  const out = {} as Record<HeadName, number>;
  for (const h of HEADS) {
    out[h] = at;
    at += LABELS[h].length;
  }
  return out;
}

function softmaxInto(
  p: Float64Array,
  off: number,
  k: number,
  x: Sparse,
  W: Float64Array,
  bias: Float64Array,
  width: number,
): void {
  let max = -Infinity;
  for (let c = 0; c < k; c++) {
    let z = bias[off + c]!;
    for (let f = 0; f < x.rows.length; f++) z += W[x.rows[f]! * width + off + c]! * x.values[f]!;
    p[off + c] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp(p[off + c]! - max);
    p[off + c] = e;
    sum += e;
  }
  for (let c = 0; c < k; c++) p[off + c] = p[off + c]! / sum;
}
