// What the inbound benchmarks share: a closed-loop run's result, its summary, the table that
// bench/run.ts reads (keep the row shape), and removing one run's keys from Redis.
import os from "node:os";
import { Redis } from "ioredis";

export interface Result {
  name: string;
  handled: number;
  perSecond: number;
  p50: number;
  p99: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** A run's figures from its per-message latencies (ms) and its length (s). */
export function summarize(name: string, latencies: number[], elapsedSeconds: number): Result {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    name,
    handled: sorted.length,
    perSecond: sorted.length / elapsedSeconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

/** Prints the machine, one row per run (the shape bench/run.ts parses) and the per-round ratios. */
export function report(o: { title: string; unit: string; results: Result[]; ratios: number[]; command: string }): void {
  console.log(o.title);
  console.log(
    `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), node ${process.version}, load average ${os.loadavg()[0]!.toFixed(2)}`,
  );
  console.log(`| bot | ${o.unit} | ${o.unit}/s | p50 ms | p99 ms |`);
  console.log("|---|---|---|---|---|");
  for (const r of o.results)
    console.log(`| ${r.name} | ${r.handled} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`);
  const sorted = [...o.ratios].sort((a, b) => a - b);
  console.log(
    `throughput ratio per round (Bounce Back / bare): ${o.ratios.map((x) => x.toFixed(2)).join(", ")}; median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)}`,
  );
  console.log(`command: ${o.command}`);
}

/** Deletes every key under `prefix` (this run's only; never a flush). */
export async function deletePrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== "0");
  redis.disconnect();
}
