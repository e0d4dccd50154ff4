// The labelled training corpus: corpus/<lang>/*.yaml (intents.yaml, risk.yaml, extras; format in
// docs/understanding.md), plus the older phrase lists and crisis fixtures the project already
// had, which are training-side data too. Also its fingerprint, so a test can tell whether the
// committed model was trained from the corpus as it is now.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { INTENTS, LANGUAGES, RISK_LEVELS, type IntentId, type Lang, type RiskLevel } from "../core/understanding.js";

export interface Example {
  text: string;
  lang: Lang;
  /** Absent for risk-file lines: a crisis message has no single intent. */
  intent?: IntentId;
  /** Absent for the old distress phrase list, whose words ("feel empty") may be concern. */
  risk?: RiskLevel;
  /** Where it came from, for reports ("en/risk.yaml"). */
  source: string;
}

export interface CorpusFile {
  /** Relative path, the same whichever directory it was found in ("zu/intents.yaml"). */
  name: string;
  text: string;
}

export class CorpusError extends Error {
  override name = "CorpusError";
}

/**
 * The corpus directories: NLU_CORPUS_DIR (a list separated by ":" like PATH; an earlier
 * directory wins for the same file name) or <repo>/corpus.
 */
export function corpusDirs(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = env.NLU_CORPUS_DIR?.trim();
  return raw
    ? raw
        .split(":")
        .filter((d) => d !== "")
        .map((d) => path.resolve(repoRoot, d))
    : [path.join(repoRoot, "corpus")];
}

/**
 * Every training file, sorted by name. Only corpus/ trains the model: the phrase lists the bot
 * matched before (messages/, test/fixtures/) were copied into corpus/<lang>/extra-seed-phrases.yaml
 * once, so editing a message's wording never makes the model stale.
 */
export function readCorpusFiles(repoRoot: string, dirs = corpusDirs(repoRoot)): CorpusFile[] {
  const found = new Map<string, string>();
  for (const dir of dirs) {
    for (const lang of LANGUAGES) {
      const d = path.join(dir, lang);
      if (!existsSync(d)) continue;
      for (const f of readdirSync(d).sort()) {
        // intents.yaml, risk.yaml, and any further file in the same format (extra-*.yaml, intents-b.yaml).
        if (!/^[a-z0-9][a-z0-9_-]*\.yaml$/.test(f)) continue;
        const name = `${lang}/${f}`;
        if (!found.has(name)) found.set(name, readFileSync(path.join(d, f), "utf8"));
      }
    }
  }
  return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, text]) => ({ name, text }));
}

/** sha256 over names and contents: the same files give the same hash in any directory. */
export function corpusHash(files: readonly CorpusFile[]): string {
  const h = createHash("sha256");
  for (const f of files) h.update(`${f.name}\u0000${f.text}\u0000`);
  return h.digest("hex");
}

export function examplesOf(files: readonly CorpusFile[]): Example[] {
  const out: Example[] = [];
  for (const f of files) {
    out.push(...yamlExamples(f));
  }
  return out;
}

function strings(v: unknown, where: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new CorpusError(`${where}: expected a list of messages`);
  return v.map((s, i) => {
    if (typeof s !== "string" && typeof s !== "number" && typeof s !== "boolean")
      throw new CorpusError(`${where}[${i}]: expected a string`);
    return String(s);
  });
}

function yamlExamples(f: CorpusFile): Example[] {
  let doc: Record<string, unknown>;
  try {
    doc = (parse(f.text) ?? {}) as Record<string, unknown>;
  } catch (e) {
    throw new CorpusError(`${f.name}: ${(e as Error).message}`);
  }
  const lang = (doc.lang ?? f.name.split("/")[0]) as Lang;
  if (!LANGUAGES.includes(lang)) throw new CorpusError(`${f.name}: unknown lang ${String(doc.lang)}`);
  const out: Example[] = [];
  const intents = (doc.intents ?? {}) as Record<string, unknown>;
  for (const [intent, list] of Object.entries(intents)) {
    if (!INTENTS.includes(intent as IntentId)) throw new CorpusError(`${f.name}: unknown intent ${intent}`);
    for (const text of strings(list, `${f.name} intents.${intent}`))
      out.push({ text, lang, intent: intent as IntentId, risk: "none", source: f.name });
  }
  for (const risk of RISK_LEVELS) {
    for (const text of strings(doc[risk], `${f.name} ${risk}`)) out.push({ text, lang, risk, source: f.name });
  }
  return out;
}

/** The whole training set in one call: files, their examples and their fingerprint. */
export function loadCorpus(
  repoRoot: string,
  dirs = corpusDirs(repoRoot),
): { files: CorpusFile[]; examples: Example[]; hash: string } {
  const files = readCorpusFiles(repoRoot, dirs);
  return { files, examples: examplesOf(files), hash: corpusHash(files) };
}
