// The slowest input we could find for each parser and matcher of what users type, at 4k, 10k
// and 100k characters, timed in this one process beside a baseline over the same input (one
// `toLowerCase()` and one linear regex pass). A parser that grows linearly shows a growth ratio
// 100k/10k near 10; a quadratic one near 100. The engine refuses messages past
// MAX_MESSAGE_CHARS (at most 4,096), so 100k is the stress figure, not a size users can send:
// it is what makes a hidden quadratic visible.
//
//   npx tsx bench/adversarial.ts [sizes=4000,10000,100000]
//
// Needs no Redis (run.ts starts one for every benchmark anyway; this one ignores it).
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import pino from "pino";
import { buildEngine } from "../src/app.js";
import { defaultUnderstanding } from "../src/app/understanding.js";
import { Keys } from "../src/store/keys.js";
import { loadContent } from "../src/content/content.js";
import { TurnContext } from "../src/core/context.js";
import type { Profile } from "../src/core/ports/state.js";
import { compiled, findPhrase } from "../src/core/matching.js";
import { detectIntent, detectorFor } from "./legacy/matcher.js";
import { daily } from "../src/core/flows/daily.js";
import { parseEvent } from "../src/core/flows/progress.js";
import { parseLocalTime } from "../src/core/time.js";
import { scrubSecrets } from "../src/log.js";

const SIZES = (process.argv[2] ?? "4000,10000,100000").split(",").map(Number);
/** How often each figure is measured (see timeEach); the fastest run is kept, the least disturbed by GC and by other processes. */
const MIN_RUNS = 5;
const MIN_MS = 150;
const MAX_MS = 2000;

const content = loadContent(path.resolve(import.meta.dirname, "../messages"), "en");
const t = content.for("en");
// The engine's own services, typed, over a Redis client that never connects: a parser that
// reached for Redis (a subscription, a read) fails at once instead of timing the network.
const offline = new Redis({ lazyConnect: true, enableOfflineQueue: false });
const { services } = buildEngine({
  redis: offline,
  keys: new Keys("bench"),
  content,
  clock: { now: () => Date.UTC(2026, 0, 5, 8) },
  log: pino({ level: "silent" }),
  settings: {
    defaultTimezone: "Africa/Johannesburg",
    adminIds: new Set(),
    maxMessageChars: 4096,
    retentionMonths: 12,
    inactiveMonths: 12,
  },
  conversationTtlSeconds: 3600,
  floodLimitPerMinute: 20,
  channels: ["console"],
  tickSeconds: 1,
  // The /daily time is read by the entity readers, as in the app.
  understanding: defaultUnderstanding(),
});
const profile: Profile = {
  user: "console:bench",
  createdAt: 0,
  lastSeenAt: 0,
  locale: "en",
  isNew: false,
  langOffered: [],
};
const ctx = new TurnContext(
  "console:bench",
  "console",
  profile,
  services,
  null,
  Date.UTC(2026, 0, 5, 8),
  new Set(["daily"]),
);
const crisis = detectorFor(t);
const rejected = compiled(t.phrases("intent_rejected"));

/** `unit` repeated to exactly n characters, with `head` before and `tail` after. */
function fill(n: number, unit: string, head = "", tail = ""): string {
  const body = n - head.length - tail.length;
  return head + unit.repeat(Math.ceil(body / unit.length)).slice(0, Math.max(0, body)) + tail;
}

interface Case {
  parser: string;
  input: string;
  make(n: number): string;
}
interface Parser {
  name: string;
  run(text: string): unknown;
}

