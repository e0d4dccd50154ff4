// npx tsx scripts/nlu-rules.ts [set folders...] [--rules dir]: each crisis rule's hits on the training corpus (crisis,
// concern and hard-negative lines) and on labelled sets (default corpus/dev and corpus/dev2), so
// a rule that fires on ordinary talk (reported speech, idioms) shows up with its lines. A rule
// may only raise a message to crisis, so its false alarms are the figure to watch.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadCorpus } from "../src/understanding/corpus.js";
import { readSet } from "../src/understanding/evaluate.js";
import { RULES_DIR } from "../src/understanding/index.js";
import { compileRules, readRuleFiles, Rules } from "../src/understanding/rules.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const rulesAt = args.indexOf("--rules");
const rules = new Rules(compileRules(readRuleFiles(rulesAt >= 0 ? path.resolve(args[rulesAt + 1]!) : RULES_DIR)));
const folders = args.filter((a, i) => !a.startsWith("--") && (rulesAt < 0 || i !== rulesAt + 1));
const sets = (folders.length ? folders : ["corpus/dev", "corpus/dev2"])
  .map((d) => path.resolve(ROOT, d))
  .filter((d) => existsSync(d));

/** rule id -> group -> hits, and the ordinary lines each rule fired on. */
const hits = new Map<string, Map<string, number>>();
const totals = new Map<string, number>();
const wrong: string[] = [];
function count(group: string, text: string, ordinary: boolean): void {
  totals.set(group, (totals.get(group) ?? 0) + 1);
  const hit = rules.check(text);
  if (!hit) return;
  const id = `${hit.lang}:${hit.id}`;
  const row = hits.get(id) ?? new Map<string, number>();
  row.set(group, (row.get(group) ?? 0) + 1);
  hits.set(id, row);
  if (ordinary) wrong.push(`  ${id.padEnd(28)} [${group}] ${text}`);
}

for (const e of loadCorpus(ROOT).examples) {
  if (e.intent) count("corpus intents", e.text, true);
  else if (e.risk) count(`corpus ${e.risk}`, e.text, e.risk === "none");
}
for (const dir of sets) {
  const s = readSet(dir);
  const name = path.basename(dir);
  for (const l of s.crisis) count(`${name} crisis`, l.text, false);
  for (const l of s.concern) count(`${name} concern`, l.text, false);
  for (const l of s.ordinary_hard) count(`${name} ordinary`, l.text, true);
  for (const l of s.intents) count(`${name} intents`, l.text, true);
}
const order = (g: string) => ["crisis", "concern", "none", "ordinary", "intents"].findIndex((k) => g.endsWith(k));
const groups = [...totals.keys()].sort((a, b) =>
  a.split(" ")[0] === b.split(" ")[0] ? order(a) - order(b) : a < b ? -1 : 1,
);
console.log(`${"rule".padEnd(28)} ${groups.map((g) => g.padStart(16)).join("")}`);
console.log(`${"(lines)".padEnd(28)} ${groups.map((g) => String(totals.get(g)).padStart(16)).join("")}`);
for (const [id, row] of [...hits.entries()].sort())
  console.log(`${id.padEnd(28)} ${groups.map((g) => String(row.get(g) ?? ".").padStart(16)).join("")}`);
console.log(`\nrule hits on ordinary lines (${wrong.length}):`);
for (const w of wrong) console.log(w);
