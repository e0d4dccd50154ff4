// Starts a private redis-server on a free port for the suite (vitest project "redis"), unless
// REDIS_URL is given. The project "cluster" starts a Redis Cluster instead (cluster.ts).
// Tests never flush a database: each one works under its own key prefix and deletes it after.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

let server: ChildProcess | undefined;
let dir: string | undefined;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startRedisServer(port: number, dataDir: string, extra: string[] = []): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", dataDir, "--save", "", "--appendonly", "no", ...extra],
    {
      stdio: "ignore",
    },
  );
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((r) => {
      const c = net.connect(port, "127.0.0.1");
      c.once("connect", () => (c.destroy(), r(true)));
      c.once("error", () => r(false));
    });
    if (ok) return child;
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("redis-server did not start");
}

export default async function setup(project: TestProject) {
  let url = process.env.REDIS_URL;
  if (!url) {
    dir = mkdtempSync(path.join(os.tmpdir(), "bb-redis-"));
    const port = await freePort();
    server = await startRedisServer(port, dir);
    url = `redis://127.0.0.1:${port}`;
  }
  project.provide("redisUrl", url);
  project.provide("redisMode", "single");
  project.provide("clusterNodes", "");
  return async () => {
    server?.kill("SIGTERM");
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
