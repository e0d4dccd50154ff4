// npm run nlu:routing -- [<set folder>...]
// How the engine's intent routing (src/core/engine.ts, ROUTE_CONFIDENCE and LET_GO_CONFIDENCE)
// would fare at each confidence threshold, on the DEV sets only (default corpus/dev and
// corpus/dev2; never test/nlu/heldout, which stays frozen and untuned). For each threshold:
// - routed: share of messages whose intent reaches the threshold (the rest get "didn't catch that");
// - right: share routed to the right place, counting an "other" message left unrouted as right;
// - wrong: share routed to the wrong place (the costly error: the user lands somewhere unasked);
// - precision: right routes among routed ones.
// The let-go table counts only the intents that may interrupt a waiting flow.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readSet, type SetLine } from "../src/understanding/evaluate.js";
import { createUnderstanding } from "../src/understanding/index.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const dirs = (args.length ? args : ["corpus/dev", "corpus/dev2"]).map((d) => path.resolve(ROOT, d));
if (dirs.some((d) => d.includes(`${path.sep}heldout`))) {
  console.error("nlu:routing reads the dev sets only; the held-out set is never tuned on.");
  process.exit(1);
}

/** The intents that may take a message away from a waiting flow (engine.ts LET_GO). */
const LET_GO = new Set(["stop", "help", "rejected", "remind", "daily", "language", "feedback", "reflect"]);

const u = createUnderstanding();
const lines: SetLine[] = dirs.flatMap((d) => readSet(d).intents).filter((l) => l.intent !== undefined);
const read = lines.map((l) => ({ gold: l.intent!, ...u.read(l.text).intent }));
console.log(`${read.length} labelled dev messages from ${dirs.map((d) => path.relative(ROOT, d)).join(", ")}\n`);

const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
console.log("routing (outside a flow)");
console.log(" thresh  routed   right   wrong  precision");
for (let t = 0.3; t <= 0.951; t += 0.05) {
  let routed = 0,
    right = 0,
    wrong = 0;
  for (const r of read) {
    const goes = r.id !== "other" && r.confidence >= t;
    if (goes) {
      routed++;
      if (r.id === r.gold) right++;
      else wrong++;
    } else if (r.gold === "other") right++;
  }
  const n = read.length;
  const precision = routed ? (routed - wrong) / routed : 0;
  console.log(`  ${t.toFixed(2)} ${pct(routed / n)} ${pct(right / n)} ${pct(wrong / n)}  ${pct(precision)}`);
}

console.log("\nletting go of a waiting flow (only stop, help, rejected, remind, daily, language, feedback, reflect)");
console.log(" thresh  caught  false  precision   (caught: of the messages with such an intent; false: of all others)");
const golds = read.filter((r) => LET_GO.has(r.gold));
const others = read.filter((r) => !LET_GO.has(r.gold));
for (let t = 0.5; t <= 0.991; t += 0.05) {
  const fires = (r: (typeof read)[number]) => LET_GO.has(r.id) && r.confidence >= t;
  const caught = golds.filter((r) => fires(r) && r.id === r.gold).length;
  const wrongAmongGold = golds.filter((r) => fires(r) && r.id !== r.gold).length;
  const falseFires = others.filter(fires).length;
  const fired = caught + wrongAmongGold + falseFires;
  const precision = fired ? caught / fired : 0;
  console.log(`  ${t.toFixed(2)} ${pct(caught / golds.length)} ${pct(falseFires / others.length)}  ${pct(precision)}`);
}
