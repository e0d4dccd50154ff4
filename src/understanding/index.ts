// The understanding layer: one message in, one Reading out (language, intent, risk), as the
// port in src/core/understanding.ts asks. The trained model (model/nlu-model.json) gives the
// intent, language and risk heads, and a guard head that weighs in on risk; the crisis rules
// (rules/<lang>.yaml) raise the unmistakable to crisis whatever the model says; thresholds chosen
// on the dev sets at training time split the rest into crisis, concern and none. Loaded once;
// reading is pure and synchronous.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  INTENTS,
  LANGUAGES,
  type Entities,
  type IntentId,
  type Lang,
  type Reading,
  type RiskLevel,
  type Understanding,
} from "../core/understanding.js";
import { createEntities, type EntitiesOptions } from "./entities/index.js";
import { tokenWindows } from "./features.js";
import { CompiledModel, type Artefact, type RiskThresholds } from "./model.js";
import { compileRules, readRuleFiles, Rules, type RuleHit } from "./rules.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const MODEL_PATH = path.join(HERE, "model", "nlu-model.json");
export const RULES_DIR = path.join(HERE, "rules");

export interface UnderstandingOptions {
  /** The artefact (default model/nlu-model.json beside this file), or its parsed contents. */
  model?: string | Artefact;
  /** Directory of rule files (default rules/ beside this file). */
  rulesDir?: string;
  /** Override the thresholds stored in the model (the threshold search on dev uses this). */
  thresholds?: RiskThresholds;
  /** How much a platform's language hint multiplies that language's probability. */
  hintWeight?: number;
  /** Options of the entity readers (times, reminders, zones...). */
  entities?: EntitiesOptions;
}

/** The risk evidence before thresholds: what the eval and the threshold search work from. */
export interface RiskEvidence {
  /** Highest P(crisis), weighed with the guard (see combineRisk), over the whole text and each sentence. */
  crisis: number;
  /** Highest P(crisis) + P(concern), weighed the same way, over the same parts. */
  noticed: number;
  rule?: RuleHit;
}

/**
 * Platform language codes (Telegram's language_code: "en-US", "zu", "af"...) to ours. Only the
 * primary subtag counts; Northern Sotho comes as "nso" or, from some clients, "ns".
 */
export function langFromHint(hint: string | undefined): Lang | undefined {
  if (typeof hint !== "string" || hint === "") return undefined;
  const primary = hint.trim().toLowerCase().split(/[-_]/)[0] ?? "";
  if (primary === "ns") return "nso";
  return (LANGUAGES as readonly string[]).includes(primary) ? (primary as Lang) : undefined;
}

/** The risk and guard heads' reading of the whole text and of each sentence, before they are combined. */
export interface RiskParts {
  /** P(crisis), P(crisis) + P(concern) and the guard's P(risk) of the whole text (the highest window of a long one). */
  whole: Part;
  /** The same for each sentence, when there is more than one. */
  sentences: Part[];
  /** Model tokens in the whole text. */
  tokens: number;
  rule?: RuleHit;
}

export interface Part {
  crisis: number;
  noticed: number;
  /** The guard head's P(risk): crisis or concern rather than crisis-like ordinary talk. */
  guard: number;
}

/**
 * How much the guard head weighs in each part's risk scores (a weighted geometric mean with the
 * risk head's). Chosen by cross-validation and on the dev sets (scripts/nlu-tune.ts): half and
 * half cut the hard negatives flagged at the same recall by about a tenth.
 */
export const GUARD_WEIGHT = 0.5;

/**
 * The risk evidence of a message: each part (the whole text, each sentence) weighed with the
 * guard, then the highest, so a crisis sentence buried in rejection talk still counts in full.
 */
export function combineRisk(p: RiskParts, guardWeight = GUARD_WEIGHT): RiskEvidence {
  let crisis = 0;
  let noticed = 0;
  for (const x of [p.whole, ...p.sentences]) {
    const g = x.guard ** guardWeight;
    crisis = Math.max(crisis, x.crisis ** (1 - guardWeight) * g);
    noticed = Math.max(noticed, x.noticed ** (1 - guardWeight) * g);
  }
  return { crisis, noticed, rule: p.rule };
}

const maxOf = (xs: Part[]): Part => ({
  crisis: Math.max(0, ...xs.map((x) => x.crisis)),
  noticed: Math.max(0, ...xs.map((x) => x.noticed)),
  guard: Math.max(0, ...xs.map((x) => x.guard)),
});

