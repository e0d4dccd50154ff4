// Soak: the bot process's memory after an hour-equivalent of load. "An hour-equivalent" here is
// D simulated days (default 30) of daily encouragement to N subscribers (default 2,000) through
// the real path (startBot: ticker, claim, BullMQ, render, grammY, HTTP to the fake Bot API in a
// child process), plus M inbound messages a day (default 1,000: /tip, /help, hi, "I didn't get
// the job", a reminder) from those users, with the bot's clock moved a day at a time. At the
// default sizes that is 60,000 deliveries and 30,000 conversations, more than an hour of a busy
// bot's traffic. RSS and heap are read after a forced GC (node --expose-gc) once one warm-up
// day is done, and again at the end. Baseline: the same figures of the warm-up day (ratio).
//
// Redis: the change in used_memory over the empty server, per user, and where it goes by key
// family (MEMORY USAGE of every key, SAMPLES 0: exact), the journal's text excluded (what users
// write is theirs to size, issue 14.2). As a real-time month would hold it: estimated from MEMORY
// USAGE, and measured by deleting the share of keys with a TTL such a month would have let expire.
//
//   node --expose-gc --import tsx bench/soak.ts [N=2000] [days=30] [inboundPerDay=1000]
import { DateTime } from "luxon";
import pino from "pino";
import { Redis } from "ioredis";
import { startBot } from "./../src/app.js";
import { Keys } from "../src/store/keys.js";
import { Daily } from "../src/schedule/daily.js";
import { DueIndex } from "../src/schedule/store.js";
import type { UserKey } from "../src/core/types.js";
import { FAKE_TOKEN } from "../test/fakes/telegram.js";
import { CORES, FakeChild, privateRedis, until } from "./schedule/lib.js";
import { RedisProfiles } from "../src/store/profiles.js";

const N = Number(process.argv[2] ?? 2000);
const DAYS = Number(process.argv[3] ?? 30);
const M = Number(process.argv[4] ?? 1000);
const ZONE = "Africa/Johannesburg";
const FIRST_ID = 8_000_000;
const day0 = DateTime.fromISO("2026-12-01T06:00", { zone: ZONE });
const gc = (globalThis as { gc?: () => void }).gc;
const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
const INBOUND = ["/tip", "/help", "hi", "I didn't get the job", "/cancel", "/remind in 3 days call the recruiter"];

