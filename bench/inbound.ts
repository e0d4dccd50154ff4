// Inbound benchmark: updates/s and p50/p99 latency through the real bot (grammY runner, engine,
// Redis state) against the fake Bot API on loopback, beside a bare grammY echo bot on the same
// fake in the same run. Closed loop: U virtual users each send a message, wait for the reply,
// and send the next, for D seconds per bot. Latency = fake saw the reply - update was queued.
//
//   npx tsx bench/inbound.ts [users=50] [seconds=10]
//
// Needs Redis: REDIS_URL, or 127.0.0.1:6379.
import { Bot } from "grammy";
import { run } from "@grammyjs/runner";
import pino from "pino";
import { startBot } from "../src/app.js";
import { defaultUnderstanding } from "../src/app/understanding.js";
import { FAKE_TOKEN, FakeTelegram, type Call } from "../test/fakes/telegram.js";
import { Redis } from "ioredis";
import { deletePrefix, report, summarize, type Result } from "./closed-loop.js";
import { commandsPer, redisCommands } from "./schedule/lib.js";

const USERS = Number(process.argv[2] ?? 50);
const SECONDS = Number(process.argv[3] ?? 10);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** Drives U users in a closed loop against whatever bot polls `fake`; `text(i)` is user i's message. */
async function drive(
  name: string,
  fake: FakeTelegram,
  text: (i: number) => string,
  repliesPerMessage: number,
): Promise<Result> {
  const latencies: number[] = [];
  const waiting = new Map<number, { sentAt: number; left: number; done: () => void }>();
  fake.onCall = (call: Call) => {
    if (call.method !== "sendMessage") return;
    const w = waiting.get(Number(call.params.chat_id));
    if (!w) return;
    if (--w.left === 0) {
      latencies.push(performance.now() - w.sentAt);
      waiting.delete(Number(call.params.chat_id));
      w.done();
    }
  };
  const until = performance.now() + SECONDS * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: USERS }, async (_, u) => {
      const chat = 900_000 + u;
      for (let i = 0; performance.now() < until; i++) {
        await new Promise<void>((done) => {
          waiting.set(chat, { sentAt: performance.now(), left: repliesPerMessage, done });
          fake.text(chat, text(i));
        });
      }
    }),
  );
  fake.onCall = undefined;
  return summarize(name, latencies, (performance.now() - start) / 1000);
}

async function bareBot(fake: FakeTelegram): Promise<Result> {
  const bot = new Bot(FAKE_TOKEN, { client: { apiRoot: fake.url }, botInfo: fake.botInfo as never });
  bot.on("message:text", (ctx) => ctx.reply(ctx.message.text));
  const runner = run(bot);
  try {
    return await drive("bare grammY echo bot", fake, (i) => `hello ${i}`, 1);
  } finally {
    await runner.stop();
  }
}

let commandsPerUpdate = "";

/** The real bot on the fake, its per-user flood limit lifted: a loop sends far more than a person could. */
function startRealBot(fake: FakeTelegram, prefix: string) {
  return startBot({
    env: {
      REDIS_URL,
      REDIS_PREFIX: prefix,
      TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
      TELEGRAM_API_ROOT: fake.url,
      PORT: "0",
      FLOOD_LIMIT_PER_MINUTE: "10000",
    },
    log: pino({ level: "silent" }),
  });
}

