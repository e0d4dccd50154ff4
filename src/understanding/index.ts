// The understanding layer: one message in, one Reading out (language, intent, risk), as the
// port in src/core/understanding.ts asks. The trained model (model/nlu-model.json) gives the
// three heads; the crisis rules (rules/<lang>.yaml) raise the unmistakable to crisis whatever
// the model says; the risk head's thresholds, chosen on the dev set at training time, split the
// rest into crisis, concern and none. Loaded once; reading is pure and synchronous.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { INTENTS, LANGUAGES, type Entities, type IntentId, type Lang, type Reading, type RiskLevel, type Understanding } from "../core/understanding.js";
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
  /** Highest P(crisis) over the whole text and each of its sentences. */
  crisis: number;
  /** Highest P(crisis) + P(concern) over the same parts. */
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

/** Sentence-sized parts, so a crisis sentence buried in rejection talk is read on its own too. */
function sentences(text: string): string[] {
  return text.split(/(?<=[.!?\n;])\s*|\n+/).filter((s) => /[\p{L}\p{N}\p{Extended_Pictographic}]/u.test(s));
}

export class ModelUnderstanding implements Understanding {
  private readonly thresholds: RiskThresholds;
  private readonly hintWeight: number;

  constructor(
    readonly model: CompiledModel,
    private readonly rules: Rules,
    readonly entities: Entities,
    opts: { thresholds?: RiskThresholds; hintWeight?: number } = {},
  ) {
    this.thresholds = opts.thresholds ?? model.thresholds;
    this.hintWeight = opts.hintWeight ?? 3;
  }

  riskEvidence(text: string): RiskEvidence {
    const parts = tokenWindows(text);
    const split = sentences(text);
    if (split.length > 1) for (const s of split) parts.push(...tokenWindows(s));
    let crisis = 0;
    let noticed = 0;
    for (const tokens of parts) {
      if (tokens.length === 0) continue;
      const p = this.model.score(tokens).risk;
      crisis = Math.max(crisis, p[2]!);
      noticed = Math.max(noticed, p[1]! + p[2]!);
    }
    return { crisis, noticed, rule: this.rules.check(text) };
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
      intent: { id: INTENTS[ii]! as IntentId, confidence: s.intent[ii]!, runnerUp: { id: INTENTS[ir]!, confidence: s.intent[ir]! } },
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
  const artefact = typeof opts.model === "object" ? opts.model : (JSON.parse(readFileSync(opts.model ?? MODEL_PATH, "utf8")) as Artefact);
  const rules = new Rules(compileRules(readRuleFiles(opts.rulesDir ?? RULES_DIR)));
  return new ModelUnderstanding(new CompiledModel(artefact), rules, createEntities(opts.entities), { thresholds: opts.thresholds, hintWeight: opts.hintWeight });
}
