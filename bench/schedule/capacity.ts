// Capacity: N deliveries due at once, rate limit off, through the whole road: the claim Lua
// script, BullMQ (enqueue, worker), the renderer (engine.renderDue: profile, conversation,
// catalog), grammY and HTTP to the fake Bot API on loopback (in its own process). Beside it,
// in the same run, two baselines: plain sequential sendMessage calls to the same fake, and the
// floor (issue 14.4): a bare BullMQ worker posting each job over a keep-alive node:http Agent.
// The goal is bot + Redis CPU per message at most 2x the floor's process + Redis CPU.
//
//   npx tsx bench/schedule/capacity.ts [N=100000]
//   PROFILE=1 node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/schedule/capacity.ts 20000
//     (PROFILE=1: the bot alone, no baselines, so the profile is the bot's; see profile-summary.ts)
import pino from "pino";
import { startBot } from "../../src/app.js";
import { Keys } from "../../src/store/keys.js";
import { FAKE_TOKEN } from "../../test/fakes/telegram.js";
import { Redis } from "ioredis";
import {
  CORES,
  FakeChild,
  commandsPer,
  floorBaseline,
  privateRedis,
  redisCommands,
  redisCpuSeconds,
  seedReminders,
  sequentialBaseline,
  until,
} from "./lib.js";

const N = Number(process.argv[2] ?? 100_000);

const redisServer = await privateRedis();
const fake = await FakeChild.start();
const redis = new Redis(redisServer.url);
const keys = new Keys("cap");
try {
  const alone = process.env.PROFILE === "1";
  const baseline = alone ? NaN : await sequentialBaseline(fake.url, 2000);
  const none = { rate: NaN, perMsg: { process: NaN, redis: NaN, total: NaN }, commands: "" };
  const floor = alone ? none : await floorBaseline(redisServer.url, fake.url, Math.min(N, 20_000));
  await fake.reset();

  const seedStart = performance.now();
  await seedReminders(redis, keys, N, 1_000_000, Date.now());
  const seedMs = performance.now() - seedStart;

  // CPU used per message by each process: unlike msg/s, barely moved by other load on the machine.
  const cpu0 = { bot: process.cpuUsage(), redis: await redisCpuSeconds(redis), fake: (await fake.stats()).cpuMs };
  const started = performance.now();
  const bot = await startBot({
    env: {
      REDIS_URL: redisServer.url,
      REDIS_PREFIX: "cap",
      TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
      TELEGRAM_API_ROOT: fake.url,
      PORT: "0",
      TELEGRAM_RATE_LIMIT: "0",
      SCHEDULER_TICK_SECONDS: "1",
    },
    log: pino({ level: "warn" }),
  });
  // Steady state: CPU from here on, over the messages delivered from here on (start-up aside).
  const after = {
    bot: process.cpuUsage(),
    redis: await redisCpuSeconds(redis),
    count: (await fake.stats()).count,
    commands: await redisCommands(redis),
  };
  await until(async () => (await fake.stats()).count >= N, 30 * 60_000, "every delivery");
  const endToEnd = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 2000));
  const s = await fake.stats();
  const botCpu = process.cpuUsage(cpu0.bot);
  const perMsg = {
    bot: (botCpu.user + botCpu.system) / s.count,
    redis: (((await redisCpuSeconds(redis)) - cpu0.redis) * 1e6) / s.count,
    fake: ((s.cpuMs - cpu0.fake) * 1000) / s.count,
  };
  const steadyCpu = process.cpuUsage(after.bot);
  const steadyN = s.count - after.count;
  const steadyPerMsg = {
    bot: (steadyCpu.user + steadyCpu.system) / steadyN,
    redis: (((await redisCpuSeconds(redis)) - after.redis) * 1e6) / steadyN,
  };
  const botCommands = commandsPer(after.commands, await redisCommands(redis), steadyN);
  await bot.stop();

  const steady = (s.count - 1) / ((s.last - s.first) / 1000);
  console.log(`schedule capacity benchmark (${CORES} cores, ${process.version})`);
  console.log(
    `  method: ${N} reminders due at once in Redis; one bot process (startBot, TELEGRAM_RATE_LIMIT=0, tick 1 s)`,
  );
  console.log(
    `          claims them (Lua, 300 a call), enqueues to BullMQ, its worker (500 jobs in flight) renders each`,
  );
  console.log(
    `          with engine.renderDue and sends it with grammY over HTTP to the fake Bot API in a child process.`,
  );
  console.log(`  seeded in ${(seedMs / 1000).toFixed(1)} s`);
  console.log(`  delivered: ${s.count} messages to ${s.unique} users, ${s.twice} users twice`);
  console.log(
    `  throughput: ${steady.toFixed(0)} msg/s first->last message; ${(s.count / endToEnd).toFixed(0)} msg/s including bot start (${endToEnd.toFixed(1)} s)`,
  );
  console.log(
    `  CPU per message: bot ${perMsg.bot.toFixed(0)} µs, Redis ${perMsg.redis.toFixed(0)} µs, fake Bot API ${perMsg.fake.toFixed(0)} µs`,
  );
  const ours = perMsg.bot + perMsg.redis;
  console.log(
    `  bot + Redis: ${ours.toFixed(0)} µs per message, so ${CORES} otherwise idle cores could carry about ${((CORES * 1e6) / ours).toFixed(0)} msg/s (the fake excluded: it stands in for Telegram)`,
  );
  const steadyOurs = steadyPerMsg.bot + steadyPerMsg.redis;
  const µs = (x: number) => `${x.toFixed(0)} µs`;
  const ownCpu = `bot ${µs(steadyPerMsg.bot)}, Redis ${µs(steadyPerMsg.redis)}`;
  console.log(`  after start (${steadyN} messages): ${ownCpu}, together ${µs(steadyOurs)} per message`);
  const fl = `process ${µs(floor.perMsg.process)}, Redis ${µs(floor.perMsg.redis)}`;
  console.log(
    `  floor: bare BullMQ worker + keep-alive node:http, ${floor.rate.toFixed(0)} msg/s: ${fl}, together ${µs(floor.perMsg.total)} per message`,
  );
  console.log(`  Redis commands per message: bot ${botCommands}`);
  console.log(`                              floor ${floor.commands}`);
  const [afterStart, withStart] = [steadyOurs / floor.perMsg.total, ours / floor.perMsg.total];
  console.log(
    `  CPU ratio to the floor: ${afterStart.toFixed(2)}x after start, ${withStart.toFixed(2)}x with start (goal <= 2x)`,
  );
  console.log(
    `  baseline: ${baseline.toFixed(0)} msg/s plain sequential sendMessage (grammY, keep-alive) to the same fake`,
  );
  console.log(`  ratio: ${(steady / baseline).toFixed(2)}x the baseline`);
  console.log(`  Telegram's own limit is about 30 msg/s: headroom ${(steady / 30).toFixed(0)}x`);
} finally {
  redis.disconnect();
  fake.stop();
  redisServer.stop();
}
process.exit(0);