/** Sentence-sized parts, so a crisis sentence buried in rejection talk is read on its own too. */
function sentences(text: string): string[] {
  return text.split(/(?<=[.!?\n;])\s*|\n+/).filter((s) => /[\p{L}\p{N}\p{Extended_Pictographic}]/u.test(s));
}

export class ModelUnderstanding implements Understanding {
  private readonly thresholds: RiskThresholds;
  private readonly hintWeight: number;
  private readonly guardWeight: number;

  constructor(
    readonly model: CompiledModel,
    private readonly rules: Rules,
    readonly entities: Entities,
    opts: { thresholds?: RiskThresholds; hintWeight?: number } = {},
  ) {
    this.thresholds = opts.thresholds ?? model.thresholds;
    this.hintWeight = opts.hintWeight ?? 3;
    // An artefact without a guard head (older format) is read by the risk head alone.
    this.guardWeight = model.hasGuard ? GUARD_WEIGHT : 0;
  }

  riskParts(text: string): RiskParts {
    const read = (windows: string[][]) =>
      maxOf(
        windows
          .filter((t) => t.length > 0)
          .map((t) => {
            const s = this.model.score(t);
            const p = s.risk;
            return { crisis: p[2]!, noticed: p[1]! + p[2]!, guard: s.guard ? s.guard[1]! : 1 };
          }),
      );
    const windows = tokenWindows(text);
    const split = sentences(text);
    return {
      whole: read(windows),
      sentences: split.length > 1 ? split.map((s) => read(tokenWindows(s))) : [],
      tokens: windows.reduce((n, w) => n + w.length, 0),
      rule: this.rules.check(text),
    };
  }

  riskEvidence(text: string): RiskEvidence {
    return combineRisk(this.riskParts(text), this.guardWeight);
  }

  levelOf(e: RiskEvidence): RiskLevel {
    if (e.rule || e.crisis >= this.thresholds.crisis) return "crisis";
    return e.noticed >= this.thresholds.concern ? "concern" : "none";
  }

  read(text: string, hints?: { language?: string }): Reading {
    const input = typeof text === "string" ? text : "";
    const tokens = tokenWindows(input)[0]!;
    const hinted = langFromHint(hints?.language);
    if (tokens.length === 0) {
      return {
        language: { id: hinted ?? "en", confidence: hinted ? 0.5 : 0 },
        intent: { id: "other", confidence: 0 },
        risk: { level: "none", score: 0 },
      };
    }
    const s = this.model.score(tokens);
    const lang = Float64Array.from(s.lang);
    if (hinted) {
      lang[LANGUAGES.indexOf(hinted)]! *= this.hintWeight;
      const sum = lang.reduce((a, b) => a + b, 0);
      for (let i = 0; i < lang.length; i++) lang[i] = lang[i]! / sum;
    }
    const [li] = top2(lang);
    const [ii, ir] = top2(s.intent);
    const e = this.riskEvidence(input);
    return {
      language: { id: LANGUAGES[li]!, confidence: lang[li]! },
      intent: {
        id: INTENTS[ii]! as IntentId,
        confidence: s.intent[ii]!,
        runnerUp: { id: INTENTS[ir]!, confidence: s.intent[ir]! },
      },
      risk: { level: this.levelOf(e), score: e.crisis, ...(e.rule ? { rule: e.rule.id } : {}) },
    };
  }
}

/** Indices of the largest and second-largest values. */
function top2(p: Float64Array): [number, number] {
  let a = 0;
  let b = p.length > 1 ? 1 : 0;
  if (p[b]! > p[a]!) [a, b] = [b, a];
  for (let i = 2; i < p.length; i++) {
    if (p[i]! > p[a]!) [a, b] = [i, a];
    else if (p[i]! > p[b]!) b = i;
  }
  return [a, b];
}

/** Loads the artefact and the rules once; the returned reader is cheap to call. */
export function createUnderstanding(opts: UnderstandingOptions = {}): ModelUnderstanding {
  const artefact =
    typeof opts.model === "object"
      ? opts.model
      : (JSON.parse(readFileSync(opts.model ?? MODEL_PATH, "utf8")) as Artefact);
  const rules = new Rules(compileRules(readRuleFiles(opts.rulesDir ?? RULES_DIR)));
  return new ModelUnderstanding(new CompiledModel(artefact), rules, createEntities(opts.entities), {
    thresholds: opts.thresholds,
    hintWeight: opts.hintWeight,
  });
}
