// What keeping finished jobs costs: a bare BullMQ worker (no-op processor, 500 in flight) runs
// N jobs with removeOnComplete true (what delivery.ts uses) and, as the baseline in the same
// run, { age: 1 day, count: 20,000 } (what it used before). Redis CPU per job from INFO cpu.
//
//   npx tsx bench/schedule/bullmq-retention.ts [N=40000] [rounds=2]
import { Queue, Worker, type JobsOptions } from "bullmq";
import { Redis } from "ioredis";
import { CORES, privateRedis, redisCpuSeconds } from "./lib.js";

const N = Number(process.argv[2] ?? 40_000);
const ROUNDS = Number(process.argv[3] ?? 2);

async function run(url: string, name: string, opts: JobsOptions): Promise<{ redisUs: number; rate: number }> {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  await redis.flushall();
  const q = new Queue(name, { connection: redis, prefix: "b:{q}", defaultJobOptions: opts });
  for (let i = 0; i < N; i += 300) {
    await q.addBulk(
      Array.from({ length: Math.min(300, N - i) }, (_, j) => ({
        name: "reminder",
        data: { id: `b${i + j}`, user: `telegram:${i + j}`, kind: "reminder", dueAt: 1, text: "send the CV" },
        opts: { jobId: `b${i + j}-1` },
      })),
    );
  }
  let done = 0;
  const cpu0 = await redisCpuSeconds(redis);
  const t0 = performance.now();
  const worker = new Worker(name, async () => void done++, {
    connection: new Redis(url, { maxRetriesPerRequest: null }),
    prefix: "b:{q}",
    concurrency: 500,
  });
  while (done < N) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - t0) / 1000;
  const redisUs = (((await redisCpuSeconds(redis)) - cpu0) * 1e6) / N;
  await worker.close();
  await q.close();
  redis.disconnect();
  return { redisUs, rate: N / seconds };
}

const server = await privateRedis();
try {
  console.log(`BullMQ finished-job retention benchmark (${CORES} cores, ${process.version})`);
  console.log(
    `  method: ${N} jobs added with addBulk, then one worker (no-op, concurrency 500); Redis CPU per job while processing`,
  );
  for (let r = 1; r <= ROUNDS; r++) {
    const kept = await run(server.url, `kept${r}`, { removeOnComplete: { age: 24 * 3600, count: 20_000 } });
    const removed = await run(server.url, `removed${r}`, { removeOnComplete: true });
    console.log(
      `  round ${r}: removeOnComplete true ${removed.redisUs.toFixed(0)} µs Redis CPU/job (${removed.rate.toFixed(0)} jobs/s);`,
    );
    console.log(
      `           baseline { age: 1 day, count: 20,000 } ${kept.redisUs.toFixed(0)} µs (${kept.rate.toFixed(0)} jobs/s); ratio ${(removed.redisUs / kept.redisUs).toFixed(2)}`,
    );
  }
} finally {
  server.stop();
}
process.exit(0);
