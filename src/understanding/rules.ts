// Rules for the unmistakable: a method with a self-reference, an act in progress, a plan with a
// time, explicit first-person ideation and self-harm. They only ever raise a message to crisis
// (the model handles everything else), so a rule that misses costs nothing and a rule that
// fires wrongly costs one kind message. The rules are data, one file per language in
// src/understanding/rules/<lang>.yaml (format in docs/understanding.md), and every language's
// rules run on every message: code-switching and a misread language must not hide a crisis.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { tokenize } from "./features.js";

export interface RuleHit {
  /** The rule's id, e.g. "method_self"; reported in the reading for metrics only. */
  id: string;
  lang: string;
}

interface RuleFile {
  lang: string;
  /** Negation words: a match with one of these within `window` words before it does not count. */
  negation?: { words: string; window: number };
  /** Words of reported speech or a joke ("asked if", "joking about"): same effect as a negation. */
  reported?: { words: string; window: number };
  /** Named alternations, written {name} inside patterns. */
  words?: Record<string, string>;
  rules: Record<string, string[]>;
}

interface CompiledRule {
  id: string;
  lang: string;
  re: RegExp;
  negation?: { re: RegExp; window: number };
  reported?: { re: RegExp; window: number };
}

export class RuleError extends Error {
  override name = "RuleError";
}

/** Patterns are matched against accent-free text, so "š" in a pattern is read as "s". */
const fold = (pattern: string) => pattern.normalize("NFKD").replace(/\p{M}+/gu, "");

/** Fills {name} references (nested ones too, a few levels deep) from the file's word groups. */
function expand(pattern: string, words: Record<string, string>, where: string): string {
  let out = pattern;
  for (let depth = 0; depth < 5 && /\{[a-z_]+\}/.test(out); depth++) {
    out = out.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
      const alt = words[name];
      if (alt === undefined) throw new RuleError(`${where}: unknown word group {${name}}`);
      return `(?:${alt})`;
    });
  }
  return out;
}

export function compileRules(files: readonly { name: string; text: string }[]): CompiledRule[] {
  const out: CompiledRule[] = [];
  for (const f of files) {
    const doc = parse(f.text) as RuleFile;
    if (!doc || typeof doc.rules !== "object") throw new RuleError(`${f.name}: needs a rules map`);
    const words = Object.fromEntries(Object.entries(doc.words ?? {}).map(([k, v]) => [k, fold(String(v))]));
    const guard = (g?: { words: string; window: number }) =>
      g ? { re: new RegExp(`^(?:${expand(fold(g.words), words, f.name)})$`), window: g.window } : undefined;
    const negation = guard(doc.negation);
    const reported = guard(doc.reported);
    for (const [id, patterns] of Object.entries(doc.rules)) {
      if (!Array.isArray(patterns) || patterns.length === 0)
        throw new RuleError(`${f.name}: rule ${id} needs a list of patterns`);
      const body = patterns.map((p, i) => `(?:${expand(fold(String(p)), words, `${f.name} ${id}[${i}]`)})`).join("|");
      try {
        out.push({ id, lang: doc.lang, re: new RegExp(`\\b(?:${body})\\b`, "g"), negation, reported });
      } catch (e) {
        throw new RuleError(`${f.name}: rule ${id}: ${(e as Error).message}`);
      }
    }
  }
  return out;
}

/** The rule files shipped beside this module. */
export function readRuleFiles(dir: string): { name: string; text: string }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(path.join(dir, f), "utf8") }));
}

/**
 * Sentences in the normalized form the rules are written against: lower case, no accents or
 * apostrophes, words separated by one space, a comma kept as " , ". A negation never reaches
 * past a comma or into the next sentence ("i didnt get it, i want to kill myself").
 */
export function ruleSentences(text: string): string[] {
  return text
    .split(/[.!?;\n]+/)
    .map((s) =>
      s
        .split(",")
        .map((part) => tokenize(part).join(" "))
        .filter((part) => part !== "")
        .join(" , "),
    )
    .filter((s) => s !== "");
}

export class Rules {
  constructor(private readonly rules: readonly CompiledRule[]) {}

  /** The first rule that fires on the text, or undefined. */
  check(text: string): RuleHit | undefined {
    const sentences = ruleSentences(text);
    for (const rule of this.rules) {
      for (const s of sentences) {
        rule.re.lastIndex = 0;
        for (let m = rule.re.exec(s); m; m = rule.re.exec(s)) {
          const cancelled =
            (rule.negation && negated(s, m.index, rule.negation)) ||
            (rule.reported && negated(s, m.index, rule.reported));
          if (!cancelled) return { id: rule.id, lang: rule.lang };
          if (m[0].length === 0) rule.re.lastIndex++;
        }
      }
    }
    return undefined;
  }
}

/** A negation word among the `window` words just before the match ("i would never kill myself"). */
function negated(sentence: string, at: number, neg: { re: RegExp; window: number }): boolean {
  const clause = sentence.slice(0, at).split(" , ").pop()!.trim();
  if (clause === "") return false;
  return clause
    .split(" ")
    .slice(-neg.window)
    .some((w) => neg.re.test(w));
}
