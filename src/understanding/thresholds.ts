// Chooses the risk head's two thresholds on labelled sets (the dev sets, pooled, at training
// time), with recall first: a missed crisis can cost a life, a false alarm costs one kind
// message. Rules count as they will in production (a rule hit is noticed whatever the threshold).
// The concern threshold is the median over seeded bootstrap resamples of the sets, so it does not
// hang on the one or two dev messages nearest the line.
import type { RiskEvidence } from "./index.js";
import type { RiskThresholds } from "./model.js";
import { mulberry32 } from "./train.js";

export interface ThresholdGoals {
  /** Wanted share of crisis messages noticed (crisis or concern). */
  recall: number;
  /** Wanted ceiling on hard ordinary messages noticed. */
  falsePositives: number;
  /** Never trade past this false-positive rate, whatever recall it buys. */
  falsePositiveCap: number;
  /** Ceiling on hard ordinary messages read as crisis (the full crisis answer). */
  crisisFalsePositives: number;
  /** Bootstrap resamples for the concern threshold (0: the point estimate alone). */
  resamples: number;
}

export const GOALS: ThresholdGoals = {
  recall: 0.98,
  falsePositives: 0.03,
  falsePositiveCap: 0.05,
  crisisFalsePositives: 0.01,
  resamples: 200,
};

export interface ThresholdChoice extends RiskThresholds {
  /** How the concern threshold was reached, for the training log. */
  why: string;
}

/** Scores of the messages no rule caught, ascending; rule hits are counted apart. */
interface Scored {
  sorted: number[];
  ruled: number;
  n: number;
}

function scored(xs: readonly RiskEvidence[], key: "noticed" | "crisis"): Scored {
  const free = xs.filter((e) => e.rule === undefined).map((e) => e[key]);
  return { sorted: free.sort((a, b) => a - b), ruled: xs.length - free.length, n: xs.length };
}

/** Share of the set at or above t (rule hits always). */
function shareAt(s: Scored, t: number): number {
  if (s.n === 0) return 0;
  let lo = 0;
  let hi = s.sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s.sorted[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return (s.ruled + s.sorted.length - lo) / s.n;
}

/** Midpoints between neighbouring scores, so a threshold never sits on a dev message. */
function cutsOf(...sets: Scored[]): number[] {
  const v = [...new Set(sets.flatMap((s) => s.sorted))].sort((a, b) => a - b);
  return [...v.map((x, i) => (i === 0 ? x / 2 : (x + v[i - 1]!) / 2)), 1.000001];
}

/**
 * The concern threshold on one sample: the lowest whose false positives stay within the goal
 * (all the recall that budget buys); if recall is still short of its goal there, the highest
 * threshold that reaches it, unless that costs more false positives than the cap, in which case
 * the cap's threshold.
 */
function concernOn(crisis: Scored, ordinary: Scored, goals: ThresholdGoals): { t: number; why: string } {
  const cuts = cutsOf(crisis, ordinary);
  const lowestWithin = (fp: number) => cuts.find((t) => shareAt(ordinary, t) <= fp) ?? 1;
  const within = lowestWithin(goals.falsePositives);
  if (shareAt(crisis, within) >= goals.recall)
    return { t: within, why: `lowest with dev false positives <= ${goals.falsePositives}` };
  let reaching: number | undefined;
  for (const t of cuts) if (shareAt(crisis, t) >= goals.recall) reaching = t;
  const capT = lowestWithin(goals.falsePositiveCap);
  if (reaching !== undefined && reaching >= capT)
    return {
      t: reaching,
      why: `highest with dev recall >= ${goals.recall} (false positives over ${goals.falsePositives})`,
    };
  return {
    t: capT,
    why: `recall goal out of reach within the false-positive cap ${goals.falsePositiveCap}: the cap's threshold`,
  };
}

function resample(xs: readonly RiskEvidence[], rand: () => number): RiskEvidence[] {
  return xs.map(() => xs[Math.floor(rand() * xs.length)]!);
}

/**
 * Both thresholds. Concern as above (the bootstrap median when resamples > 0). Crisis splits the
 * noticed messages: the one that best separates the crisis set from the concern set (Youden's
 * J), never below the concern threshold, and high enough that at most `crisisFalsePositives` of
 * the hard ordinary messages get the full crisis answer.
 */
export function chooseThresholds(
  crisis: readonly RiskEvidence[],
  ordinary: readonly RiskEvidence[],
  concern: readonly RiskEvidence[],
  goals: ThresholdGoals = GOALS,
): ThresholdChoice {
  const point = concernOn(scored(crisis, "noticed"), scored(ordinary, "noticed"), goals);
  let concernT = point.t;
  let why = point.why;
  if (goals.resamples > 0 && crisis.length > 0 && ordinary.length > 0) {
    const rand = mulberry32(0x5eed);
    const ts: number[] = [];
    for (let r = 0; r < goals.resamples; r++)
      ts.push(
        concernOn(scored(resample(crisis, rand), "noticed"), scored(resample(ordinary, rand), "noticed"), goals).t,
      );
    ts.sort((a, b) => a - b);
    concernT = ts[Math.floor(ts.length / 2)]!;
    why = `${why}; median of ${goals.resamples} bootstrap resamples (point estimate ${round(point.t)})`;
  }
  const c = scored(crisis, "crisis");
  const k = scored(concern, "crisis");
  const o = scored(ordinary, "crisis");
  let crisisT = Math.max(concernT, 0.5);
  let best = -Infinity;
  for (const t of cutsOf(c, k)) {
    if (t < concernT || shareAt(o, t) > goals.crisisFalsePositives) continue;
    const j = shareAt(c, t) - shareAt(k, t);
    if (j > best) [best, crisisT] = [j, t];
  }
  return { concern: round(concernT), crisis: round(crisisT), why };
}

function round(x: number): number {
  return Number(x.toPrecision(6));
}
