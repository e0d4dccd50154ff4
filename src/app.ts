// The composition root: the one place that constructs the world, once, in order. The ports
// first (state, stores, the schedule's index, daily, queues and broadcasts, user data, figures),
// then the engine over them (buildEngine: tests of the core call it too), then the channels that
// feed the engine, and last the schedule's workers, which render through the engine. main.ts
// (the CLI) and the tests start the bot with startBot; shutdown is `stop()`. What it calls but
// assembles nothing in is in app/: reaching Redis, the order of stopping, the shared understanding.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Readable, Writable } from "node:stream";
import { loadConfig, type Config } from "./config.js";
import { loadContent, type Content } from "./content/content.js";
import { systemClock, type Clock } from "./core/clock.js";
import { Engine } from "./core/engine.js";
import type { Flow } from "./core/flow.js";
import { coreFlows } from "./core/flows/index.js";
import type { CoreServices, CoreSettings } from "./core/services.js";
import type { ChannelName } from "./core/types.js";
import { consoleChannel } from "./channels/console/channel.js";
import { telegramChannel } from "./channels/telegram/channel.js";
import type { Channel, ChannelDeps } from "./channels/types.js";
import { whatsappChannel } from "./channels/whatsapp/channel.js";
import { healthRoutes } from "./http/health.js";
import { Metrics } from "./http/metrics.js";
import { HttpServer } from "./http/server.js";
import { createLogger, type Logger } from "./log.js";
import { Figures } from "./ops/figures.js";
import { inactivityNotifier } from "./privacy/notice.js";
import { RetentionCron } from "./privacy/retention.js";
import { UserData } from "./privacy/userdata.js";
import { Schedule } from "./schedule/index.js";
import { MAX_ACTIVE_PER_USER } from "./schedule/store.js";
import { RedisConversations } from "./store/conversations.js";
import { RedisDedup } from "./store/dedup.js";
import { RedisFloodGuard } from "./store/flood.js";
import { createFlowStores } from "./store/flowstores.js";
import { Keys } from "./store/keys.js";
import { RedisProfiles } from "./store/profiles.js";
import { connect, type RedisClient } from "./store/redis.js";
import { Stats } from "./store/stats.js";
import { RedisTurns } from "./store/turns.js";
import { RedisSeenVariants } from "./store/variants.js";
import type { Understanding } from "./core/understanding.js";
import { reachRedis, scheduleConnection, useLogSalt } from "./app/redis.js";
import { stopApp } from "./app/stop.js";
import { migrateIndexes } from "./store/user-index.js";
import { defaultUnderstanding } from "./app/understanding.js";

export const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** What the engine and its ports are built from: one Redis, the content, and the settings. */
export interface EngineParts {
  redis: RedisClient;
  /** The schedule's own connection (auto-pipelined), closed by `schedule.stop()`; default `redis`. */
  scheduleRedis?: RedisClient;
  keys: Keys;
  content: Content;
  clock: Clock;
  log: Logger;
  settings: Omit<CoreSettings, "reminderLimit">;
  /** Upcoming items per user: enforced by the schedule and told to users (default 50). */
  reminderLimit?: number;
  conversationTtlSeconds: number;
  floodLimitPerMinute: number;
  /** The channels this deployment runs (broadcast audiences). */
  channels: readonly ChannelName[];
  tickSeconds: number;
  leaseMs?: number;
  /** The flows the engine runs (default: all of them). */
  flows?: readonly Flow[];
  /** Process metrics (CPU, memory) in /metrics: on in the running app, off in tests of the core. */
  processMetrics?: boolean;
  /** The message reader (default: the trained model and rules, loaded once per process). */
  understanding?: Understanding;
}

export interface BuiltEngine {
  engine: Engine;
  services: CoreServices;
  schedule: Schedule;
  userData: UserData;
  figures: Figures;
}

