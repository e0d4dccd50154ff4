// The schedule, assembled: the due index, daily subscriptions, the delivery queues, and the
// ticker that claims due entries and hands them to the queues. main.ts builds one of these
// per process; every process ticks and every process delivers.
import cron, { type ScheduledTask } from "node-cron";
import { DateTime } from "luxon";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { TurnContext } from "../core/context.js";
import type { Clock } from "../core/clock.js";
import type { DueItem } from "../core/ports/schedule.js";
import type { ChannelName, Reply, UserKey } from "../core/types.js";
import type { Channel } from "../channels/types.js";
import { userRef } from "../log.js";
import type { Keys } from "../store/keys.js";
import type { Profiles } from "../core/ports/state.js";
import { Broadcasts, BROADCAST_KIND } from "./broadcast.js";
import { Daily } from "./daily.js";
import { Deliveries } from "./delivery.js";
import { jobIdKeySource } from "./jobids.js";
import { DAILY_PREFIX, DueIndex } from "./store.js";

export interface ScheduleOptions {
  /** The schedule's own connection (auto-pipelined); closed by `stop()`. */
  redis: Redis;
  workerConnection: () => Redis;
  keys: Keys;
  profiles: Profiles;
  clock: Clock;
  defaultTimezone: string;
  channels: ReadonlyMap<string, Channel>;
  render(item: DueItem): Promise<Reply[] | undefined>;
  /** The services' extension bag: read at call time for `recordDelivery` and `setQueueDepthReader` (privacy/operations). */
  ext?: Record<string, unknown>;
  rateLimits: Partial<Record<ChannelName, number>>;
  tickSeconds: number;
  log: Logger;
  /** Claimed per Lua call ("a few hundred"). */
  batchSize?: number;
  leaseMs?: number;
  lockMs?: number;
  /** The ticker stops claiming while more than this many jobs wait in the queues. */
  maxBacklog?: number;
  concurrency?: number;
}

export class Schedule {
  readonly index: DueIndex;
  readonly daily: Daily;
  readonly deliveries: Deliveries;
  readonly broadcasts: Broadcasts;
  private task: ScheduledTask | undefined;
  private ticking: Promise<number> | undefined;
  private stopped = false;

  constructor(private readonly o: ScheduleOptions) {
    // Without a listener ioredis prints "Unhandled error event" for every reconnect attempt
    // while Redis is away; the tick already reports its own failures.
    o.redis.on("error", (err: Error) => o.log.debug({ err: { message: err.message } }, "schedule: redis connection problem"));
    this.index = new DueIndex(o.redis, o.keys, { now: () => o.clock.now() });
    const jobIdKey = jobIdKeySource(o.redis, o.keys);
    this.daily = new Daily(this.index, o.profiles, o.clock, o.defaultTimezone);
    this.deliveries = new Deliveries({
      redis: o.redis,
      workerConnection: o.workerConnection,
      keys: o.keys,
      channels: o.channels,
      rateLimits: o.rateLimits,
      clock: o.clock,
      log: o.log,
      concurrency: o.concurrency,
      lockMs: o.lockMs,
      jobIdKey,
      hooks: {
        render: o.render,
        stillWanted: (item) => this.stillWanted(item),
        delivered: async (item, at) => {
          if (item.kind !== "daily" && item.kind !== BROADCAST_KIND) await this.index.markDelivered(item, at);
        },
        observe: async (item, outcome, lateSeconds) => {
          if (item.kind === BROADCAST_KIND) await this.broadcasts.observe(item, outcome);
          const record = o.ext?.recordDelivery as ((user: DueItem["user"], outcome: unknown, seconds?: number) => Promise<void>) | undefined;
          await record?.(item.user, outcome, lateSeconds);
        },
        gone: (item, reason) => this.userUnreachable(item.user, reason),
        nothingToSend: async (item) => {
          // A renderer with nothing to say (weekly goals for a user without goals): the item is
          // done, not upcoming forever in /reminders and in the per-user cap.
          if (item.kind !== "daily" && item.kind !== BROADCAST_KIND) await this.index.cancel(item.user, item.id);
        },
      },
    });
    this.broadcasts = new Broadcasts({
      redis: o.redis, keys: o.keys, clock: o.clock, log: o.log,
      channels: new Set([...o.channels.keys()] as ChannelName[]),
      queue: (ch) => this.deliveries.queue(ch),
      daily: this.daily,
      jobIdKey,
      leaseMs: o.leaseMs ?? 60_000,
    });
  }

  /**
   * The one way to stop everything proactive for a user who blocked the bot or cannot be
   * reached: the delivery worker calls it on a "gone" failure, and the channels' `onGone`
   * (a reply refused, a WhatsApp `failed` status) reach it through `ext.userUnreachable`.
   * Idempotent: a second call finds nothing left to stop.
   */
  async userUnreachable(user: UserKey, reason: string): Promise<void> {
    const daily = await this.daily.unsubscribe(user);
    const removed = await this.index.removeAllFor(user);
    this.o.log.info({ user: userRef(user), reason, daily, removed }, "user unreachable: daily messages and reminders stopped");
  }

