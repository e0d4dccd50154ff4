// Reaching Redis when the bot starts (the composition root, app.ts, calls it once): which Redis
// the configuration names, or a private redis-server when none runs and none is named, and a
// bounded wait for its first answer, so a wrong address stops the start with one clear line
// instead of a client that retries for ever. Then the per-deployment log salt, kept in Redis, and
// the schedule's own connection.
import type { Config } from "../config.js";
import { newLogSalt, setLogSalt, type Logger } from "../log.js";
import type { Keys } from "../store/keys.js";
import {
  connect,
  describeTarget,
  ensureLocalRedis,
  type LocalRedis,
  type RedisClient,
  type RedisTarget,
} from "../store/redis.js";

/** The bot cannot start, for a reason told in one line (main.ts prints it, without a stack). */
export class StartError extends Error {
  override name = "StartError";
}

export interface ReachedRedis {
  /** The bot's own connection, answering. */
  redis: RedisClient;
  /** Where it is: the schedule's and the delivery workers' connections go there too. */
  target: RedisTarget;
  /** The private redis-server started for this run, if one was (stopped with the bot). */
  localRedis?: LocalRedis;
}

/** Connects to the configured Redis (or a private one) and waits, 15 s at most, for it to answer. */
export async function reachRedis(config: Config, projectDir: string, log: Logger): Promise<ReachedRedis> {
  let localRedis: LocalRedis | undefined;
  let target: RedisTarget;
  if (config.REDIS_CLUSTER_NODES) target = { kind: "cluster", seeds: config.REDIS_CLUSTER_NODES };
  else if (config.REDIS_URL) target = { kind: "single", url: config.REDIS_URL };
  else {
    localRedis = await ensureLocalRedis(projectDir);
    if (localRedis.status === "missing") throw new StartError(localRedis.help);
    if (localRedis.status === "started")
      log.warn(
        { dataDir: localRedis.dataDir },
        "no Redis was running: started a private redis-server on 127.0.0.1:6379 (AOF on)",
      );
    target = { kind: "single", url: localRedis.url };
  }
  const redis = connect(target, "bot");
  redis.on("error", (err) => log.warn({ err: { message: err.message } }, "redis connection problem"));
  // A Cluster client keeps retrying its seeds and queues commands meanwhile: bound the wait.
  let giveUp: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => (giveUp = setTimeout(() => reject(new Error("no answer")), 15_000))),
    ]);
  } catch {
    redis.disconnect();
    throw new StartError(`Cannot reach ${describeTarget(target)}. Is it running?`);
  } finally {
    clearTimeout(giveUp);
  }
  return { redis, target, localRedis };
}

/** A per-deployment key for hashing user ids in logs, kept in Redis so logs correlate across restarts. */
export async function useLogSalt(redis: RedisClient, keys: Keys): Promise<void> {
  await redis.set(keys.meta("logsalt"), newLogSalt(), "NX");
  setLogSalt((await redis.get(keys.meta("logsalt"))) ?? "");
}

/** The schedule's own connection (auto-pipelined), to the same Redis; closed by `schedule.stop()`. */
export function scheduleConnection(target: RedisTarget, log: Logger): RedisClient {
  const scheduleRedis = connect(target, "schedule");
  // Without a listener ioredis prints "Unhandled error event" for every reconnect attempt while
  // Redis is away; the schedule's tick already reports its own failures.
  scheduleRedis.on("error", (err) =>
    log.debug({ err: { message: err.message } }, "schedule: redis connection problem"),
  );
  return scheduleRedis;
}
