// GET /healthz: Redis reachable (and, once registered, the delivery queues running).
import type { Redis } from "ioredis";
import type { Route } from "./server.js";

export type HealthCheck = () => Promise<{ name: string; ok: boolean; detail?: string }>;

export function healthRoutes(redis: Redis, extra: HealthCheck[] = []): Route[] {
  return [
    {
      method: "GET",
      path: "/healthz",
      async handle() {
        const checks = [
          async () => {
            try {
              await redis.ping();
              return { name: "redis", ok: true };
            } catch {
              return { name: "redis", ok: false, detail: "unreachable" };
            }
          },
          ...extra,
        ];
        const results = await Promise.all(checks.map((c) => c()));
        const ok = results.every((r) => r.ok);
        return { status: ok ? 200 : 503, contentType: "application/json", body: JSON.stringify({ ok, checks: results }) };
      },
    },
  ];
}
