// Chooses the risk head's two thresholds on a labelled set (the dev set at training time), with
// recall first: a missed crisis can cost a life, a false alarm costs one kind message. Rules
// count as they will in production (a rule hit is noticed whatever the threshold).
import type { RiskEvidence } from "./index.js";
import type { RiskThresholds } from "./model.js";

export interface ThresholdGoals {
  /** Wanted share of crisis messages noticed (crisis or concern). */
  recall: number;
  /** Wanted ceiling on hard ordinary messages noticed. */
  falsePositives: number;
  /** Never trade past this false-positive rate, whatever recall it buys. */
  falsePositiveCap: number;
}

export const GOALS: ThresholdGoals = { recall: 0.98, falsePositives: 0.03, falsePositiveCap: 0.05 };

export interface ThresholdChoice extends RiskThresholds {
  /** How the concern threshold was reached, for the training log. */
  why: string;
}

const share = (xs: readonly RiskEvidence[], hit: (e: RiskEvidence) => boolean) => (xs.length === 0 ? 0 : xs.filter(hit).length / xs.length);

/**
 * The concern threshold: the lowest one whose false positives stay within the goal (all the
 * recall that budget buys); if recall is still short of its goal there, the highest threshold
 * that reaches it, unless that costs more false positives than the cap, in which case the cap's
 * threshold. The crisis threshold then splits noticed messages: the one that best separates the
 * crisis set from the concern set (Youden's J), never below the concern threshold.
 */
export function chooseThresholds(crisis: readonly RiskEvidence[], ordinary: readonly RiskEvidence[], concern: readonly RiskEvidence[], goals: ThresholdGoals = GOALS): ThresholdChoice {
  const noticedAt = (xs: readonly RiskEvidence[], t: number) => share(xs, (e) => e.rule !== undefined || e.noticed >= t);
  const candidates = [...new Set([...crisis, ...ordinary].map((e) => e.noticed))].sort((a, b) => a - b);
  // Midpoints between neighbouring scores, so the threshold does not sit on a dev message.
  const cuts = candidates.map((v, i) => (i === 0 ? v / 2 : (v + candidates[i - 1]!) / 2));
  const lowestWithin = (fp: number) => cuts.find((t) => noticedAt(ordinary, t) <= fp) ?? 1;
  let concernT = lowestWithin(goals.falsePositives);
  let why = `lowest with dev false positives <= ${goals.falsePositives}`;
  if (noticedAt(crisis, concernT) < goals.recall) {
    const reaching = cuts.filter((t) => noticedAt(crisis, t) >= goals.recall).pop();
    const capT = lowestWithin(goals.falsePositiveCap);
    if (reaching !== undefined && reaching >= capT) {
      concernT = reaching;
      why = `highest with dev recall >= ${goals.recall} (false positives over ${goals.falsePositives})`;
    } else {
      concernT = capT;
      why = `recall goal out of reach within the false-positive cap ${goals.falsePositiveCap}: the cap's threshold`;
    }
  }
  const crisisCuts = [...new Set([...crisis, ...concern].map((e) => e.crisis))].sort((a, b) => a - b);
  let crisisT = Math.max(concernT, 0.5);
  let best = -Infinity;
  for (let i = 0; i < crisisCuts.length; i++) {
    const t = i === 0 ? crisisCuts[0]! / 2 : (crisisCuts[i]! + crisisCuts[i - 1]!) / 2;
    if (t < concernT) continue;
    const j = share(crisis, (e) => e.rule !== undefined || e.crisis >= t) - share(concern, (e) => e.rule !== undefined || e.crisis >= t);
    if (j > best) [best, crisisT] = [j, t];
  }
  return { concern: round(concernT), crisis: round(crisisT), why };
}

function round(x: number): number {
  return Number(x.toPrecision(6));
}