/** The engine over real ports: what the app runs, and what tests of the core build. */
export function buildEngine(o: EngineParts): BuiltEngine {
  const { redis, keys, clock, log } = o;
  const reminderLimit = o.reminderLimit ?? MAX_ACTIVE_PER_USER;
  const profiles = new RedisProfiles(redis, keys);
  const schedule = new Schedule({
    redis: o.scheduleRedis ?? redis,
    keys,
    clock,
    log,
    profiles,
    defaultTimezone: o.settings.defaultTimezone,
    channels: o.channels,
    maxPerUser: reminderLimit,
    tickSeconds: o.tickSeconds,
    leaseMs: o.leaseMs,
  });
  const stats = new Stats(redis, keys, clock, o.settings.defaultTimezone);
  const figures = new Figures(stats, new Metrics({ processMetrics: o.processMetrics }), log);
  figures.setQueueDepthReader(() => schedule.depths());
  const seen = new RedisSeenVariants(redis, keys);
  const userData = new UserData({
    redis,
    keys,
    clock,
    seen,
    scheduler: schedule.index,
    daily: schedule.daily,
    queued: schedule,
  });
  const services: CoreServices = {
    content: o.content,
    clock,
    understanding: o.understanding ?? defaultUnderstanding(),
    state: {
      profiles,
      conversations: new RedisConversations(redis, keys, o.conversationTtlSeconds),
      turns: new RedisTurns(redis, keys, o.floodLimitPerMinute),
      seen,
      dedup: new RedisDedup(redis, keys),
      flood: new RedisFloodGuard(redis, keys, o.floodLimitPerMinute),
    },
    stores: createFlowStores(redis, keys, o.settings.retentionMonths),
    schedule: { scheduler: schedule.index, daily: schedule.daily, broadcasts: schedule.broadcasts },
    privacy: { userData, stats },
    settings: { ...o.settings, reminderLimit },
  };
  const engine = new Engine(services, o.flows ?? coreFlows, log, { observe: figures.observe });
  return { engine, services, schedule, userData, figures };
}

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

export interface RunningApp extends BuiltEngine {
  config: Config;
  redis: RedisClient;
  keys: Keys;
  channels: ReadonlyMap<ChannelName, Channel>;
  /** The daily retention run (its options hold the inactivity notice). */
  retention: RetentionCron;
  httpPort?: number;
  /** Set when METRICS_PORT is: /metrics is served there instead of on httpPort. */
  metricsPort?: number;
  stop(): Promise<void>;
}

/** Reads the configuration from the environment and starts everything. */
export function startBot(o: StartOptions = {}): Promise<RunningApp> {
  const env = o.env ?? process.env;
  return buildApp(loadConfig(env), { ...o, env });
}

