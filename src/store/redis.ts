// Redis connections (one Redis or a Redis Cluster, the same code either way), and the private
// redis-server that `npm start` runs when none is there.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from "ioredis";
import type { ClusterSeed } from "../config.js";

export { Cluster, Redis };

/**
 * What the stores, the schedule and BullMQ are given: a connection to one Redis or to a
 * Cluster. Both have the same command methods, scripts (`defineCommand`), MULTI and events;
 * what differs is that on a Cluster every script and MULTI must keep its keys in one hash slot
 * (see keys.ts) and a SCAN covers one node only (`mastersOf`).
 */
export type RedisClient = Redis | Cluster;

/** Where Redis is: REDIS_URL, or the seeds of REDIS_CLUSTER_NODES. */
export type RedisTarget = { kind: "single"; url: string } | { kind: "cluster"; seeds: readonly ClusterSeed[] };

export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

/**
 * The connections the app makes, by what they are for:
 * - "request": request/answer work (the bot's). Commands fail after a short retry rather than
 *   queueing for ever, so a user gets "give me a moment" while Redis restarts instead of
 *   silence; the connection itself keeps reconnecting in the background.
 * - "worker": a BullMQ worker's. It must wait for Redis and never give up on a command
 *   (BullMQ's own requirement: `maxRetriesPerRequest: null`).
 */
export type ConnectionRole = "request" | "worker";

const retryStrategy = (times: number) => Math.min(200 * times, 2000);

/** The one function that makes every Redis connection of the app, for one Redis or a Cluster. */
export function connect(target: RedisTarget, name: string, role: ConnectionRole = "request"): RedisClient {
  const perRole: RedisOptions =
    role === "worker" ? { maxRetriesPerRequest: null, enableReadyCheck: false } : { maxRetriesPerRequest: 2 };
  if (target.kind === "single") return connectRedis(target.url, name, perRole);
  return connectCluster(target.seeds, name, perRole);
}

/** A connection to one Redis (see `connect`). */
export function connectRedis(url: string, name: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: 2,
    // Commands issued in the same tick share one round trip.
    enableAutoPipelining: true,
    retryStrategy,
    ...extra,
  });
}

/** BullMQ workers must wait for Redis, never give up on a command (BullMQ's own requirement). */
export function connectRedisForWorker(url: string, name: string): Redis {
  return connectRedis(url, name, { maxRetriesPerRequest: null, enableReadyCheck: false });
}

/**
 * A Cluster client over these seeds. Reads go to masters too (`scaleReads: "master"`): the
 * schedule reads what it just wrote, and a replica may lag. Auto-pipelining groups commands
 * per node. The per-node options are those of one Redis (`connect`); while a slot's master is
 * away, ioredis retries a command through `retryDelayOnClusterDown` and `maxRedirections`
 * (about two seconds), then fails it like a single Redis's `maxRetriesPerRequest` does.
 */
export function connectCluster(
  seeds: readonly ClusterSeed[],
  name: string,
  perNode: RedisOptions = {},
  extra: ClusterOptions = {},
): Cluster {
  const { retryStrategy: _r, ...redisOptions } = perNode;
  return new Cluster(
    seeds.map((s) => ({ host: s.host, port: s.port })),
    {
      scaleReads: "master",
      enableAutoPipelining: true,
      clusterRetryStrategy: retryStrategy,
      retryDelayOnClusterDown: 200,
      retryDelayOnFailover: 200,
      maxRedirections: 16,
      redisOptions: { connectionName: name, maxRetriesPerRequest: 2, ...redisOptions },
      ...extra,
    },
  );
}

/** Every master of a Cluster (one Redis: itself): SCAN and INFO cover one node at a time. */
export function mastersOf(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes("master") : [client];
}

/** Where a connection points, for messages: never a password. */
export function describeTarget(target: RedisTarget): string {
  return target.kind === "single"
    ? "the configured REDIS_URL"
    : `the Redis Cluster at REDIS_CLUSTER_NODES (${target.seeds.map((s) => `${s.host}:${s.port}`).join(",")})`;
}

export function isAnswering(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

export type LocalRedis =
  | { status: "external"; url: string }
  | { status: "started"; url: string; process: ChildProcess; dataDir: string }
  | { status: "missing"; help: string };

export const HOW_TO_GET_REDIS = [
  "Redis is not running and redis-server is not installed. Install it, or point REDIS_URL at one:",
  "  Debian/Ubuntu:  sudo apt-get install redis-server",
  "  macOS:          brew install redis && brew services start redis",
  "  Docker:         docker run -d -p 127.0.0.1:6379:6379 redis:7 --appendonly yes",
].join("\n");

/**
 * When REDIS_URL is unset and nothing answers on 127.0.0.1:6379, runs redis-server from the
 * PATH, loopback only, AOF on, data under `<projectDir>/data/redis`.
 */
export async function ensureLocalRedis(
  projectDir: string,
  port = 6379,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LocalRedis> {
  const url = `redis://127.0.0.1:${port}`;
  if (await isAnswering("127.0.0.1", port)) return { status: "external", url };
  const which = spawnSync("redis-server", ["--version"], { encoding: "utf8", env });
  if (which.error || which.status !== 0) return { status: "missing", help: HOW_TO_GET_REDIS };
  const dataDir = path.join(projectDir, "data", "redis");
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--dir",
      dataDir,
      "--appendonly",
      "yes",
      "--appendfsync",
      "everysec",
      "--maxmemory-policy",
      "noeviction",
      "--save",
      "",
      "--logfile",
      path.join(dataDir, "redis.log"),
    ],
    { stdio: "ignore", env },
  );
  for (let i = 0; i < 50; i++) {
    if (await isAnswering("127.0.0.1", port, 200)) return { status: "started", url, process: child, dataDir };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  return { status: "missing", help: `redis-server did not start; see ${path.join(dataDir, "redis.log")}` };
}
