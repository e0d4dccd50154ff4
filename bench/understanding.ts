// The understanding step's cost, beside the old phrase matcher it replaces, in one run on the
// dev messages (corpus/dev, 800 lines in eight languages' worth of spelling): load time, heap
// and RSS growth after load, and the median and p99 per message. The old matcher is a frozen
// copy (bench/legacy/matcher.ts) of what the engine ran on every message before: the crisis
// phrase detector plus detectIntent with the English catalog. Also timed: the engine's whole
// read step per text turn (src/core/engine.ts decide, before any flow runs): the reading, the
// command parse, the offered-choice match and the let-go checks a waiting step may make
// (time of day, count, plausible name). Budget (issue 12): <= 0.3 ms median, <= 50 MB
// resident, <= 2 s to load. No Redis needed.
//
//   node --expose-gc --import tsx bench/understanding.ts [rounds=20]
import path from "node:path";
import { loadContent } from "../src/content/content.js";
import { detectIntent, detectorFor } from "./legacy/matcher.js";
import { readSet, SET_FILES } from "../src/understanding/evaluate.js";
import { createUnderstanding } from "../src/understanding/index.js";
import { matchOffered } from "../src/core/choices.js";
import { commandWordsOf, parseCommand } from "../src/core/intents.js";

const ROUNDS = Number(process.argv[2] ?? 20);
const ROOT = path.resolve(import.meta.dirname, "..");
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Heap, array buffers (the model's weights and index live there, outside the heap) and RSS. */
function memory(): { heap: number; buffers: number; rss: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers, rss: m.rss };
}

/** Per-message times (ms) over all rounds, every message read once per round. */
function time(texts: readonly string[], read: (t: string) => unknown): number[] {
  for (const t of texts) read(t); // warm-up: JIT and caches, not counted
  const out: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const t of texts) {
      const s = process.hrtime.bigint();
      read(t);
      out.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
  }
  return out.sort((a, b) => a - b);
}

const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const dev = readSet(path.join(ROOT, "corpus", "dev"));
const texts = SET_FILES.flatMap((f) => dev[f].map((l) => l.text));

const before = memory();
let started = performance.now();
const understanding = createUnderstanding();
const loadMs = performance.now() - started;
const after = memory();

started = performance.now();
const catalog = loadContent(path.join(ROOT, "messages"), "en").for("en");
const detector = detectorFor(catalog);
detector.check("warm up");
detectIntent(catalog, "warm up");
const oldLoadMs = performance.now() - started;
const afterOld = memory();

const fresh = time(texts, (t) => understanding.read(t));
const old = time(texts, (t) => {
  detector.check(t);
  detectIntent(catalog, t);
});
// What the engine does with a text before handing it to a flow: the reading first, then the
// command words, a typed offered choice (the main menu's ten), and the let-go checks.
const words = commandWordsOf(catalog);
const menu = [
  "I was rejected",
  "Reflect on it",
  "Ask for feedback",
  "Give me a tip",
  "Mood check-in",
  "Daily boost",
  "Set a reminder",
  "My goals",
  "My progress",
  "What can you do?",
].map((label, i) => ({ label, value: `/c${i}` }));
const step = time(texts, (t) => {
  const reading = understanding.read(t, { language: "en" });
  parseCommand(t, words);
  matchOffered(t, menu);
  if (reading.risk.level === "none") {
    understanding.entities.timeOfDay(t);
    understanding.entities.count(t);
    understanding.entities.plausible(t, "company");
  }
});

const result = {
  messages: texts.length,
  rounds: ROUNDS,
  loadMs,
  heapDelta: after.heap - before.heap,
  buffersDelta: after.buffers - before.buffers,
  rssDelta: after.rss - before.rss,
  rss: after.rss,
  p50: q(fresh, 0.5),
  p99: q(fresh, 0.99),
  max: fresh[fresh.length - 1]!,
  oldLoadMs,
  oldHeapDelta: afterOld.heap - after.heap,
  oldP50: q(old, 0.5),
  oldP99: q(old, 0.99),
  stepP50: q(step, 0.5),
  stepP99: q(step, 0.99),
};
console.log(`understanding on ${texts.length} dev messages x ${ROUNDS} rounds (node ${process.version})\n`);
console.log("| reader | load | heap (+ array buffers) after load | RSS after load | median per message | p99 | max |");
console.log("|---|---|---|---|---|---|---|");
console.log(
  `| src/understanding (model + rules) | ${loadMs.toFixed(0)} ms | +${mb(result.heapDelta)} (+${mb(result.buffersDelta)}) | +${mb(result.rssDelta)} (process ${mb(after.rss)}) | ${result.p50.toFixed(4)} ms | ${result.p99.toFixed(4)} ms | ${result.max.toFixed(3)} ms |`,
);
console.log(
  `| old matcher (safety + intents, en) | ${oldLoadMs.toFixed(0)} ms | +${mb(result.oldHeapDelta)} | - | ${result.oldP50.toFixed(4)} ms | ${result.oldP99.toFixed(4)} ms | ${old[old.length - 1]!.toFixed(3)} ms |`,
);
const stepMax = step[step.length - 1]!.toFixed(3);
console.log(
  `| engine's read step (reading + command + choice + let-go checks) | - | - | - | ${result.stepP50.toFixed(4)} ms ` +
    `| ${result.stepP99.toFixed(4)} ms | ${stepMax} ms |`,
);
console.log(
  `\nbudget: median <= 0.3 ms ${result.p50 <= 0.3 ? "met" : "NOT MET"}; RSS growth <= 50 MB ${result.rssDelta <= 50 * 1024 * 1024 ? "met" : "NOT MET"}; load <= 2 s ${loadMs <= 2000 ? "met" : "NOT MET"}`,
);
console.log(`RESULT ${JSON.stringify(result)}`);