/** Builds and starts the app for this configuration. */
export async function buildApp(config: Config, o: StartOptions = {}): Promise<RunningApp> {
  const env = o.env ?? process.env;
  const consoleOnly = config.channels.includes("console");
  // In the terminal chat, logs would interleave with the conversation: only warnings by default.
  const log = o.log ?? createLogger(consoleOnly && !env.LOG_LEVEL ? "warn" : config.LOG_LEVEL);
  const clock = o.clock ?? systemClock;

  const { redis, target, localRedis } = await reachRedis(config, PROJECT_DIR, log);
  const keys = new Keys(config.REDIS_PREFIX);
  await useLogSalt(redis, keys);
  // The user indexes were one set each before (store/user-index.ts): moved before anything reads them.
  await migrateIndexes(redis, keys, log);
  const content = loadContent(
    o.messagesDir ?? path.join(PROJECT_DIR, "messages"),
    config.DEFAULT_LOCALE,
    config.LOCALES,
  );
  const scheduleRedis = scheduleConnection(target, log);

  const built = buildEngine({
    redis,
    scheduleRedis,
    keys,
    content,
    clock,
    log,
    settings: {
      defaultTimezone: config.DEFAULT_TIMEZONE,
      adminIds: new Set(config.ADMIN_IDS),
      maxMessageChars: config.MAX_MESSAGE_CHARS,
      retentionMonths: config.RETENTION_MONTHS,
      inactiveMonths: config.INACTIVE_MONTHS,
    },
    conversationTtlSeconds: config.CONVERSATION_TTL_HOURS * 3600,
    floodLimitPerMinute: config.FLOOD_LIMIT_PER_MINUTE,
    channels: config.channels,
    tickSeconds: config.SCHEDULER_TICK_SECONDS,
    leaseMs: config.SCHEDULER_LEASE_SECONDS * 1000,
    processMetrics: true,
  });
  const { engine, schedule, figures, userData } = built;

  const limits = {
    maxConnections: config.HTTP_MAX_CONNECTIONS,
    maxBodyBytesInFlight: config.HTTP_MAX_BODY_MB_IN_FLIGHT * 1024 * 1024,
  };
  const http = new HttpServer(log, limits);
  const exit = (code: number, reason: string) => o.onExit?.(code, reason);
  const deps: ChannelDeps = {
    engine,
    log,
    clock,
    redis,
    keys,
    catalog: content.for(undefined),
    // A user who blocked the bot: counted, and everything proactive for them stopped (the schedule's one way).
    unreachable: async (user, reason) => {
      await figures.replyGone(user, reason);
      await schedule.userUnreachable(user, reason);
    },
    onFatal: (reason) => exit(1, reason),
  };
  const terminal = { io: o.consoleIO, onClose: () => exit(0, "console input ended") };
  // Each channel folder: config -> the channel, its routes and its rate; nothing when not configured.
  const setups = [
    telegramChannel(config, deps),
    whatsappChannel(config, deps),
    consoleChannel(config, deps, terminal),
  ].filter((x) => x !== undefined);
  const channels = new Map<ChannelName, Channel>(setups.map((x) => [x.channel.name, x.channel]));
  for (const route of setups.flatMap((x) => x.routes)) http.register(route);

  // While stopping, /healthz says so too: a load balancer stops sending before the port closes.
  let stopping: Promise<void> | undefined;
  http.register(
    healthRoutes(redis, [{ name: "running", check: async () => ({ name: "running", ok: stopping === undefined }) }]),
  );
  // Without a token, /metrics is for loopback clients only, or on its own port (kept private).
  const metricsHttp = config.METRICS_PORT !== undefined ? new HttpServer(log, limits) : undefined;
  (metricsHttp ?? http).register(
    figures.metrics.routes({ token: config.METRICS_TOKEN, dedicatedPort: metricsHttp !== undefined }),
  );
  figures.metrics.setHttpReader(() => http.stats());
  const retention = new RetentionCron(
    {
      redis,
      keys,
      userData,
      log,
      retentionMonths: config.RETENTION_MONTHS,
      inactiveMonths: config.INACTIVE_MONTHS,
      notify: inactivityNotifier({
        senders: channels,
        profiles: built.services.state.profiles,
        content,
        inactiveMonths: config.INACTIVE_MONTHS,
        log,
      }),
    },
    { clock, timezone: config.DEFAULT_TIMEZONE },
  );

  const wantHttp = !consoleOnly || env.PORT !== undefined;
  const httpPort = wantHttp ? await http.listen(config.PORT) : undefined;
  const metricsPort = metricsHttp ? await metricsHttp.listen(config.METRICS_PORT!) : undefined;
  for (const ch of channels.values()) await ch.start();
  retention.start();
  schedule.start({
    senders: channels,
    workerConnection: () => connect(target, "delivery", "worker"),
    rateLimits: Object.fromEntries(setups.map((x) => [x.channel.name, x.ratePerSecond])),
    render: (item) => engine.renderDue(item),
    record: (user, outcome, late) => figures.recordDelivery(user, outcome, late),
    lockMs: config.DELIVERY_LOCK_SECONDS * 1000,
  });
  log.info({ channels: [...channels.keys()], httpPort }, "bot started");

  const stop = () =>
    (stopping ??= stopApp({
      deadlineSeconds: config.SHUTDOWN_TIMEOUT_SECONDS,
      log,
      channels,
      schedule,
      retention,
      figures,
      http: wantHttp ? http : undefined,
      metricsHttp,
      redis,
      localRedis,
    }));
  return { ...built, config, redis, keys, channels, retention, httpPort, metricsPort, stop };
}