/** Open loop: the real bot sent `rate` updates a second (from 500 users in turn) for D seconds; latency per update. */
async function paced(fake: FakeTelegram, prefix: string, rate: number): Promise<Result> {
  const bot = await startRealBot(fake, prefix);
  const latencies: number[] = [];
  const sentAt = new Map<number, number[]>();
  fake.onCall = (call: Call) => {
    if (call.method !== "sendMessage") return;
    const t = sentAt.get(Number(call.params.chat_id))?.shift();
    if (t !== undefined) latencies.push(performance.now() - t);
  };
  try {
    const start = performance.now();
    let n = 0;
    while (performance.now() - start < SECONDS * 1000) {
      // Catch up to the schedule (timers on a busy machine fire late), one update at a time.
      const due = Math.floor(((performance.now() - start) / 1000) * rate);
      for (; n < due; n++) {
        const chat = 800_000 + (n % 500);
        sentAt.set(chat, [...(sentAt.get(chat) ?? []), performance.now()]);
        fake.text(chat, "/tip");
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    const end = performance.now() + 10_000;
    while (latencies.length < n && performance.now() < end) await new Promise((r) => setTimeout(r, 20));
    const seconds = (performance.now() - start) / 1000;
    return summarize(`Bounce Back (/tip) at ${rate.toFixed(0)}/s, open loop`, latencies, seconds);
  } finally {
    fake.onCall = undefined;
    await bot.stop();
  }
}

async function realBot(fake: FakeTelegram, prefix: string): Promise<Result> {
  const bot = await startRealBot(fake, prefix);
  const probe = new Redis(REDIS_URL);
  try {
    // /tip: dedup, profile, state, a no-repeat pick (read and write), one reply with buttons.
    const before = await redisCommands(probe);
    const r = await drive("Bounce Back (/tip)", fake, () => "/tip", 1);
    // Every process on this Redis counts here: on a shared server, read it as an upper bound.
    commandsPerUpdate = commandsPer(before, await redisCommands(probe), r.handled);
    return r;
  } finally {
    probe.disconnect();
    await bot.stop();
  }
}

async function main() {
  const fake = await new FakeTelegram().start();
  fake.longPollMs = 50;
  const prefix = `bench${Date.now().toString(36)}`;
  // Warm up both (JIT, connections), then measure: bare, real, bare again (drift check).
  const only = process.argv[4];
  if (only === "real" || only === "bare") {
    // For profiling one side: `node --import tsx --cpu-prof bench/inbound.ts 50 5 real`
    console.log(only === "real" ? await realBot(fake, prefix) : await bareBot(fake));
    if (only === "real") console.log(`Redis commands per update: ${commandsPerUpdate}`);
    process.exit(0);
  }
  // Alternate bare and real runs so machine noise hits both alike; report each pair's ratio
  // and the median.
  const rounds = Number(process.env.ROUNDS ?? 3);
  const results: Result[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const bare = await bareBot(fake);
    const real = await realBot(fake, prefix);
    results.push(bare, real);
    ratios.push(real.perSecond / bare.perSecond);
  }
  // Latency at half the bare bot's rate (the median of its runs), sent at that pace.
  const bareRates = results
    .filter((_, i) => i % 2 === 0)
    .map((r) => r.perSecond)
    .sort((a, b) => a - b);
  const half = await paced(fake, prefix, bareRates[Math.floor(bareRates.length / 2)]! / 2);
  await fake.stop();
  await deletePrefix(REDIS_URL, prefix);
  report({
    title: `inbound benchmark: ${USERS} users in a closed loop, ${SECONDS} s per run, ${rounds} alternating rounds, fake Bot API on loopback in the same process`,
    unit: "updates",
    results,
    ratios,
    command: `npx tsx bench/inbound.ts ${USERS} ${SECONDS}`,
  });
  const halfText = `${half.handled} updates, p50 ${half.p50.toFixed(1)} ms, p99 ${half.p99.toFixed(1)} ms`;
  console.log(`at half the bare rate: ${halfText} (goal p99 < 50 ms)`);
  console.log(`Redis commands per update, real bot (last round): ${commandsPerUpdate}`);
  // The understanding step: the engine reads every text once (UND-ENGINE); until it does, its
  // cost is measured here, warm, on what users write, and added to the real bot's time per update.
  const u = defaultUnderstanding();
  const texts = [
    "/tip",
    "hi",
    "I didn't get the job",
    "remind me in 3 days to call the recruiter",
    "ngiyabonga kakhulu",
    "I feel hopeless about all of this",
    "daily at 7",
  ];
  for (let i = 0; i < 2000; i++) u.read(texts[i % texts.length]!);
  const t0 = performance.now();
  const reads = 20_000;
  for (let i = 0; i < reads; i++) u.read(texts[i % texts.length]!);
  const readMs = (performance.now() - t0) / reads;
  const withRead = ratios.map((r, i) => {
    const real = results[2 * i + 1]!.perSecond;
    return 1 / (1 / real + readMs / 1000) / results[2 * i]!.perSecond;
  });
  const med = [...withRead].sort((a, b) => a - b)[Math.floor(withRead.length / 2)]!;
  const each = withRead.map((x) => x.toFixed(2)).join(", ");
  console.log(
    `understanding.read: ${(readMs * 1000).toFixed(0)} µs per text (warm, ${reads} reads); ` +
      `ratio with it added to each update (one core saturated): ${each}; median ${med.toFixed(2)}`,
  );
  process.exit(0);
}

void main();
