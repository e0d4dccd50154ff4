// Wiring only: config -> redis -> content -> core -> channels -> schedule -> http; graceful
// shutdown. This is the one place that constructs the world (tests call `startBot` too).
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Readable, Writable } from "node:stream";
import dotenv from "dotenv";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { ContentError, loadContent } from "./content/catalog.js";
import { type CoreServices } from "./core/context.js";
import { systemClock, type Clock } from "./core/clock.js";
import { Engine } from "./core/engine.js";
import { coreFlows } from "./core/flows/index.js";
import { createLogger, newLogSalt, setLogSalt, type Logger } from "./log.js";
import { Conversations } from "./core/ports/state.js";
import { Dedup } from "./core/ports/state.js";
import { Keys } from "./store/keys.js";
import { Profiles } from "./core/ports/state.js";
import { createFlowStores } from "./store/flowstores.js";
import { connectRedis, connectRedisForWorker, ensureLocalRedis, type LocalRedis, type Redis } from "./store/redis.js";
import { Turns } from "./core/ports/state.js";
import { SeenVariants } from "./core/ports/state.js";
import { TelegramChannel } from "./channels/telegram/channel.js";
import { telegramWebhook } from "./channels/telegram/webhook.js";
import { ConsoleChannel } from "./channels/console/channel.js";
import { WhatsAppChannel } from "./channels/whatsapp/channel.js";
import { WhatsAppClient } from "./channels/whatsapp/client.js";
import { WhatsAppContacts } from "./channels/whatsapp/contacts.js";
import { whatsappWebhook } from "./channels/whatsapp/webhook.js";
import type { Channel } from "./channels/types.js";
import { HttpServer } from "./http/server.js";
import { healthRoutes } from "./http/health.js";
import { Operations } from "./privacy/operations.js";
import { Schedule } from "./schedule/index.js";
import { RedisDedup } from "./store/dedup.js";
import { RedisSeenVariants } from "./store/variants.js";
import { RedisConversations } from "./store/conversations.js";
import { RedisTurns } from "./store/turns.js";
import { RedisProfiles } from "./store/profiles.js";

export const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface StartOptions {
  env?: Record<string, string | undefined>;
  clock?: Clock;
  log?: Logger;
  /** Console channel streams (default: the process's stdin and stdout). */
  consoleIO?: { input: Readable; output: Writable };
  /** Called when the bot must stop by itself (console input ended, a fatal channel error). */
  onExit?: (code: number, reason: string) => void;
  messagesDir?: string;
}

export interface RunningBot {
  config: Config;
  engine: Engine;
  redis: Redis;
  keys: Keys;
  channels: Map<string, Channel>;
  /** Counters, metrics, user data and retention (tests and the delivery queues use them). */
  ops: Operations;
  schedule: Schedule;
  httpPort?: number;
  /** Set when METRICS_PORT is: /metrics is served there instead of on httpPort. */
  metricsPort?: number;
  stop(): Promise<void>;
}

