// What the privacy and operator tools add to each inbound message: the flood check (one Lua
// call, in the turn's first round trip), the /stats counters (SREM + HINCRBY + EXPIRE, fire and
// forget) and the metrics (prom-client counters and a histogram). Two engines over the same
// Redis and services, the app's (buildEngine) and one without flood guard and figures, driven directly (no
// platform, no HTTP) by U concurrent users in a closed loop, in alternating rounds so machine
// load hits both alike. Figures: handled/s and p50/p99 of engine.handle, and the ratio.
//
//   npx tsx bench/privacy-overhead.ts [users=50] [seconds=4] [rounds=4]
//
// Needs Redis: REDIS_URL, or 127.0.0.1:6379.
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { buildEngine } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { loadContent } from "../src/content/content.js";
import { systemClock } from "../src/core/clock.js";
import { Engine } from "../src/core/engine.js";
import { coreFlows } from "../src/core/flows/index.js";
import { Keys } from "../src/store/keys.js";
import { connectRedis } from "../src/store/redis.js";
import { deletePrefix } from "./closed-loop.js";

const USERS = Number(process.argv[2] ?? 50);
const SECONDS = Number(process.argv[3] ?? 4);
const ROUNDS = Number(process.argv[4] ?? 4);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

const prefix = `bench${Date.now().toString(36)}`;
const config = loadConfig({ REDIS_URL, REDIS_PREFIX: prefix, FLOOD_LIMIT_PER_MINUTE: "10000" });
const redis = connectRedis(REDIS_URL, "bench");
const keys = new Keys(prefix);
const log = pino({ level: "silent" });
const content = loadContent(path.resolve(import.meta.dirname, "../messages"), "en");
// As the app builds it (flood guard and figures included), and the same services without them.
const built = buildEngine({
  redis,
  keys,
  content,
  log,
  clock: systemClock,
  settings: {
    defaultTimezone: config.DEFAULT_TIMEZONE,
    adminIds: new Set(),
    maxMessageChars: config.MAX_MESSAGE_CHARS,
    retentionMonths: 12,
    inactiveMonths: 12,
  },
  conversationTtlSeconds: 3600,
  floodLimitPerMinute: config.FLOOD_LIMIT_PER_MINUTE,
  channels: ["telegram"],
  tickSeconds: 1,
});
const bare = { ...built.services, state: { ...built.services.state, flood: { check: async () => "ok" as const } } };
const engines = { "without privacy tools": new Engine(bare, coreFlows, log), "with privacy tools": built.engine };

let seq = 0;
/** The same users every run (created in a warm-up), so neither engine pays for first contacts. */
async function drive(engine: Engine, seconds = SECONDS): Promise<{ perSecond: number; p50: number; p99: number }> {
  const lat: number[] = [];
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: USERS }, async (_, i) => {
      while (performance.now() < until) {
        const t0 = performance.now();
        await engine.handle({
          channel: "telegram",
          user: `telegram:${i}`,
          updateId: `u${++seq}`,
          kind: "text",
          text: "/tip",
        });
        lat.push(performance.now() - t0);
      }
    }),
  );
  lat.sort((a, b) => a - b);
  return {
    perSecond: lat.length / seconds,
    p50: lat[Math.floor(lat.length / 2)]!,
    p99: lat[Math.floor(lat.length * 0.99)]!,
  };
}

console.log(
  `privacy overhead: ${USERS} users in a closed loop calling engine.handle("/tip"), ${SECONDS} s per run, ${ROUNDS} alternating rounds`,
);
console.log(
  `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), node ${process.version}, load average ${os.loadavg()[0]!.toFixed(2)}`,
);
for (const engine of Object.values(engines)) await drive(engine, 1); // warm-up: users exist, JIT is warm
console.log("| round | engine | handled/s | p50 ms | p99 ms |\n|---|---|---|---|---|");
const ratios: number[] = [];
for (let r = 1; r <= ROUNDS; r++) {
  const res: Record<string, number> = {};
  const order = r % 2 ? Object.entries(engines) : Object.entries(engines).reverse();
  for (const [name, engine] of order) {
    const x = await drive(engine);
    res[name] = x.perSecond;
    console.log(`| ${r} | ${name} | ${x.perSecond.toFixed(0)} | ${x.p50.toFixed(2)} | ${x.p99.toFixed(2)} |`);
  }
  ratios.push(res["with privacy tools"]! / res["without privacy tools"]!);
}
ratios.sort((a, b) => a - b);
console.log(
  `throughput ratio (with / without) per round: ${ratios.map((x) => x.toFixed(2)).join(", ")}; median ${ratios[Math.floor(ratios.length / 2)]!.toFixed(2)}`,
);
console.log(`command: npx tsx bench/privacy-overhead.ts ${USERS} ${SECONDS} ${ROUNDS}`);

// Clean up only this run's keys.
await deletePrefix(REDIS_URL, prefix);
await redis.quit();
