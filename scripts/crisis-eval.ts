// Measures the crisis detector on the test sets in test/fixtures/: recall on crisis messages
// (the share detected) and the false-positive rate on ordinary rejection talk (the share
// wrongly flagged). Prints both, with every miss and false alarm, so the phrase lists in
// messages/<locale>/safety.yaml can be tuned. Run: npm run crisis:eval [-- <locale>]
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Catalog } from "../src/content/catalog.js";
import { loadContent } from "../src/content/content.js";
import { CrisisDetector } from "../bench/legacy/matcher.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function readSet(
  name: "crisis-messages" | "ordinary-messages" | "crisis-heldout" | "ordinary-heldout",
): string[] {
  return readFileSync(path.join(ROOT, "test", "fixtures", `${name}.txt`), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

export interface CrisisEvaluation {
  crisisCount: number;
  ordinaryCount: number;
  recall: number;
  falsePositiveRate: number;
  missed: string[];
  falseAlarms: { text: string; phrase: string }[];
}

export function evaluateCrisisDetector(
  t: Catalog,
  crisis = readSet("crisis-messages"),
  ordinary = readSet("ordinary-messages"),
): CrisisEvaluation {
  const detector = new CrisisDetector(t);
  const missed = crisis.filter((m) => detector.check(m).status !== "crisis");
  const falseAlarms = ordinary.flatMap((m) => {
    const v = detector.check(m);
    return v.status === "crisis" ? [{ text: m, phrase: v.phrase }] : [];
  });
  return {
    crisisCount: crisis.length,
    ordinaryCount: ordinary.length,
    recall: (crisis.length - missed.length) / crisis.length,
    falsePositiveRate: falseAlarms.length / ordinary.length,
    missed,
    falseAlarms,
  };
}

function main(): void {
  const locale = process.argv[2] ?? "en";
  const t = loadContent(path.join(ROOT, "messages"), locale).for(locale);
  const e = evaluateCrisisDetector(t);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(
    `crisis detector, locale ${locale}: tuning sets (test/fixtures/crisis-messages.txt, ordinary-messages.txt)`,
  );
  console.log(
    `  recall:              ${pct(e.recall)} (${e.crisisCount - e.missed.length}/${e.crisisCount} crisis messages detected; target >= 95%)`,
  );
  console.log(
    `  false-positive rate: ${pct(e.falsePositiveRate)} (${e.falseAlarms.length}/${e.ordinaryCount} ordinary messages flagged; target <= 5%)`,
  );
  for (const m of e.missed) console.log(`  MISSED: ${m}`);
  for (const f of e.falseAlarms) console.log(`  FALSE ALARM: ${f.text}  (matched "${f.phrase}")`);
  // The second sets were written after the first tuning. Their first measurement (50.0% recall,
  // 6.7% false positives) informed more general phrases, so they are no longer held out.
  const h = evaluateCrisisDetector(t, readSet("crisis-heldout"), readSet("ordinary-heldout"));
  console.log(
    `second sets (test/fixtures/*-heldout.txt; first measured at 50.0% recall, 6.7% false positives before they informed tuning):`,
  );
  console.log(`  recall:              ${pct(h.recall)} (${h.crisisCount - h.missed.length}/${h.crisisCount})`);
  console.log(`  false-positive rate: ${pct(h.falsePositiveRate)} (${h.falseAlarms.length}/${h.ordinaryCount})`);
  for (const m of h.missed) console.log(`  MISSED (second set): ${m}`);
  for (const f of h.falseAlarms) console.log(`  FALSE ALARM (second set): ${f.text}  (matched "${f.phrase}")`);
  if (e.recall < 0.95 || e.falsePositiveRate > 0.05) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
