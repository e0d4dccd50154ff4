// Accuracy of the rate limit: N deliveries due at once with TELEGRAM_RATE_LIMIT=R (default 30),
// the whole road as in capacity.ts. Measures the delivered rate (first->last message, and the
// busiest sliding second) against R, and checks that no user got a message twice.
//
//   npx tsx bench/schedule/accuracy.ts [R=30] [N=900]
import pino from "pino";
import { startBot } from "../../src/app.js";
import { Keys } from "../../src/store/keys.js";
import { FAKE_TOKEN } from "../../test/fakes/telegram.js";
import { Redis } from "ioredis";
import { CORES, FakeChild, privateRedis, seedReminders, until } from "./lib.js";

const R = Number(process.argv[2] ?? 30);
const N = Number(process.argv[3] ?? 900);

const redisServer = await privateRedis();
const fake = await FakeChild.start();
const redis = new Redis(redisServer.url);
try {
  await seedReminders(redis, new Keys("acc"), N, 2_000_000, Date.now());
  const bot = await startBot({
    env: {
      REDIS_URL: redisServer.url,
      REDIS_PREFIX: "acc",
      TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
      TELEGRAM_API_ROOT: fake.url,
      PORT: "0",
      TELEGRAM_RATE_LIMIT: String(R),
      SCHEDULER_TICK_SECONDS: "1",
    },
    log: pino({ level: "warn" }),
  });
  await until(async () => (await fake.stats()).count >= N, 10 * 60_000, "every delivery");
  await new Promise((r) => setTimeout(r, 2000));
  const s = await fake.stats();
  await bot.stop();

  const rate = (s.count - 1) / ((s.last - s.first) / 1000);
  // The busiest 1-second window anywhere in the run (what a platform's per-second limit sees).
  const t = [...s.times].sort((a, b) => a - b);
  let busiest = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i]! - t[j]! >= 1000) j++;
    busiest = Math.max(busiest, i - j + 1);
  }
  const err = ((rate - R) / R) * 100;
  console.log(`schedule rate-limit accuracy benchmark (${CORES} cores, ${process.version})`);
  console.log(`  method: ${N} reminders due at once; one bot process with TELEGRAM_RATE_LIMIT=${R} (BullMQ limiter,`);
  console.log(
    `          smoothed to bursts of ${Math.max(1, Math.round(R / 10))}); sendMessage arrival times recorded by the fake Bot API.`,
  );
  console.log(`  delivered: ${s.count} messages to ${s.unique} users, ${s.twice} users twice`);
  console.log(
    `  measured rate: ${rate.toFixed(2)} msg/s over ${((s.last - s.first) / 1000).toFixed(1)} s (baseline: the configured ${R}/s; ratio ${(rate / R).toFixed(3)}, ${err >= 0 ? "+" : ""}${err.toFixed(1)}%)`,
  );
  console.log(`  busiest sliding second: ${busiest} messages`);
  console.log(
    `  within 5%: ${Math.abs(err) <= 5 ? "yes" : "NO"}; none twice: ${s.twice === 0 && s.count === N ? "yes" : "NO"}`,
  );
} finally {
  redis.disconnect();
  fake.stop();
  redisServer.stop();
}
process.exit(0);
