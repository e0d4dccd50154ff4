// The operator's figures, fed from three places: the engine (each update, each rendered due
// item), the delivery workers (each delivery's final outcome) and the channels' pipeline (a
// reply refused because the user is gone). One call each updates both /stats (Redis counters,
// store/stats.ts) and /metrics (prom-client, http/metrics.ts).
import type { EngineEvent } from "../core/engine.js";
import type { DeliveryFailure } from "../core/ports/delivery.js";
import { channelOf, type UserKey } from "../core/types.js";
import type { DeliveryOutcome, Metrics } from "../http/metrics.js";
import type { Logger } from "../log.js";
import type { QueueDepthReader, Stats } from "../store/stats.js";

export class Figures {
  constructor(
    readonly stats: Stats,
    readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  /** For the engine's `observe`: metrics for everything, and inbound counts for /stats. */
  observe = (e: EngineEvent): void => {
    this.metrics.observe(e);
    if (e.type === "update" && e.outcome !== "duplicate") this.stats.inbound(e.user, e.replies);
  };

  /** One call per delivery's final outcome (the delivery workers). */
  async recordDelivery(user: UserKey, outcome: { status: "sent" } | DeliveryFailure, seconds?: number): Promise<void> {
    const channel = channelOf(user);
    this.metrics.delivery(channel, outcome.status as DeliveryOutcome, seconds);
    if (outcome.status === "sent") await this.stats.sent(channel);
    else await this.stats.failed(channel, outcome, user);
  }

  /** A reply refused because the user blocked the bot or cannot be reached: counted like a gone delivery. */
  async replyGone(user: UserKey, reason: string): Promise<void> {
    await this.stats.failed(channelOf(user), { status: "gone", reason }, user);
  }

  /** How to count what waits in the queues: one reader feeds /stats and /metrics. */
  setQueueDepthReader(read: QueueDepthReader): void {
    this.stats.setQueueDepthReader(read);
    this.metrics.setQueueDepthReader(read);
  }

  /** Writes the counts still in memory (at shutdown, after the last deliveries). */
  async flush(): Promise<void> {
    await this.stats.flush().catch((err) => this.log.warn({ err }, "stats counters not written at stop"));
  }
}
