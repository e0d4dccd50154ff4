// The trained artefact and its reader. Weights are quantized to one signed byte per class and
// feature (a scale per head) and features whose bytes are all zero are dropped, which keeps the
// committed file to a few MB; the reader scores with exactly those bytes, so what was measured
// is what ships. The file records the corpus hash it was trained from.
import { INTENTS, LANGUAGES, RISK_LEVELS } from "../core/understanding.js";
import { featuresOf, type FeatureConfig } from "./features.js";

/**
 * The heads. `guard` is a second opinion on risk, trained on the risk files' lines only (crisis
 * and concern against the hard negatives written next to them), so it learns what tells a crisis
 * from crisis-like ordinary talk without the intent lines' job words drowning that out.
 */
export const HEADS = ["intent", "risk", "lang", "guard"] as const;
export type HeadName = (typeof HEADS)[number];
export const GUARD_LABELS = ["ordinary", "risk"] as const;
export const HEAD_LABELS: Record<HeadName, readonly string[]> = {
  intent: INTENTS,
  risk: RISK_LEVELS,
  lang: LANGUAGES,
  guard: GUARD_LABELS,
};

/** What training produces, before quantization. */
export interface FloatModel {
  features: FeatureConfig;
  /** Hash bucket of each row, ascending. */
  buckets: Uint32Array;
  /** Columns per row: every head's classes side by side, in HEADS order. */
  width: number;
  weights: Float64Array;
  bias: Float64Array;
}

/** Decision thresholds on the risk head, chosen on the dev set at training time. */
export interface RiskThresholds {
  /** P(crisis) at or above this: crisis. */
  crisis: number;
  /** P(crisis) + P(concern) at or above this (and not crisis): concern. */
  concern: number;
}

export interface Artefact {
  format: "bounce-back-nlu/1";
  corpusHash: string;
  /** Hash of the dev set the thresholds were chosen on ("" when none was). */
  devHash: string;
  features: FeatureConfig;
  heads: { name: HeadName; labels: string[]; scale: number; bias: number[] }[];
  thresholds: RiskThresholds;
  /** Delta-encoded ascending bucket ids, base64 of a Uint32Array. */
  buckets: string;
  /** Row-major signed bytes, base64 of an Int8Array of rows x width. */
  weights: string;
}

export function quantize(
  m: FloatModel,
  meta: { corpusHash: string; devHash: string; thresholds: RiskThresholds },
): Artefact {
  let off = 0;
  const heads = HEADS.map((name) => {
    const k = HEAD_LABELS[name].length;
    let max = 0;
    for (let r = 0; r < m.buckets.length; r++)
      for (let c = 0; c < k; c++) max = Math.max(max, Math.abs(m.weights[r * m.width + off + c]!));
    const head = {
      name,
      labels: [...HEAD_LABELS[name]],
      scale: round6(max / 127 || 1),
      bias: Array.from(m.bias.subarray(off, off + k), round6),
      off,
      k,
    };
    off += k;
    return head;
  });
  const keptRows: number[] = [];
  const bytes: number[] = [];
  for (let r = 0; r < m.buckets.length; r++) {
    const row = new Array<number>(m.width);
    let any = false;
    for (const h of heads) {
      for (let c = 0; c < h.k; c++) {
        const q = Math.max(-127, Math.min(127, Math.round(m.weights[r * m.width + h.off + c]! / h.scale)));
        row[h.off + c] = q;
        any ||= q !== 0;
      }
    }
    if (!any) continue;
    keptRows.push(m.buckets[r]!);
    bytes.push(...row);
  }
  const deltas = Uint32Array.from(keptRows, (b, i) => (i === 0 ? b : b - keptRows[i - 1]!));
  return {
    format: "bounce-back-nlu/1",
    corpusHash: meta.corpusHash,
    devHash: meta.devHash,
    features: m.features,
    heads: heads.map(({ name, labels, scale, bias }) => ({ name, labels, scale, bias })),
    thresholds: meta.thresholds,
    buckets: Buffer.from(deltas.buffer, deltas.byteOffset, deltas.byteLength).toString("base64"),
    weights: Buffer.from(Int8Array.from(bytes).buffer).toString("base64"),
  };
}

/** Six significant decimals: enough for a probability, and stable text in the JSON file. */
function round6(x: number): number {
  return Number(x.toPrecision(6));
}

/** Per-head probabilities for one message. */
export type Scores = Record<HeadName, Float64Array>;

/** The loaded model: an index from bucket to row, and the weights as numbers per head. */
export class CompiledModel {
  private readonly index: Int32Array;
  private readonly weights: Int8Array;
  private readonly width: number;
  private readonly heads: { name: HeadName; off: number; k: number; scale: number; bias: Float64Array }[];
  readonly features: FeatureConfig;
  readonly thresholds: RiskThresholds;
  readonly corpusHash: string;
  /** Whether the artefact has the guard head (older ones do not). */
  readonly hasGuard: boolean;

  constructor(a: Artefact) {
    if (a.format !== "bounce-back-nlu/1") throw new Error(`unknown model format ${String(a.format)}`);
    this.features = a.features;
    this.thresholds = a.thresholds;
    this.corpusHash = a.corpusHash;
    this.hasGuard = a.heads.some((h) => h.name === "guard");
    let off = 0;
    this.heads = a.heads.map((h) => {
      const head = { name: h.name, off, k: h.labels.length, scale: h.scale, bias: Float64Array.from(h.bias) };
      off += h.labels.length;
      return head;
    });
    this.width = off;
    const raw = Buffer.from(a.buckets, "base64");
    const deltas = new Uint32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const w = Buffer.from(a.weights, "base64");
    this.weights = new Int8Array(w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength));
    if (this.weights.length !== deltas.length * this.width) throw new Error("model weights do not match its rows");
    // One slot per bucket: a direct lookup, 4 bytes x 2^bucketBits (4 MB at 20 bits).
    this.index = new Int32Array(1 << a.features.bucketBits).fill(-1);
    let bucket = 0;
    for (let r = 0; r < deltas.length; r++) {
      bucket = r === 0 ? deltas[0]! : bucket + deltas[r]!;
      this.index[bucket] = r;
    }
  }

  /** Probabilities of every head for these tokens. */
  score(tokens: readonly string[]): Scores {
    const buckets = featuresOf(tokens, this.features);
    const norm = buckets.length > 0 ? 1 / Math.sqrt(buckets.length) : 0;
    const z = new Float64Array(this.width);
    for (const b of buckets) {
      const r = this.index[b]!;
      if (r < 0) continue;
      const at = r * this.width;
      for (let c = 0; c < this.width; c++) z[c] = z[c]! + this.weights[at + c]!;
    }
    const out = {} as Scores;
    for (const h of this.heads) {
      const p = new Float64Array(h.k);
      let max = -Infinity;
      for (let c = 0; c < h.k; c++) {
        p[c] = h.bias[c]! + z[h.off + c]! * h.scale * norm;
        if (p[c]! > max) max = p[c]!;
      }
      let sum = 0;
      for (let c = 0; c < h.k; c++) {
        p[c] = Math.exp(p[c]! - max);
        sum += p[c]!;
      }
      for (let c = 0; c < h.k; c++) p[c] = p[c]! / sum;
      out[h.name] = p;
    }
    return out;
  }
}
