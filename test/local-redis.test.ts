// `npm start` without REDIS_URL: use what answers, else start a private redis-server, else explain.
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { ensureLocalRedis, HOW_TO_GET_REDIS } from "../src/store/redis.js";
import { freePort } from "./setup/global.js";

describe("private redis-server", () => {
  it("starts one with AOF on, loopback only, data under the project folder", async () => {
    const project = mkdtempSync(path.join(os.tmpdir(), "bb-proj-"));
    const port = await freePort();
    const local = await ensureLocalRedis(project, port);
    expect(local.status).toBe("started");
    if (local.status !== "started") return;
    const redis = new Redis(local.url);
    try {
      expect(await redis.config("GET", "appendonly")).toEqual(["appendonly", "yes"]);
      expect(await redis.config("GET", "bind")).toEqual(["bind", "127.0.0.1"]);
      expect(await redis.config("GET", "maxmemory-policy")).toEqual(["maxmemory-policy", "noeviction"]);
      expect(local.dataDir).toBe(path.join(project, "data", "redis"));
      // A second start finds it answering and uses it.
      expect((await ensureLocalRedis(project, port)).status).toBe("external");
    } finally {
      redis.disconnect();
      local.process.kill("SIGTERM");
      await new Promise((r) => local.process.once("exit", r));
    }
    expect(existsSync(path.join(project, "data", "redis"))).toBe(true);
  });

  it("explains how to get Redis when there is none", async () => {
    const local = await ensureLocalRedis(mkdtempSync(path.join(os.tmpdir(), "bb-proj-")), await freePort(), {
      PATH: "/nonexistent",
    });
    expect(local).toEqual({ status: "missing", help: HOW_TO_GET_REDIS });
    expect(HOW_TO_GET_REDIS).toMatch(/apt-get install redis-server/);
    expect(HOW_TO_GET_REDIS).toMatch(/brew install redis/);
    expect(HOW_TO_GET_REDIS).toMatch(/docker run/);
  });
});
