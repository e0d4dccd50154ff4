// GET /metrics in Prometheus text format, from a registry of our own (never prom-client's
// global one, so two bots in one process, as in tests, do not collide). The engine knows
// nothing of prom-client: main.ts feeds its observer events in here.
//
// Metrics (all prefixed bb_):
//   bb_updates_total{channel,outcome}       inbound updates: handled, duplicate, limited, failed
//   bb_replies_total{channel}               replies produced for inbound updates
//   bb_update_duration_seconds{channel}     time to handle one update (histogram)
//   bb_due_rendered_total{kind,outcome}     scheduled items rendered or dropped (user gone)
//   bb_deliveries_total{channel,outcome}    proactive deliveries: sent, or the failure status
//   bb_delivery_duration_seconds{channel}   time to deliver one proactive message (histogram)
//   bb_queue_depth{queue}                   waiting deliveries, read at scrape time via a callback
//   bb_http_connections                     open connections to the HTTP server (HTTP_MAX_CONNECTIONS caps it)
//   bb_http_body_bytes_in_flight            request body bytes being read (HTTP_MAX_BODY_MB_IN_FLIGHT caps it)
import { createHash, timingSafeEqual } from "node:crypto";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { EngineEvent } from "../core/engine.js";
import type { Plugin } from "./server.js";

export type DeliveryOutcome =
  | "sent"
  | "rate_limited"
  | "gone"
  | "needs_template"
  | "transient"
  | "rejected"
  | "dropped";

export class Metrics {
  readonly registry = new Registry();
  private readonly updates: Counter<"channel" | "outcome">;
  private readonly replies: Counter<"channel">;
  private readonly updateSeconds: Histogram<"channel">;
  private readonly due: Counter<"kind" | "outcome">;
  private readonly deliveries: Counter<"channel" | "outcome">;
  private readonly deliverySeconds: Histogram<"channel">;
  private queueDepth: (() => Promise<Record<string, number>>) | undefined;
  private http: (() => Promise<{ connections: number; bodyBytesInFlight: number }>) | undefined;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.updates = new Counter({
      name: "bb_updates_total",
      help: "Inbound updates by channel and outcome",
      labelNames: ["channel", "outcome"],
      registers,
    });
    this.replies = new Counter({
      name: "bb_replies_total",
      help: "Replies produced for inbound updates",
      labelNames: ["channel"],
      registers,
    });
    this.updateSeconds = new Histogram({
      name: "bb_update_duration_seconds",
      help: "Time to handle one inbound update",
      labelNames: ["channel"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.due = new Counter({
      name: "bb_due_rendered_total",
      help: "Scheduled items rendered, or dropped because the user is gone",
      labelNames: ["kind", "outcome"],
      registers,
    });
    this.deliveries = new Counter({
      name: "bb_deliveries_total",
      help: "Proactive deliveries by channel and outcome",
      labelNames: ["channel", "outcome"],
      registers,
    });
    this.deliverySeconds = new Histogram({
      name: "bb_delivery_duration_seconds",
      help: "Time to deliver one proactive message",
      labelNames: ["channel"],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const self = this;
    new Gauge({
      name: "bb_queue_depth",
      help: "Deliveries waiting, per queue (read at scrape time)",
      labelNames: ["queue"],
      registers,
      async collect() {
        this.reset();
        const depths = await self.queueDepth?.().catch(() => undefined);
        for (const [queue, n] of Object.entries(depths ?? {})) this.set({ queue }, n);
      },
    });
    for (const [name, help, field] of [
      ["bb_http_connections", "Open connections to the HTTP server", "connections"],
      ["bb_http_body_bytes_in_flight", "Request body bytes being read over all requests", "bodyBytesInFlight"],
    ] as const) {
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          const stats = await self.http?.().catch(() => undefined);
          this.set(stats?.[field] ?? 0);
        },
      });
    }
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: "bb_" });
  }

  /** Feed for Engine's `observe` option. */
  observe = (e: EngineEvent): void => {
    if (e.type === "update") {
      this.updates.inc({ channel: e.channel, outcome: e.outcome });
      if (e.replies > 0) this.replies.inc({ channel: e.channel }, e.replies);
      if (e.outcome !== "duplicate") this.updateSeconds.observe({ channel: e.channel }, e.ms / 1000);
    } else {
      this.due.inc({ kind: e.kind, outcome: e.outcome });
    }
  };

  /** The delivery worker calls this once per delivery attempt's final outcome. */
  delivery(channel: string, outcome: DeliveryOutcome, seconds?: number): void {
    this.deliveries.inc({ channel, outcome });
    if (seconds !== undefined) this.deliverySeconds.observe({ channel }, seconds);
  }

  setQueueDepthReader(read: () => Promise<Record<string, number>>): void {
    this.queueDepth = read;
  }

  setHttpReader(read: () => Promise<{ connections: number; bodyBytesInFlight: number }>): void {
    this.http = read;
  }

  /**
   * GET /metrics. With a token, only for `Authorization: Bearer <token>` (compared in constant
   * time); without one, only for loopback clients, or anyone who reaches a dedicated metrics port.
   */
  routes(o: { token?: string; dedicatedPort?: boolean }): Plugin {
    return (app, _opts, done) => {
      app.get("/metrics", async (req, reply) => {
        const decision = metricsAccess({
          token: o.token,
          authorization: req.headers.authorization,
          remoteAddress: req.socket.remoteAddress,
          headers: req.headers,
          dedicatedPort: o.dedicatedPort ?? false,
        });
        if (decision.status === "refused")
          return reply
            .code(decision.code)
            .type("text/plain; charset=utf-8")
            .send(decision.code === 401 ? "unauthorized" : "forbidden");
        return reply
          .code(200)
          .type(this.registry.contentType)
          .send(await this.registry.metrics());
      });
      done();
    };
  }
}

export type MetricsAccess = { status: "allowed" } | { status: "refused"; code: 401 | 403 };

/**
 * Who may read /metrics. A request from loopback that carries a proxy's forwarding header came
 * from elsewhere through a proxy on this host (nginx in front of the bot): it is not local.
 */
export function metricsAccess(o: {
  token?: string;
  authorization?: string;
  remoteAddress?: string;
  headers: Record<string, string | string[] | undefined>;
  dedicatedPort: boolean;
}): MetricsAccess {
  if (o.token)
    return sameToken(o.authorization, `Bearer ${o.token}`) ? { status: "allowed" } : { status: "refused", code: 401 };
  if (o.dedicatedPort) return { status: "allowed" };
  const proxied = ["forwarded", "x-forwarded-for", "x-real-ip"].some((h) => o.headers[h] !== undefined);
  return isLoopback(o.remoteAddress) && !proxied ? { status: "allowed" } : { status: "refused", code: 403 };
}

/** 127.0.0.0/8, ::1, and IPv4-mapped 127.x (a dual-stack socket's view of an IPv4 client). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4)) return true;
  return address === "::1" || address === "0:0:0:0:0:0:0:1";
}

function sameToken(given: string | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const digest = (x: string) => createHash("sha256").update(x).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
