// Daily fan-out: N subscribers whose daily encouragement is due at the same minute (07:00 in
// Johannesburg). Measures the time from the due instant to the last delivery job enqueued:
// the real Schedule (node-cron ticker every second, claim Lua 300 a call, BullMQ addBulk, lease
// ack and next day's time per subscriber), with no delivery workers and the backlog guard off,
// so what is timed is claiming and enqueueing alone (sending is capacity.ts's figure).
// Baseline in the same run: a bare ZADD-then-ZRANGEBYSCORE/ZREM drain of the same N members.
//
//   npx tsx bench/schedule/daily-fanout.ts [N=100000]
import { DateTime } from "luxon";
import pino from "pino";
import { Keys } from "../../src/store/keys.js";
import { Schedule } from "../../src/schedule/index.js";
import { DueIndex } from "../../src/schedule/store.js";
import { connectRedis, connectRedisForWorker } from "../../src/store/redis.js";
import type { UserKey } from "../../src/core/types.js";
import { CORES, privateRedis } from "./lib.js";
import { RedisProfiles } from "../../src/store/profiles.js";

const N = Number(process.argv[2] ?? 100_000);
const ZONE = "Africa/Johannesburg";
const dueAt = DateTime.fromISO("2026-12-01T07:00", { zone: ZONE }).toMillis();

const redisServer = await privateRedis();
const redis = connectRedis(redisServer.url, "bench", { enableAutoPipelining: true });
const keys = new Keys("fan");
// Before the minute while subscribing; then the due instant, moving with real time.
let clockStart: number | undefined;
const clock = { now: () => (clockStart === undefined ? dueAt - 60_000 : dueAt + (Date.now() - clockStart)) };
const log = pino({ level: "warn" });
try {
  const profiles = new RedisProfiles(redis, keys);
  const schedule = new Schedule({
    redis: connectRedis(redisServer.url, "schedule", { enableAutoPipelining: true }),
    keys,
    profiles,
    clock,
    log,
    defaultTimezone: ZONE,
    channels: ["telegram"],
    maxPerUser: 50,
    tickSeconds: 1,
    maxBacklog: Number.POSITIVE_INFINITY,
  });
  const seedStart = performance.now();
  const users = Array.from({ length: N }, (_, i) => `telegram:${7_000_000_000 + i}` as UserKey);
  for (let i = 0; i < N; i += 1000) {
    await Promise.all(
      users.slice(i, i + 1000).map(async (u) => {
        await profiles.touch(u, clock.now());
        await schedule.daily.subscribe(u, "07:00", ZONE);
      }),
    );
  }
  const seedS = (performance.now() - seedStart) / 1000;
  if ((await schedule.index.depth(dueAt)).due !== N) throw new Error("bench: not every subscriber is due at 07:00");

  const queue = schedule.queues.queue("telegram");
  clockStart = Date.now();
  const t0 = performance.now();
  // No senders: no delivery workers, so what is timed is claiming and enqueueing alone.
  schedule.start({
    senders: new Map(),
    workerConnection: () => connectRedisForWorker(redisServer.url, "delivery"),
    rateLimits: {},
    render: async () => undefined,
    record: async () => undefined,
  });
  let enqueued = 0;
  while (enqueued < N) {
    await new Promise((r) => setTimeout(r, 25));
    enqueued = await queue.getWaitingCount();
    if (performance.now() - t0 > 30 * 60_000) throw new Error("bench: timed out");
  }
  const fanoutS = (performance.now() - t0) / 1000;
  await schedule.stop();
  // Counted per subscriber (depth() reads the daily buckets), not per bucket head.
  const index = new DueIndex(redis, keys);
  const left = (await index.depth(dueAt)).due;
  const tomorrow = (await index.depth(dueAt + 86_400_000)).due - left;

  // Baseline: the bare sorted-set work (read 300 due members, remove them) on the same server.
  const base = "fanbase:due";
  for (let i = 0; i < N; i += 5000) {
    const p = redis.pipeline();
    for (let j = i; j < Math.min(N, i + 5000); j++) p.zadd(base, dueAt, `m${j}`);
    await p.exec();
  }
  const b0 = performance.now();
  for (;;) {
    const batch = await redis.zrangebyscore(base, "-inf", dueAt, "LIMIT", 0, 300);
    if (batch.length === 0) break;
    await redis.zrem(base, ...batch);
  }
  const baseS = (performance.now() - b0) / 1000;

  console.log(`daily fan-out benchmark (${CORES} cores, ${process.version})`);
  console.log(
    `  method: ${N} daily subscribers (Daily.subscribe, all at 07:00 ${ZONE}); the real Schedule ticker (1 s) from the`,
  );
  console.log(
    `          due instant claims (Lua, 300 a call), enqueues to BullMQ (addBulk) and acks with each next day's time;`,
  );
  console.log(`          no workers, backlog guard off: the time until the last job is in the queue.`);
  console.log(`  seeded in ${seedS.toFixed(1)} s`);
  console.log(`  due -> last enqueued: ${fanoutS.toFixed(2)} s for ${N} (${(N / fanoutS).toFixed(0)} per second)`);
  console.log(`  left due: ${left}; moved to tomorrow: ${tomorrow} (expected ${N})`);
  console.log(
    `  baseline: bare ZRANGEBYSCORE+ZREM drain of ${N} members in ${baseS.toFixed(2)} s; ratio ${(fanoutS / baseS).toFixed(1)}x`,
  );
  console.log(`RESULT ${JSON.stringify({ fanoutSeconds: fanoutS, perSecond: N / fanoutS, n: N, left, tomorrow })}`);
} finally {
  redis.disconnect();
  redisServer.stop();
}
process.exit(0);