const PARSERS: Parser[] = [
  { name: '"I applied to ..." (parseEvent)', run: (s) => parseEvent(ctx, s) },
  {
    name: "/daily time (the flow's typed-time step)",
    run: (s) => daily.steps.time.answer(ctx, { zone: "Africa/Johannesburg" }, { kind: "text", text: s }),
  },
  { name: "parseLocalTime", run: (s) => parseLocalTime(s) },
  { name: "crisis check (idioms removed first)", run: (s) => crisis.check(s) },
  { name: "phrase matcher (findPhrase, gap 2)", run: (s) => findPhrase(s, rejected, 2) },
  { name: "intents (every list, with gaps)", run: (s) => detectIntent(t, s) },
  { name: "log scrubber (scrubSecrets)", run: (s) => scrubSecrets(s) },
];

const CASES: Case[] = [
  {
    parser: PARSERS[0]!.name,
    input: '"I applied to x" + dots + "a"',
    make: (n) => fill(n, ".", "I applied to x", "a"),
  },
  {
    parser: PARSERS[0]!.name,
    input: '"I applied " + "to a "... + newline',
    make: (n) => fill(n, "to a ", "I applied ", "\nx"),
  },
  { parser: PARSERS[0]!.name, input: '"applied to " repeated', make: (n) => fill(n, "applied to ") },
  {
    parser: PARSERS[0]!.name,
    input: '"I applied to " + spaces + "!"',
    make: (n) => fill(n, " ", "I applied to x", "!a"),
  },
  { parser: PARSERS[1]!.name, input: '"7:30" + spaces + "x"', make: (n) => fill(n, " ", "7:30", "x") },
  { parser: PARSERS[1]!.name, input: '"7:30" + " in" repeated + "x"', make: (n) => fill(n, " in", "7:30", " x") },
  { parser: PARSERS[1]!.name, input: "digits", make: (n) => fill(n, "7") },
  {
    parser: PARSERS[1]!.name,
    input: '"7:30 in" + spaces + "x" + newline',
    make: (n) => fill(n, " ", "7:30 in", "x\ny"),
  },
  { parser: PARSERS[2]!.name, input: 'spaces around "7:30"', make: (n) => fill(n, " ", "", "7:30") },
  { parser: PARSERS[2]!.name, input: "digits", make: (n) => fill(n, "7") },
  { parser: PARSERS[3]!.name, input: '"deadline " repeated', make: (n) => fill(n, "deadline ") },
  {
    parser: PARSERS[3]!.name,
    input: 'filler, then "dying to hear " repeated',
    make: (n) => fill(Math.floor(n / 2), "so ") + fill(n - Math.floor(n / 2), "dying to hear "),
  },
  { parser: PARSERS[3]!.name, input: 'near misses "i want to kil "', make: (n) => fill(n, "i want to kil ") },
  { parser: PARSERS[3]!.name, input: "stretched letters", make: (n) => fill(n, "diiiiie ") },
  { parser: PARSERS[4]!.name, input: 'near misses "they rejected "', make: (n) => fill(n, "they rejected ") },
  { parser: PARSERS[4]!.name, input: 'typo words "rejectd "', make: (n) => fill(n, "rejectd ") },
  { parser: PARSERS[4]!.name, input: "one long word", make: (n) => fill(n, "a") },
  { parser: PARSERS[5]!.name, input: 'near misses "i didnt get "', make: (n) => fill(n, "i didnt get ") },
  { parser: PARSERS[5]!.name, input: 'typo words "interviw "', make: (n) => fill(n, "interviw ") },
  { parser: PARSERS[6]!.name, input: "word characters, no '@'", make: (n) => fill(n, "a") },
  { parser: PARSERS[6]!.name, input: '"a@" repeated', make: (n) => fill(n, "a@") },
  { parser: PARSERS[6]!.name, input: '"a." repeated + "@b"', make: (n) => fill(n, "a.", "", "@b") },
  { parser: PARSERS[6]!.name, input: '"@a" repeated (no dot)', make: (n) => fill(n, "@a") },
  { parser: PARSERS[6]!.name, input: "digits and spaces, no end digit", make: (n) => fill(n, "1 ", "", "x") },
];