let now = day0.toMillis();
const clock = { now: () => now };
const redisServer = await privateRedis();
const fake = await FakeChild.start();
const redis = new Redis(redisServer.url);
const keys = new Keys("soak");
const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info("memory"))?.[1] ?? NaN);
try {
  const redisEmpty = await usedMemory();
  const profiles = new RedisProfiles(redis, keys);
  const daily = new Daily(new DueIndex(redis, keys), profiles, clock, ZONE);
  for (let i = 0; i < N; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, N - i) }, async (_, j) => {
        const user = `telegram:${FIRST_ID + i + j}` as UserKey;
        await profiles.touch(user, now);
        await daily.subscribe(user, "07:00", ZONE);
      }),
    );
  }
  const bot = await startBot({
    env: {
      REDIS_URL: redisServer.url,
      REDIS_PREFIX: "soak",
      TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
      TELEGRAM_API_ROOT: fake.url,
      PORT: "0",
      TELEGRAM_RATE_LIMIT: "0",
      SCHEDULER_TICK_SECONDS: "1",
      FLOOD_LIMIT_PER_MINUTE: "10000",
    },
    clock,
    log: pino({ level: "warn" }),
  });
  const sample = () => {
    gc?.();
    const m = process.memoryUsage();
    return { rss: m.rss, heap: m.heapUsed, external: m.external + m.arrayBuffers };
  };
  const start = sample();
  let expected = 0;
  let msgs = 0;
  const t0 = performance.now();
  const runDay = async (d: number) => {
    now = day0.plus({ days: d, hours: 1 }).toMillis(); // 07:00 local: every subscriber due
    for (let k = 0; k < M; k++) fake.text(FIRST_ID + ((d * M + k) % N), INBOUND[(d + k) % INBOUND.length]!);
    msgs += M;
    expected += N + M; // each daily one message, each inbound at least one reply
    await until(async () => (await fake.stats()).count >= expected, 10 * 60_000, `day ${d + 1}`);
    await bot.schedule.tick();
  };
  await runDay(0);
  await new Promise((r) => setTimeout(r, 1000));
  const warm = sample();
  for (let d = 1; d < DAYS; d++) await runDay(d);
  await new Promise((r) => setTimeout(r, 1000));
  const end = sample();
  const s = await fake.stats();
  const seconds = (performance.now() - t0) / 1000;
  await bot.stop();
  // Redis after a month of use, per user: profile, subscription, history, queues' recent jobs.
  const redisBytes = (await usedMemory()) - redisEmpty;
  const { raw: families, real, expired } = await bytesByFamily(redis, "soak", DAYS * 86_400_000);
  const journal = families.get("user:journal") ?? 0;
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  // used_memory without the TTL'd keys a real month would have let expire, and without the journal.
  const realBytes = redisBytes - (sum(families) - sum(real)) - (real.get("user:journal") ?? 0);
  // The same measured: the keys a real month would have let expire deleted, used_memory read again.
  // This counts what MEMORY USAGE leaves out (each key's slot in the keyspace and expiry tables,
  // about 66 B a key), which the estimate above keeps for every expired key as well.
  for (let i = 0; i < expired.length; i += 1000) await redis.del(...expired.slice(i, i + 1000));
  await new Promise((r) => setTimeout(r, 3000)); // Redis shrinks its tables and client buffers in its cron
  const measuredBytes = (await usedMemory()) - redisEmpty - (real.get("user:journal") ?? 0);

  const perDay = (end.rss - warm.rss) / Math.max(1, DAYS - 1);
  console.log(
    `soak benchmark (${CORES} cores, ${process.version}, gc ${gc ? "forced before each sample" : "NOT exposed: run with --expose-gc"})`,
  );
  console.log(
    `  method: ${N} daily subscribers for ${DAYS} simulated days (bot clock moved a day at a time) through startBot and the`,
  );
  console.log(
    `          fake Bot API in a child process, plus ${M} inbound messages a day; ${s.count} messages sent in ${seconds.toFixed(0)} s.`,
  );
  console.log(
    `  RSS: ${mb(start.rss)} MB at start, ${mb(warm.rss)} MB after the warm-up day (baseline), ${mb(end.rss)} MB after ${DAYS} days`,
  );
  console.log(
    `  heap used: ${mb(start.heap)} MB at start, ${mb(warm.heap)} MB after the warm-up day, ${mb(end.heap)} MB after ${DAYS} days`,
  );
  console.log(
    `  external + array buffers: ${mb(warm.external)} MB after the warm-up day, ${mb(end.external)} MB after ${DAYS} days`,
  );
  console.log(
    `  growth after warm-up: RSS ${mb(end.rss - warm.rss)} MB (${(perDay / 1024).toFixed(0)} KB per simulated day; ratio ${(end.rss / warm.rss).toFixed(2)}), heap ${mb(end.heap - warm.heap)} MB`,
  );
  console.log(`  ${msgs} inbound messages, ${N * DAYS} daily deliveries`);
  console.log(
    `  Redis after the run: ${mb(redisBytes)} MB in all, ${(redisBytes / N).toFixed(0)} B per user (profile, subscription, conversation state, reminders, dedup marks, the queues' kept jobs)`,
  );
  console.log(`  Redis per user without the journal's text: ${((redisBytes - journal) / N).toFixed(0)} B as stored`);
  console.log(`  the same as a real-time month would hold it (keys with a TTL at min(1, TTL / ${DAYS} days)):`);
  console.log(
    `    estimated by MEMORY USAGE: ${(realBytes / N).toFixed(0)} B per user (keeps the expired keys' own overhead)`,
  );
  console.log(
    `    measured, ${expired.length} such keys deleted: ${(measuredBytes / N).toFixed(0)} B per user (goal <= 1200 B at 10,000 users or more)`,
  );
  console.log(
    `  outside every key's MEMORY USAGE (the keyspace's tables, expiry entries, scripts, buffers): ${((redisBytes - sum(families)) / N).toFixed(0)} B per user`,
  );
  console.log(`  by key family (MEMORY USAGE, B per user as stored / real-time; the keyspace's tables are not in it):`);
  const total = sum(real);
  for (const [k, v] of [...real].sort((a, b) => b[1] - a[1])) {
    if (v / N < 0.5) continue;
    const stored = ((families.get(k) ?? 0) / N).toFixed(1).padStart(8);
    console.log(
      `    ${k.padEnd(26)} ${stored} ${(v / N).toFixed(1).padStart(8)}  ${((100 * v) / total).toFixed(1).padStart(5)}%`,
    );
  }
  console.log(
    `RESULT ${JSON.stringify({ n: N, days: DAYS, inboundPerDay: M, sent: s.count, rssStart: start.rss, rssWarm: warm.rss, rssEnd: end.rss, heapWarm: warm.heap, heapEnd: end.heap, externalWarm: warm.external, externalEnd: end.external, redisBytesPerUser: redisBytes / N, redisBytesPerUserNoJournal: (redisBytes - journal) / N, redisBytesPerUserRealTime: realBytes / N, redisBytesPerUserRealTimeMeasured: measuredBytes / N })}`,
  );
} finally {
  redis.disconnect();
  fake.stop();
  redisServer.stop();
}
process.exit(0);

