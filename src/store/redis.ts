// Redis connections, and the private redis-server that `npm start` runs when none is there.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { Redis, type RedisOptions } from "ioredis";

export { Redis };

export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

/**
 * A connection for request/answer work. Commands fail after a short retry rather than queueing
 * for ever, so a user gets "give me a moment" while Redis restarts instead of silence; the
 * connection itself keeps reconnecting in the background.
 */
export function connectRedis(url: string, name: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: 2,
    // Commands issued in the same tick share one round trip.
    enableAutoPipelining: true,
    retryStrategy: (times) => Math.min(200 * times, 2000),
    ...extra,
  });
}

/** BullMQ workers must wait for Redis, never give up on a command (BullMQ's own requirement). */
export function connectRedisForWorker(url: string, name: string): Redis {
  return connectRedis(url, name, { maxRetriesPerRequest: null, enableReadyCheck: false });
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
export async function ensureLocalRedis(projectDir: string, port = 6379, env: NodeJS.ProcessEnv = process.env): Promise<LocalRedis> {
  const url = `redis://127.0.0.1:${port}`;
  if (await isAnswering("127.0.0.1", port)) return { status: "external", url };
  const which = spawnSync("redis-server", ["--version"], { encoding: "utf8", env });
  if (which.error || which.status !== 0) return { status: "missing", help: HOW_TO_GET_REDIS };
  const dataDir = path.join(projectDir, "data", "redis");
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(
    "redis-server",
    [
      "--port", String(port),
      "--bind", "127.0.0.1",
      "--dir", dataDir,
      "--appendonly", "yes",
      "--appendfsync", "everysec",
      "--maxmemory-policy", "noeviction",
      "--save", "",
      "--logfile", path.join(dataDir, "redis.log"),
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