/**
 * The fastest run of `fn` on each input, in ms. Sizes are interleaved round by round, so a
 * burst of load from other processes hits every size alike and not one growth ratio; each input
 * runs at least MIN_RUNS times and MIN_MS in all, except one slower than MAX_MS a run (a
 * quadratic case before the fix), which runs once.
 */
async function timeEach(fn: (input: string) => unknown, inputs: readonly string[]): Promise<number[]> {
  const best = inputs.map(() => Infinity);
  const spent = inputs.map(() => 0);
  const runs = inputs.map(() => 0);
  const more = (k: number) => (runs[k]! < MIN_RUNS || spent[k]! < MIN_MS) && !(runs[k]! >= 1 && spent[k]! >= MAX_MS);
  while (inputs.some((_, k) => more(k))) {
    for (let k = 0; k < inputs.length; k++) {
      if (!more(k)) continue;
      const t0 = performance.now();
      await fn(inputs[k]!);
      const ms = performance.now() - t0;
      best[k] = Math.min(best[k]!, ms);
      spent[k]! += ms;
      runs[k]!++;
    }
  }
  return best;
}

const WORD = /\w+/g;
function baseline(s: string): number {
  // One pass of the engine's own normalisation work, linear by construction.
  return s.toLowerCase().length + (s.match(WORD)?.length ?? 0);
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(3));

const rows: { c: Case; ms: number[]; base: number[] }[] = [];
for (const c of CASES) {
  const parser = PARSERS.find((p) => p.name === c.parser)!;
  const inputs = SIZES.map((n) => c.make(n));
  inputs.forEach((input, k) => {
    if (input.length !== SIZES[k])
      throw new Error(`bench: ${c.input} made ${input.length} characters, not ${SIZES[k]}`);
  });
  const ms = await timeEach((input) => parser.run(input), inputs);
  const base = await timeEach(baseline, inputs);
  rows.push({ c, ms, base });
  process.stderr.write(`${c.parser} / ${c.input}: ${ms.map(fmt).join(" / ")} ms\n`);
}

const last = SIZES.length - 1;
const growth = (xs: number[]) => (SIZES.length >= 2 ? (xs[last]! / xs[last - 1]!).toFixed(1) : "-");
const head = `| parser | input | ${SIZES.map((n) => `${n / 1000}k ms`).join(" | ")} | baseline ${SIZES[last]! / 1000}k ms | x baseline | growth ${SIZES[last]! / 1000}k/${SIZES[last - 1]! / 1000}k |`;
const rule = `|---|---|${SIZES.map(() => "---:").join("|")}|---:|---:|---:|`;
const line = (r: (typeof rows)[number]) =>
  `| ${r.c.parser} | ${r.c.input} | ${r.ms.map(fmt).join(" | ")} | ${fmt(r.base[last]!)} | ${(r.ms[last]! / r.base[last]!).toFixed(0)} | ${growth(r.ms)} |`;

console.log(
  `\nMachine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? "?"}), node ${process.version}, load ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(
      " ",
    )}. Fastest of at least ${MIN_RUNS} runs (and ${MIN_MS} ms of runs) per figure, sizes interleaved; a case slower than ${MAX_MS} ms a run is run once.\n`,
);
console.log("### Slowest input per parser\n");
console.log(head);
console.log(rule);
let worstGrowth = 0;
for (const p of PARSERS) {
  const mine = rows.filter((r) => r.c.parser === p.name);
  const worst = mine.reduce((a, b) => (b.ms[last]! > a.ms[last]! ? b : a));
  worstGrowth = Math.max(worstGrowth, Number(growth(worst.ms)));
  console.log(line(worst));
}
console.log("\n### Every input tried\n");
console.log(head);
console.log(rule);
for (const r of rows) console.log(line(r));
console.log(`\nworst growth ${worstGrowth.toFixed(1)} (linear ~10, quadratic ~100)`);