export async function startBot(o: StartOptions = {}): Promise<RunningBot> {
  const config = loadConfig(o.env ?? process.env);
  const consoleOnly = config.telegram.mode === "off" && !config.whatsappEnabled;
  // In the terminal chat, logs would interleave with the conversation: only warnings by default.
  const logLevel = consoleOnly && !(o.env ?? process.env).LOG_LEVEL ? "warn" : config.LOG_LEVEL;
  const log = o.log ?? createLogger(logLevel);
  const clock = o.clock ?? systemClock;

  let localRedis: LocalRedis | undefined;
  let redisUrl = config.REDIS_URL;
  if (!redisUrl) {
    localRedis = await ensureLocalRedis(PROJECT_DIR);
    if (localRedis.status === "missing") throw new StartError(localRedis.help);
    if (localRedis.status === "started") log.warn({ dataDir: localRedis.dataDir }, "no Redis was running: started a private redis-server on 127.0.0.1:6379 (AOF on)");
    redisUrl = localRedis.url;
  }
  const redis = connectRedis(redisUrl, "bot");
  redis.on("error", (err) => log.warn({ err: { message: err.message } }, "redis connection problem"));
  try {
    await redis.ping();
  } catch {
    redis.disconnect();
    throw new StartError(`Cannot reach Redis at the configured REDIS_URL. Is it running?`);
  }

  const keys = new Keys(config.REDIS_PREFIX);
  // A per-deployment key for hashing user ids in logs, kept in Redis so logs correlate across restarts.
  await redis.set(keys.meta("logsalt"), newLogSalt(), "NX");
  setLogSalt((await redis.get(keys.meta("logsalt"))) ?? "");

  const content = loadContent(o.messagesDir ?? path.join(PROJECT_DIR, "messages"), config.DEFAULT_LOCALE);
  const services: CoreServices & { dedup: Dedup } = {
    content,
    profiles: new RedisProfiles(redis, keys),
    conversations: new RedisConversations(redis, keys, config.CONVERSATION_TTL_HOURS * 3600),
    turns: new RedisTurns(redis, keys),
    seen: new RedisSeenVariants(redis, keys),
    dedup: new RedisDedup(redis, keys),
    clock,
    defaultTimezone: config.DEFAULT_TIMEZONE,
    adminIds: new Set(config.ADMIN_IDS),
    maxMessageChars: config.MAX_MESSAGE_CHARS,
    ext: {},
  };
  // Privacy and operator tools: /mydata, /forget, /privacy, /stats, /metrics, flood limit, retention.
  // Built first: it puts retentionMonths in ext, which the flow stores read.
  const ops = new Operations({ redis, keys, clock, config, services, content, log });
  services.ext.flowStores = createFlowStores(redis, keys, (services.ext.retentionMonths as number | undefined) ?? 12);
  const engine = new Engine(services, coreFlows, log, ops.engineOptions());

  const channels = new Map<string, Channel>();
  const limits = { maxConnections: config.HTTP_MAX_CONNECTIONS, maxBodyBytesInFlight: config.HTTP_MAX_BODY_MB_IN_FLIGHT * 1024 * 1024 };
  const http = new HttpServer(log, limits);
  const exit = (code: number, reason: string) => (o.onExit ? o.onExit(code, reason) : undefined);

  if (config.TELEGRAM_BOT_TOKEN) {
    const telegram = new TelegramChannel({
      token: config.TELEGRAM_BOT_TOKEN,
      apiRoot: config.TELEGRAM_API_ROOT,
      mode: config.telegram.mode === "webhook" ? "webhook" : "polling",
      publicUrl: config.PUBLIC_URL,
      webhookSecret: config.TELEGRAM_WEBHOOK_SECRET,
      deliveryTimeoutSeconds: config.TELEGRAM_DELIVERY_TIMEOUT_SECONDS,
      replyTimeoutSeconds: config.TELEGRAM_REPLY_TIMEOUT_SECONDS,
      engine,
      catalog: content.for(undefined),
      log,
      onFatal: (reason) => exit(1, reason),
      onGone: ops.goneHandler("telegram"),
    });
    channels.set("telegram", telegram);
    if (config.telegram.mode === "webhook") http.register(telegramWebhook({ channel: telegram, secret: config.TELEGRAM_WEBHOOK_SECRET! }));
  }
  if (config.whatsappEnabled) {
    const whatsapp = new WhatsAppChannel({
      client: new WhatsAppClient({ apiRoot: config.WHATSAPP_API_ROOT, version: config.WHATSAPP_API_VERSION, phoneNumberId: config.WHATSAPP_PHONE_NUMBER_ID!, token: config.WHATSAPP_TOKEN! }),
      contacts: new WhatsAppContacts(redis, keys),
      engine,
      catalog: content.for(undefined),
      log,
      clock,
      defaultTimezone: config.DEFAULT_TIMEZONE,
      templates: { names: { daily: config.WHATSAPP_TEMPLATE_DAILY, reminder: config.WHATSAPP_TEMPLATE_REMINDER, broadcast: config.WHATSAPP_TEMPLATE_BROADCAST, inactivity: config.WHATSAPP_TEMPLATE_INACTIVITY }, language: config.WHATSAPP_TEMPLATE_LANGUAGE },
      onGone: ops.goneHandler("whatsapp"),
      concurrency: { overall: config.WHATSAPP_INBOUND_CONCURRENCY, perBody: config.WHATSAPP_INBOUND_CONCURRENCY_PER_BODY },
    });
    channels.set("whatsapp", whatsapp);
    const secrets = { appSecret: config.WHATSAPP_APP_SECRET!, verifyToken: config.WHATSAPP_VERIFY_TOKEN!, phoneNumberId: config.WHATSAPP_PHONE_NUMBER_ID! };
    http.register(whatsappWebhook({ channel: whatsapp, log, ...secrets }));
  }
  if (consoleOnly) {
    channels.set(
      "console",
      new ConsoleChannel({
        engine,
        input: o.consoleIO?.input ?? process.stdin,
        output: o.consoleIO?.output ?? process.stdout,
        userId: "local",
        greet: "/start",
        onClose: () => exit(0, "console input ended"),
      }),
    );
  }
  // While stopping, /healthz says so too: a load balancer stops sending before the port closes.
  let stopping: Promise<void> | undefined;
  http.register(healthRoutes(redis, [{ name: "running", check: async () => ({ name: "running", ok: stopping === undefined }) }]));
  // Without a token, /metrics is for loopback clients only, or on its own port (kept private).
  const metricsHttp = config.METRICS_PORT !== undefined ? new HttpServer(log, limits) : undefined;
  (metricsHttp ?? http).register(ops.metrics.routes({ token: config.METRICS_TOKEN, dedicatedPort: metricsHttp !== undefined }));
  ops.metrics.setHttpReader(() => http.stats());

  // Reminders and daily messages: services for the flows now, ticker and workers once channels run.
  const schedule = new Schedule({
    redis: connectRedis(redisUrl, "schedule", { enableAutoPipelining: true }),
    keys, clock, log, channels,
    workerConnection: () => connectRedisForWorker(redisUrl, "delivery"),
    profiles: services.profiles,
    defaultTimezone: config.DEFAULT_TIMEZONE,
    render: (item) => engine.renderDue(item),
    ext: services.ext,
    rateLimits: { telegram: config.TELEGRAM_RATE_LIMIT, whatsapp: config.WHATSAPP_RATE_LIMIT },
    tickSeconds: config.SCHEDULER_TICK_SECONDS,
    leaseMs: config.SCHEDULER_LEASE_SECONDS * 1000,
    lockMs: config.DELIVERY_LOCK_SECONDS * 1000,
  });
  Object.assign(services.ext, schedule.coreServices());

  let httpPort: number | undefined;
  let metricsPort: number | undefined;
  const wantHttp = !consoleOnly || (o.env ?? process.env).PORT !== undefined;
  if (wantHttp) httpPort = await http.listen(config.PORT);
  if (metricsHttp) metricsPort = await metricsHttp.listen(config.METRICS_PORT!);
  for (const ch of channels.values()) await ch.start();
  ops.startDailyRetention(channels);
  schedule.start();
  log.info({ channels: [...channels.keys()], httpPort }, "bot started");

  // One deadline for the whole stop: what is unfinished when it passes is abandoned (the webhooks
  // have answered 503 meanwhile, so platforms redeliver to a running process).
  const stop = () =>
    (stopping ??= (async () => {
      const deadlineSeconds = config.SHUTDOWN_TIMEOUT_SECONDS;
      const deadline = AbortSignal.timeout(deadlineSeconds * 1000);
      // The step running when the deadline passes is abandoned; those after it are started but not waited for.
      const abandoned: string[] = [];
      const step = async (name: string, work: () => Promise<unknown>) => {
        const done = work().catch((err) => log.warn({ err, step: name }, "shutdown step failed"));
        if ((await until(done, deadline)) === "late") abandoned.push(name);
      };
      log.info({ deadlineSeconds }, "stopping: finishing messages in flight");
      await step("channels", () => Promise.allSettled([...channels.values()].map((c) => c.stop(deadline))));
      // The schedule first: its last deliveries' counts are flushed by ops.stop().
      await step("schedule", () => schedule.stop());
      await step("counters", () => ops.stop());
      if (wantHttp) await step("http", () => http.close(deadline));
      if (metricsHttp) await step("metrics http", () => metricsHttp.close(deadline));
      if (deadline.aborted) redis.disconnect();
      else await step("redis", () => redis.quit().catch(() => redis.disconnect()));
      if (localRedis?.status === "started") localRedis.process.kill("SIGTERM");
      if (abandoned.length) log.warn({ deadlineSeconds, abandoned: abandoned[0], notWaitedFor: abandoned.slice(1) }, "shutdown deadline passed: abandoned what was unfinished (SHUTDOWN_TIMEOUT_SECONDS)");
      else log.info("stopped");
    })());
  return { config, engine, redis, keys, channels, ops, schedule, httpPort, metricsPort, stop };
}

/** Waits for `work`, or until `deadline` aborts, whichever comes first. */
function until(work: Promise<unknown>, deadline: AbortSignal): Promise<"done" | "late"> {
  if (deadline.aborted) return Promise.resolve("late");
  return new Promise((resolve) => {
    const late = () => resolve("late");
    deadline.addEventListener("abort", late, { once: true });
    void work.then(() => {
      deadline.removeEventListener("abort", late);
      resolve("done");
    });
  });
}

export class StartError extends Error {
  override name = "StartError";
}

async function cli(): Promise<void> {
  dotenv.config({ quiet: true });
  let bot: RunningBot | undefined;
  let exiting = false;
  const shutdown = async (code: number, reason?: string) => {
    if (exiting) return;
    exiting = true;
    if (reason && code !== 0) process.stderr.write(`${reason}\n`);
    await bot?.stop();
    process.exit(code);
  };
  try {
    bot = await startBot({ onExit: (code, reason) => void shutdown(code, reason) });
  } catch (err) {
    if (err instanceof ConfigError || err instanceof ContentError || err instanceof StartError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  process.once("SIGINT", () => void shutdown(0));
  process.once("SIGTERM", () => void shutdown(0));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void cli();
