// The running app's stop(), in the order its parts must stop (the composition root, app.ts, hands
// them over once they are built): the channels first, so nothing new comes in and messages in
// flight finish; the schedule; then the counters, flushed after the schedule's last deliveries;
// the HTTP servers; Redis last, and the private redis-server if this run started one. All under
// one deadline, SHUTDOWN_TIMEOUT_SECONDS (src/shutdown.ts): what is still running then is abandoned and logged.
import type { Channel } from "../channels/types.js";
import type { ChannelName } from "../core/types.js";
import type { HttpServer } from "../http/server.js";
import type { Logger } from "../log.js";
import type { Figures } from "../ops/figures.js";
import type { RetentionCron } from "../privacy/retention.js";
import type { Schedule } from "../schedule/index.js";
import { stopInOrder } from "../shutdown.js";
import type { LocalRedis, RedisClient } from "../store/redis.js";

/** What stops, as built by the composition root. */
export interface StoppableApp {
  deadlineSeconds: number;
  log: Logger;
  channels: ReadonlyMap<ChannelName, Channel>;
  schedule: Schedule;
  retention: RetentionCron;
  figures: Figures;
  /** The main server, when it listens. */
  http?: HttpServer;
  /** The server of METRICS_PORT, when set. */
  metricsHttp?: HttpServer;
  redis: RedisClient;
  localRedis?: LocalRedis;
}

/** Stops everything in order under the deadline; logs what was abandoned, if anything. */
export async function stopApp(a: StoppableApp): Promise<void> {
  const { deadlineSeconds, log, channels, schedule, retention, figures, http, metricsHttp, redis } = a;
  const deadline = AbortSignal.timeout(deadlineSeconds * 1000);
  log.info({ deadlineSeconds }, "stopping: finishing messages in flight");
  const abandoned = await stopInOrder(
    [
      { name: "channels", run: () => Promise.allSettled([...channels.values()].map((c) => c.stop(deadline))) },
      // The schedule before the counters: its last deliveries' counts are flushed after it.
      { name: "schedule", run: () => schedule.stop() },
      { name: "counters", run: async () => (await retention.stop(), await figures.flush()) },
      ...(http ? [{ name: "http", run: () => http.close(deadline) }] : []),
      ...(metricsHttp ? [{ name: "metrics http", run: () => metricsHttp.close(deadline) }] : []),
    ],
    deadline,
    log,
  );
  if (deadline.aborted) redis.disconnect();
  else
    abandoned.push(
      ...(await stopInOrder(
        [{ name: "redis", run: () => redis.quit().catch(() => redis.disconnect()) }],
        deadline,
        log,
      )),
    );
  if (a.localRedis?.status === "started") a.localRedis.process.kill("SIGTERM");
  if (abandoned.length)
    log.warn(
      { deadlineSeconds, abandoned: abandoned[0], notWaitedFor: abandoned.slice(1) },
      "shutdown deadline passed: abandoned what was unfinished (SHUTDOWN_TIMEOUT_SECONDS)",
    );
  else log.info("stopped");
}
