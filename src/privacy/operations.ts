// The privacy and operator tools, assembled for main.ts in one call so its wiring stays a few
// lines: counters (/stats), metrics (/metrics), the user-data service (/mydata, /forget,
// /privacy), flood protection, and the daily retention run.
import cron, { type ScheduledTask } from "node-cron";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Content } from "../content/catalog.js";
import type { CoreServices } from "../core/context.js";
import type { Clock } from "../core/clock.js";
import type { EngineEvent, EngineOptions } from "../core/engine.js";
import { channelOf, platformIdOf, userKeyOf, type ChannelName, type UserKey } from "../core/types.js";
import { type Channel } from "../channels/types.js";
import { DeliveryError, type DeliveryFailure } from "../core/ports/delivery.js";
import { Metrics, type DeliveryOutcome } from "../http/metrics.js";
import { userRef } from "../log.js";
import { FloodGuard } from "../core/ports/state.js";
import type { Keys } from "../store/keys.js";
import { Stats } from "../store/stats.js";
import { runRetentionOncePerDay, type NoticeResult, type RetentionOptions } from "./retention.js";
import { UserData } from "./userdata.js";
import { RedisFloodGuard } from "../store/flood.js";

/** Every day at 03:17 in DEFAULT_TIMEZONE: a quiet hour, off the round minute everyone uses. */
export const RETENTION_CRON = "17 3 * * *";

export interface OperationsConfig {
  RETENTION_MONTHS: number;
  INACTIVE_MONTHS: number;
  FLOOD_LIMIT_PER_MINUTE: number;
  DEFAULT_TIMEZONE: string;
}

export class Operations {
  readonly stats: Stats;
  readonly metrics: Metrics;
  readonly userData: UserData;
  readonly flood: FloodGuard;
  private task: ScheduledTask | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly o: { redis: Redis; keys: Keys; clock: Clock; config: OperationsConfig; services: CoreServices; content: Content; log: Logger },
  ) {
    this.stats = new Stats(o.redis, o.keys, o.clock, o.config.DEFAULT_TIMEZONE);
    this.metrics = new Metrics({ processMetrics: true });
    this.userData = new UserData({ redis: o.redis, keys: o.keys, clock: o.clock, ext: o.services.ext });
    this.flood = new RedisFloodGuard(o.redis, o.keys, o.config.FLOOD_LIMIT_PER_MINUTE);
    Object.assign(o.services.ext, {
      userData: this.userData,
      stats: this.stats,
      retentionMonths: o.config.RETENTION_MONTHS,
      inactiveMonths: o.config.INACTIVE_MONTHS,
      // For the delivery queues: one registration feeds /stats and /metrics.
      setQueueDepthReader: (read: () => Promise<Record<string, number>>) => this.setQueueDepthReader(read),
      recordDelivery: (user: UserKey, outcome: { status: "sent" } | DeliveryFailure, seconds?: number) => this.recordDelivery(user, outcome, seconds),
    });
  }

  /** The services' extension bag (the schedule registers `scheduler` and `daily` there). */
  get ext(): Record<string, unknown> {
    return this.o.services.ext;
  }

  /** The Engine's options: metrics and counters observe it, the flood guard runs before routing. */
  engineOptions(): EngineOptions {
    return {
      flood: this.flood,
      observe: (e: EngineEvent) => {
        this.metrics.observe(e);
        if (e.type === "update" && e.outcome !== "duplicate") this.stats.inbound(e.user, e.replies);
      },
    };
  }

  setQueueDepthReader(read: () => Promise<Record<string, number>>): void {
    this.stats.setQueueDepthReader(read);
    this.metrics.setQueueDepthReader(read);
  }

  /** For the delivery worker and the channels: one call per delivery's final outcome. */
  async recordDelivery(user: UserKey, outcome: { status: "sent" } | DeliveryFailure, seconds?: number): Promise<void> {
    const channel = channelOf(user);
    this.metrics.delivery(channel, outcome.status as DeliveryOutcome, seconds);
    if (outcome.status === "sent") await this.stats.sent(channel);
    else await this.stats.failed(channel, outcome, user);
  }

  /**
   * For a channel's `onGone` (a reply refused because the user blocked the bot, a WhatsApp
   * `failed` status): counted like a gone delivery, and everything proactive for the user
   * stopped through the schedule's `ext.userUnreachable` (the same function the delivery
   * worker uses on a gone delivery).
   */
  goneHandler(channel: ChannelName) {
    return async (platformId: string, reason: string): Promise<void> => {
      const user = userKeyOf(channel, platformId);
      await this.stats.failed(channel, { status: "gone", reason }, user);
      const stop = this.o.services.ext.userUnreachable as ((user: UserKey, reason: string) => Promise<void>) | undefined;
      await stop?.(user, reason);
    };
  }

  retentionOptions(channels: ReadonlyMap<string, Channel>): RetentionOptions {
    const { redis, keys, config, content, log } = this.o;
    return {
      redis,
      keys,
      userData: this.userData,
      retentionMonths: config.RETENTION_MONTHS,
      inactiveMonths: config.INACTIVE_MONTHS,
      log,
      notify: async (user): Promise<NoticeResult> => {
        const channel = channels.get(channelOf(user));
        if (!channel) return "failed";
        const locale = (await redis.hget(keys.user(user, "profile"), "locale")) ?? undefined;
        const t = content.for(locale);
        try {
          await channel.send(platformIdOf(user), [{ kind: "text", text: t.text("privacy.inactive_notice", { inactive: config.INACTIVE_MONTHS }) }], {
            // Outside WhatsApp's 24-hour window (always, after months of silence) only an approved
            // template may be sent: the channel maps the kind "inactivity" to its template name.
            proactive: { kind: "inactivity", params: [String(config.INACTIVE_MONTHS)] },
          });
          return "sent";
        } catch (err) {
          const failure = err instanceof DeliveryError ? err.failure : undefined;
          if (failure?.status === "gone") return "unreachable";
          if (failure?.status === "needs_template") {
            // We cannot tell them without a template; retention must still happen, so their
            // week of grace starts anyway (they can still come back by writing).
            log.warn({ user: userRef(user) }, "inactivity notice needs a WhatsApp template (kind \"inactivity\"); none configured, so the user was not told");
            return "unreachable";
          }
          log.warn({ err, user: userRef(user) }, "inactivity notice not delivered; will try again tomorrow");
          return "failed";
        }
      },
    };
  }

  /** Runs retention daily (node-cron, in every process; a Redis lock lets only one run it). */
  startDailyRetention(channels: ReadonlyMap<string, Channel>): void {
    const options = this.retentionOptions(channels);
    this.task = cron.schedule(
      RETENTION_CRON,
      () => {
        this.running = runRetentionOncePerDay(options, this.o.clock.now()).catch((err) => this.o.log.error({ err }, "retention run failed"));
      },
      { timezone: this.o.config.DEFAULT_TIMEZONE, name: "retention", noOverlap: true },
    );
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    await this.running;
    await this.stats.flush().catch((err) => this.o.log.warn({ err }, "stats counters not written at stop"));
  }
}