  /** What the core's flows reach through `services.ext` (see core/ports.ts). */
  coreServices(): Record<string, unknown> {
    return {
      scheduler: this.index,
      daily: this.daily,
      broadcasts: this.broadcasts,
      userUnreachable: (user: UserKey, reason: string) => this.userUnreachable(user, reason),
      queuedDeliveries: { removeAllFor: async (user: UserKey) => this.deliveries.removeAllFor(user, await this.broadcasts.jobIdsFor(user)) },
      // The crisis flow's "check in with me tomorrow": same local time, the next day.
      scheduleCheckin: async (ctx: TurnContext) => {
        const dueAt = DateTime.fromMillis(ctx.now, { zone: ctx.timezone }).plus({ days: 1 }).toMillis();
        await this.index.add({ user: ctx.user, kind: "checkin", dueAt });
      },
    };
  }

  /** Starts the workers, then the ticker (node-cron, every `tickSeconds`, overlapping ticks skipped). */
  start(): void {
    this.deliveries.startWorkers();
    const register = this.o.ext?.setQueueDepthReader as ((read: () => Promise<Record<string, number>>) => void) | undefined;
    register?.(() => this.depths());
    const every = Math.max(1, Math.min(59, Math.round(this.o.tickSeconds)));
    // tick() itself lets one run at a time; node-cron's own notices go to our log at debug.
    const log = this.o.log;
    // The subscribers set came after the first subscribers: fill it once per deployment.
    void this.index.backfillSubscribers().catch((err: Error) => log.warn({ err: { message: err.message } }, "subscribers index not backfilled; /broadcast and /stats may miss older subscribers"));
    this.task = cron.schedule(`*/${every} * * * * *`, () => this.tick().then(() => this.stepBroadcast()), {
      name: "schedule-tick",
      suppressMissedWarning: true,
      logger: {
        info: (m) => log.debug(`node-cron: ${m}`),
        warn: (m) => log.debug(`node-cron: ${m}`),
        debug: (m) => log.debug(`node-cron: ${String(m)}`),
        error: (m, err) => log.warn({ err }, `node-cron: ${String(m)}`),
      },
    });
  }

  /**
   * Claims what is due (in batches, while the queues are not backed up), enqueues it, and acks.
   * Returns how many entries were handed to the queues. Safe to call from several processes.
   */
  tick(): Promise<number> {
    // One tick at a time per process; a second call waits for the running one.
    this.ticking ??= this.runTick().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async runTick(): Promise<number> {
    const batch = this.o.batchSize ?? 300;
    const leaseMs = this.o.leaseMs ?? 60_000;
    const maxBacklog = this.o.maxBacklog ?? 5000;
    // Keep going for most of one tick interval at most, so ticks do not pile up.
    const budgetEnd = Date.now() + Math.max(500, this.o.tickSeconds * 800);
    let handed = 0;
    try {
      while (!this.stopped && Date.now() < budgetEnd) {
        if ((await this.deliveries.backlog()) > maxBacklog) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        const claimed = await this.index.claim(this.o.clock.now(), batch, leaseMs);
        if (claimed.length === 0) break;
        const live = claimed.filter((c) => c.item.kind !== "cancelled");
        await this.deliveries.enqueue(live.map((c) => c.item));
        await this.deliveries.trackJobs(live.map((c) => c.item), this.o.clock.now());
        // Only now, with the jobs safely in the queue: drop the leases, put dailies at their next time (one call).
        const acks = await Promise.all(
          claimed.map(async (c) => {
            if (c.item.kind !== "daily") return { lease: c.lease };
            const next = await this.daily.nextAfterDelivery(c.item.user, c.item.dueAt);
            return { lease: c.lease, dailyNext: next === undefined ? undefined : { member: DAILY_PREFIX + c.item.user, at: next } };
          }),
        );
        await this.index.ackAll(acks);
        handed += live.length;
        if (claimed.length < batch) break;
      }
    } catch (err) {
      // Leases taken in this tick expire and are claimed again; nothing is lost.
      this.o.log.warn({ err: { message: (err as Error).message } }, "schedule tick failed; will retry next tick");
    }
    return handed;
  }

  /** Continues an operator broadcast's fan-out, after the tick so that due items go first. */
  private stepBroadcast(): Promise<void> {
    return this.broadcasts.step(Math.max(500, this.o.tickSeconds * 800)).then(
      () => undefined,
      (err: Error) => this.o.log.warn({ err: { message: err.message } }, "broadcast fan-out step failed; will retry next tick"),
    );
  }

  /** Entries due now, leased, and jobs waiting per queue (for /stats and /metrics). */
  async depths(): Promise<Record<string, number>> {
    const d = await this.index.depth(this.o.clock.now());
    return { due: d.due, leased: d.leased, scheduled: d.total, ...(await this.deliveries.waiting()), ...(await this.broadcasts.depths()) };
  }

  private async stillWanted(item: DueItem): Promise<boolean> {
    if (item.kind === BROADCAST_KIND) return this.broadcasts.stillWanted(item);
    if (item.kind === "daily") return (await this.daily.status(item.user)) !== undefined;
    const stored = await this.index.stored(item.id);
    return stored !== undefined && stored.dueAt === item.dueAt && stored.deliveredAt === undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.task?.stop();
    await this.ticking?.catch(() => undefined);
    await this.broadcasts.stop();
    await this.deliveries.close();
    await this.o.redis.quit().catch(() => this.o.redis.disconnect());
  }
}
