// Process memory (issue 14.2): the bot's resident set after start and 200 messages, beside a bare
// grammY bot with the runner answering the same 200 messages, each in a child process of its
// own, on the same fake Bot API (in this process), in the same run. "Model aside": a third child
// loads the understanding model alone and a fourth nothing at all; the model's share is the
// difference of those two, taken off the bot's figure. RSS is read after a forced GC. Every child
// runs under tsx like the benchmarks do (the compiled bot is smaller; the ratio is what counts).
//
//   npx tsx bench/rss.ts [messages=200]
import { fork, type ChildProcess } from "node:child_process";
import os from "node:os";
import { FAKE_TOKEN, FakeTelegram } from "../test/fakes/telegram.js";
import { privateRedis } from "./schedule/lib.js";

type Mode = "bare" | "bot" | "model" | "empty";
const MESSAGES = Number(process.argv[2] ?? 200);
const mb = (b: number) => (b / 1024 / 1024).toFixed(1);

interface Sample {
  rss: number;
  heap: number;
}

function sample(): Sample {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

async function child(mode: Mode, fakeUrl: string, redisUrl: string): Promise<void> {
  let stop: () => Promise<void> = async () => undefined;
  if (mode === "bare") {
    const { Bot } = await import("grammy");
    const { run } = await import("@grammyjs/runner");
    const bot = new Bot(FAKE_TOKEN, { client: { apiRoot: fakeUrl } });
    bot.on("message:text", (ctx) => ctx.reply(ctx.message.text));
    const runner = run(bot);
    stop = () => runner.stop();
  } else if (mode === "bot") {
    const pino = (await import("pino")).default;
    const { startBot } = await import("../src/app.js");
    const app = await startBot({
      env: {
        REDIS_URL: redisUrl,
        REDIS_PREFIX: "rss",
        TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
        TELEGRAM_API_ROOT: fakeUrl,
        PORT: "0",
        FLOOD_LIMIT_PER_MINUTE: "10000",
      },
      log: pino({ level: "silent" }),
    });
    stop = () => app.stop();
  } else if (mode === "model") {
    const { createUnderstanding } = await import("../src/understanding/index.js");
    const u = createUnderstanding();
    u.read("I didn't get the job");
    (globalThis as { keep?: unknown }).keep = u;
  }
  process.send!({ type: "ready" });
  process.on("message", (m: { type: string }) => {
    if (m.type === "sample") process.send!({ type: "sample", ...sample() });
    if (m.type === "stop") void stop().then(() => process.exit(0));
  });
}

function ask<T>(c: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type !== type) return;
      c.off("message", on);
      resolve(m as T);
    };
    c.on("message", on);
    if (type !== "ready") c.send({ type });
  });
}

async function measure(mode: Mode, fake: FakeTelegram, redisUrl: string): Promise<Sample> {
  const c = fork(import.meta.filename, ["child", mode, fake.url, redisUrl], {
    execArgv: ["--expose-gc", "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  await ask(c, "ready");
  if (mode === "bare" || mode === "bot") {
    const before = fake.calls.filter((x) => x.method === "sendMessage").length;
    // The real bot is sent a mix of what users write; the echo bot the same texts.
    const texts = ["/start", "/tip", "/help", "hi", "I didn't get the job", "/cancel"];
    for (let i = 0; i < MESSAGES; i++) fake.text(700_000 + (i % 50), texts[i % texts.length]!);
    const deadline = Date.now() + 120_000;
    while (fake.calls.filter((x) => x.method === "sendMessage").length - before < MESSAGES && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 500));
  const s = await ask<Sample>(c, "sample");
  c.send({ type: "stop" });
  await new Promise((r) => c.once("exit", r));
  return s;
}

if (process.argv[2] === "child") {
  await child(process.argv[3] as Mode, process.argv[4]!, process.argv[5]!);
} else {
  const redis = await privateRedis();
  const fake = await new FakeTelegram().start();
  fake.longPollMs = 50;
  try {
    const empty = await measure("empty", fake, redis.url);
    const model = await measure("model", fake, redis.url);
    const bare = await measure("bare", fake, redis.url);
    const bot = await measure("bot", fake, redis.url);
    const modelShare = Math.max(0, model.rss - empty.rss);
    const botAside = bot.rss - modelShare;
    console.log(
      `process memory benchmark (${os.cpus().length} cores, ${process.version}); RSS after a forced GC, each in its own child under tsx`,
    );
    console.log(
      `  method: start, ${MESSAGES} messages from 50 users answered, then sample; the fake Bot API in the parent`,
    );
    console.log(
      `  node + tsx, nothing loaded: ${mb(empty.rss)} MB; the understanding model alone: ${mb(model.rss)} MB (its share ${mb(modelShare)} MB)`,
    );
    console.log(`  bare grammY bot with the runner: ${mb(bare.rss)} MB (heap ${mb(bare.heap)} MB)`);
    console.log(`  the bot: ${mb(bot.rss)} MB (heap ${mb(bot.heap)} MB); the model aside ${mb(botAside)} MB`);
    console.log(
      `  ratio, model aside: ${(botAside / bare.rss).toFixed(2)}x the bare bot (goal <= 1.5x); with the model ${(bot.rss / bare.rss).toFixed(2)}x`,
    );
    // tsx and node alone hold most of either figure: the part each bot adds above them, compared too.
    const above = (botAside - empty.rss) / Math.max(1, bare.rss - empty.rss);
    console.log(
      `  above node + tsx alone: the bot (model aside) ${mb(botAside - empty.rss)} MB, the bare bot ${mb(bare.rss - empty.rss)} MB: ${above.toFixed(2)}x`,
    );
    console.log(
      `RESULT ${JSON.stringify({ empty: empty.rss, model: model.rss, bare: bare.rss, bot: bot.rss, ratioModelAside: botAside / bare.rss, ratioAboveRuntime: above })}`,
    );
  } finally {
    await fake.stop();
    redis.stop();
  }
  process.exit(0);
}