/** The family of a key: the part for a user's keys, the first name after the prefix otherwise. */
export function familyOf(key: string, prefix: string): string {
  const rest = key.slice(prefix.length + 1);
  const user = /^\{u:[^}]*\}:(\w+)/.exec(rest);
  if (user) return `user:${user[1]}`;
  if (rest.startsWith("{q}:sent:")) return "send guards {q}";
  if (rest.startsWith("{q}:")) return `bullmq ${rest.split(":")[1]}`;
  if (rest.startsWith("{sched}:")) return `schedule ${rest.split(":")[1]}`;
  return rest.split(":").slice(0, 2).join(":").replace(/:\d+$/, "");
}

/**
 * Bytes by key family over every key under `prefix` (SCAN, then MEMORY USAGE ... SAMPLES 0), as
 * stored (`raw`) and as a real-time run would hold them (`real`): the bot's clock runs days in
 * minutes but Redis expires keys on its own clock, so a key with a TTL (send guards, dedup marks,
 * flood counters, conversation state) is counted at the share that would still be alive after
 * `spanMs` of real time with writes spread evenly: min(1, TTL / span). `expired`: a random share
 * of those keys, 1 - min(1, TTL / span) of them, that a real-time run would no longer hold.
 */
type Families = { raw: Map<string, number>; real: Map<string, number>; expired: string[] };

async function bytesByFamily(redis: Redis, prefix: string, spanMs: number): Promise<Families> {
  const raw = new Map<string, number>();
  const real = new Map<string, number>();
  const expired: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 2000);
    cursor = next;
    const [sizes, ttls] = await Promise.all([
      Promise.all(found.map((k) => redis.memory("USAGE", k, "SAMPLES", 0))),
      Promise.all(found.map((k) => redis.pttl(k))),
    ]);
    found.forEach((k, i) => {
      const f = k.startsWith(`${prefix}:dd:`) ? "dedup marks" : familyOf(k, prefix);
      const bytes = Number(sizes[i] ?? 0);
      const ttl = ttls[i]!;
      raw.set(f, (raw.get(f) ?? 0) + bytes);
      real.set(f, (real.get(f) ?? 0) + (ttl > 0 ? bytes * Math.min(1, ttl / spanMs) : bytes));
      if (ttl > 0 && Math.random() >= Math.min(1, ttl / spanMs)) expired.push(k);
    });
  } while (cursor !== "0");
  return { raw, real, expired };
}
