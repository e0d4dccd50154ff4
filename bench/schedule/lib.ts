// Shared pieces of the schedule benchmarks: a private redis-server, the fake Bot API in a child
// process, seeding due entries in bulk, and a baseline of plain sequential sendMessage calls.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Api } from "grammy";
import { Redis } from "ioredis";
import { FAKE_TOKEN } from "../../test/fakes/telegram.js";
import { freePort, startRedisServer } from "../../test/setup/global.js";
import type { Keys } from "../../src/store/keys.js";

export const CORES = os.cpus().length;

export async function privateRedis(): Promise<{ url: string; stop(): void }> {
  // bench/run.ts gives each benchmark a fresh server of its own and removes it afterwards.
  if (process.env.BENCH_REDIS_URL) return { url: process.env.BENCH_REDIS_URL, stop: () => undefined };
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "bb-bench-"));
  const server = await startRedisServer(port, dir, ["--maxmemory-policy", "noeviction"]);
  return { url: `redis://127.0.0.1:${port}`, stop: () => void server.kill("SIGTERM") };
}

export interface Stats {
  count: number;
  unique: number;
  twice: number;
  first: number;
  last: number;
  times: number[];
  /** CPU time the fake Bot API process has used so far. */
  cpuMs: number;
}

export class FakeChild {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
  ) {}
  static async start(): Promise<FakeChild> {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "fake-child.ts")], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const url = await new Promise<string>((resolve) =>
      child.on("message", (m: { type: string; url: string }) => m.type === "ready" && resolve(m.url)),
    );
    return new FakeChild(url, child);
  }
  private ask<T>(type: string): Promise<T> {
    return new Promise((resolve) => {
      const on = (m: { type: string }) => {
        if (m.type !== type) return;
        this.child.off("message", on);
        resolve(m as T);
      };
      this.child.on("message", on);
      this.child.send({ type });
    });
  }
  /** Queues an inbound text from `user` on the fake's getUpdates. */
  text(user: number, text: string): void {
    this.child.send({ type: "text", user, text });
  }
  stats(): Promise<Stats> {
    return this.ask<Stats>("stats");
  }
  async reset(): Promise<void> {
    await this.ask("reset");
  }
  stop(): void {
    this.child.kill("SIGTERM");
  }
}

/** N users (ids from `first`), each with a profile and a reminder due at `dueAt`, written in pipelines. */
export async function seedReminders(redis: Redis, keys: Keys, n: number, first: number, dueAt: number): Promise<void> {
  for (let i = 0; i < n; i += 1000) {
    const p = redis.pipeline();
    for (let j = i; j < Math.min(n, i + 1000); j++) {
      const user = `telegram:${first + j}` as const;
      const id = `b${(first + j).toString(36)}`;
      p.hset(keys.user(user, "profile"), "createdAt", dueAt, "lastSeenAt", dueAt);
      p.hset(
        keys.sched("items"),
        id,
        JSON.stringify({ id, user, kind: "reminder", dueAt, text: "send the CV to Acme" }),
      );
      p.zadd(keys.sched("due"), dueAt, id);
      p.sadd(keys.user(user, "sched"), id);
    }
    await p.exec();
  }
}

/** The baseline: plain sequential sendMessage calls (grammY, keep-alive) to the same fake. */
export async function sequentialBaseline(url: string, n: number): Promise<number> {
  const api = new Api(FAKE_TOKEN, { apiRoot: url });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await api.sendMessage(1, "baseline");
  return n / ((performance.now() - t0) / 1000);
}

export async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Commands Redis has processed so far, by command (INFO commandstats), and their total. */
export async function redisCommands(redis: Redis): Promise<Map<string, number>> {
  const info = await redis.info("commandstats");
  const out = new Map<string, number>();
  for (const m of info.matchAll(/cmdstat_([^:]+):calls=(\d+)/g)) out.set(m[1]!, Number(m[2]));
  out.set(
    "total",
    [...out.values()].reduce((a, b) => a + b, 0),
  );
  return out;
}

/** Commands per message between two `redisCommands` readings, the busiest first. */
export function commandsPer(before: Map<string, number>, after: Map<string, number>, n: number): string {
  const rows = [...after].map(([k, v]) => [k, (v - (before.get(k) ?? 0)) / n] as const).filter(([, v]) => v >= 0.05);
  return rows
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(", ");
}

/** CPU seconds Redis has used so far (user + sys, from INFO cpu). */
export async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info("cpu");
  const f = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)![1]);
  return f("used_cpu_user") + f("used_cpu_sys");
}

export interface Floor {
  /** CPU of this process and of Redis per delivered message, µs. */
  perMsg: { process: number; redis: number; total: number };
  rate: number;
  /** Redis commands per message, by command. */
  commands: string;
}

/**
 * The floor (issue 14.4): a bare BullMQ worker (no guard, no render, no engine) posting each job
 * as a sendMessage over a keep-alive node:http Agent to the same fake, with the same 500 jobs in
 * flight and finished jobs removed at once, as the bot's queue does. CPU per message of this
 * process and of Redis, measured from the bulk add to the last answer: what the bot cannot go
 * below with BullMQ and HTTP on this machine.
 */
export async function floorBaseline(redisUrl: string, fakeUrl: string, n: number): Promise<Floor> {
  const { Queue, Worker } = await import("bullmq");
  const http = await import("node:http");
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64 });
  const target = new URL(`${fakeUrl}/bot${FAKE_TOKEN}/sendMessage`);
  const post = (body: string) =>
    new Promise<void>((resolve, reject) => {
      const headers = { "content-type": "application/json", "content-length": Buffer.byteLength(body) };
      const req = http.request(target, { method: "POST", agent, headers }, (res) => {
        res.on("data", () => undefined);
        res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on("error", reject);
      req.end(body);
    });
  const conn = () => new Redis(redisUrl, { maxRetriesPerRequest: null });
  const [qc, wc, probe] = [conn(), conn(), new Redis(redisUrl)];
  const defaultJobOptions = { removeOnComplete: true, removeOnFail: true };
  const queue = new Queue("floor", { connection: qc, prefix: "floor", defaultJobOptions });
  let done = 0;
  let finished!: () => void;
  const all = new Promise<void>((r) => (finished = r));
  const cpu0 = process.cpuUsage();
  const redis0 = await redisCpuSeconds(probe);
  const cmd0 = await redisCommands(probe);
  const t0 = performance.now();
  for (let i = 0; i < n; i += 1000) {
    const jobs = Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({
      user: 1_000_000 + i + j,
      text: "send the CV to Acme",
    }));
    await queue.addBulk(jobs.map((data) => ({ name: "m", data })));
  }
  const worker = new Worker(
    "floor",
    async (job) => {
      await post(JSON.stringify({ chat_id: job.data.user, text: job.data.text }));
      if (++done === n) finished();
    },
    { connection: wc, prefix: "floor", concurrency: 500 },
  );
  await all;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const redis = ((await redisCpuSeconds(probe)) - redis0) * 1e6;
  const commands = commandsPer(cmd0, await redisCommands(probe), n);
  await worker.close();
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  for (const c of [qc, wc, probe]) c.disconnect();
  agent.destroy();
  const proc = (cpu.user + cpu.system) / n;
  return { perMsg: { process: proc, redis: redis / n, total: proc + redis / n }, rate: n / seconds, commands };
}
