// GET /healthz: 200 when Redis answers (and any extra check passes), 503 otherwise. A frozen
// Redis never answers, so each check has its own time limit: the load balancer hears "unhealthy"
// within a second instead of waiting with it.
import type { RedisClient } from "../store/redis.js";
import type { Plugin } from "./server.js";

export type CheckResult = { name: string; ok: boolean; detail?: string };
export type HealthCheck = () => Promise<CheckResult>;

/** Below the one second a health check must answer in, with room for the answer itself. */
export const CHECK_TIMEOUT_MS = 750;

export function redisCheck(redis: RedisClient): HealthCheck {
  return async () => {
    try {
      await redis.ping();
      return { name: "redis", ok: true };
    } catch {
      return { name: "redis", ok: false, detail: "unreachable" };
    }
  };
}

/** Runs the check, counting one that has not answered in `ms` as failed ("no answer"). */
export async function withinTime(check: HealthCheck, name: string, ms = CHECK_TIMEOUT_MS): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ name, ok: false, detail: "no answer" }), ms);
  });
  try {
    return await Promise.race([check().catch(() => ({ name, ok: false, detail: "failed" })), late]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(redis: RedisClient, extra: { name: string; check: HealthCheck }[] = []): Plugin {
  const checks = [{ name: "redis", check: redisCheck(redis) }, ...extra];
  return (app, _opts, done) => {
    app.get("/healthz", async (_req, reply) => {
      const results = await Promise.all(checks.map((c) => withinTime(c.check, c.name)));
      const ok = results.every((r) => r.ok);
      return reply
        .code(ok ? 200 : 503)
        .type("application/json")
        .send(JSON.stringify({ ok, checks: results }));
    });
    done();
  };
}
