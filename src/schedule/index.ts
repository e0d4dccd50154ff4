// The schedule, assembled: the due index, daily subscriptions, the delivery queues and operator
// broadcasts (the ports the core uses, ready as soon as this is built), then, once the channels
// run, the delivery workers and the ticker that claims due entries and hands them to the queues
// (`start`). app.ts builds one per process; every process ticks and every process delivers.
import cron, { type ScheduledTask } from "node-cron";
import type { RedisClient } from "../store/redis.js";
import type { Clock } from "../core/clock.js";
import type { DeliveryFailure, Sender } from "../core/ports/delivery.js";
import type { DueItem } from "../core/ports/schedule.js";
import type { Profiles } from "../core/ports/state.js";
import type { ChannelName, Reply, UserKey } from "../core/types.js";
import { userRef, type Logger } from "../log.js";
import type { Keys } from "../store/keys.js";
import { dropSubscribersIndex } from "../store/daily-subscribers.js";
import { Broadcasts, BROADCAST_KIND } from "./broadcast.js";
import { Daily } from "./daily.js";
import { jobIdKeySource, type JobIdKey } from "./jobids.js";
import { DeliveryQueues } from "./queues.js";
import { DAILY_PREFIX, DueIndex } from "./store.js";
import { DeliveryWorkers } from "./workers.js";

export interface ScheduleOptions {
  /** The schedule's own connection (auto-pipelined); closed by `stop()`. */
  redis: RedisClient;
  keys: Keys;
  profiles: Profiles;
  clock: Clock;
  log: Logger;
  defaultTimezone: string;
  /** The channels this deployment runs: a broadcast to "all" goes to these. */
  channels: readonly ChannelName[];
  /** Upcoming items a user may have (the one limit; the flows tell users this figure). */
  maxPerUser: number;
  tickSeconds: number;
  /** Claimed per Lua call ("a few hundred"). */
  batchSize?: number;
  leaseMs?: number;
  /** The ticker stops claiming while more than this many jobs wait in the queues. */
  maxBacklog?: number;
}

/** What delivering needs, given once the engine and the channels exist. */
export interface DeliveryWiring {
  /** The channels to deliver through, by name: one worker each. */
  senders: ReadonlyMap<ChannelName, Sender>;
  /** A connection per worker (BullMQ workers block on theirs). */
  workerConnection: () => RedisClient;
  /** Messages per second per channel; 0 or absent = no limit (benchmarks only). */
  rateLimits: Partial<Record<ChannelName, number>>;
  /** Renders an item at delivery time (the engine's renderDue). */
  render(item: DueItem): Promise<Reply[] | undefined>;
  /** Each delivery's final outcome, with its lateness in seconds (for /stats and /metrics). */
  record(user: UserKey, outcome: { status: "sent" } | DeliveryFailure, lateSeconds: number): Promise<void>;
  lockMs?: number;
  concurrency?: number;
}

export class Schedule {
  readonly index: DueIndex;
  readonly daily: Daily;
  readonly queues: DeliveryQueues;
  readonly broadcasts: Broadcasts;
  private readonly jobIdKey: () => Promise<JobIdKey>;
  private workers: DeliveryWorkers | undefined;
  private task: ScheduledTask | undefined;
  private ticking: Promise<number> | undefined;
  private stopped = false;

  constructor(private readonly o: ScheduleOptions) {
    this.index = new DueIndex(o.redis, o.keys, { now: () => o.clock.now(), maxPerUser: o.maxPerUser });
    this.jobIdKey = jobIdKeySource(o.redis, o.keys);
    this.daily = new Daily(this.index, o.profiles, o.clock, o.defaultTimezone);
    this.queues = new DeliveryQueues({ redis: o.redis, keys: o.keys, jobIdKey: this.jobIdKey });
    this.broadcasts = new Broadcasts({
      redis: o.redis,
      keys: o.keys,
      clock: o.clock,
      log: o.log,
      channels: new Set(o.channels),
      queue: (ch) => this.queues.queue(ch),
      daily: this.daily,
      jobIdKey: this.jobIdKey,
      leaseMs: o.leaseMs ?? 60_000,
    });
  }

  /**
   * The one way to stop everything proactive for a user who blocked the bot or cannot be
   * reached: the delivery workers call it on a "gone" failure, and the channels' shared
   * pipeline on a reply refused or a WhatsApp `failed` status. Idempotent: a second call finds
   * nothing left to stop.
   */
  async userUnreachable(user: UserKey, reason: string): Promise<void> {
    const daily = await this.daily.unsubscribe(user);
    const removed = await this.index.removeAllFor(user);
    this.o.log.info(
      { user: userRef(user), reason, daily, removed },
      "user unreachable: daily messages and reminders stopped",
    );
  }

  /** Removes the user's waiting delivery jobs, broadcasts' included (for /forget); returns how many. */
  async removeQueuedFor(user: UserKey): Promise<number> {
    return this.queues.removeAllFor(user, await this.broadcasts.jobIdsFor(user));
  }

  /** Starts the workers, then the ticker (node-cron, every `tickSeconds`, overlapping ticks skipped). */
  start(w: DeliveryWiring): void {
    this.workers = new DeliveryWorkers({
      redis: this.o.redis,
      workerConnection: w.workerConnection,
      keys: this.o.keys,
      senders: w.senders,
      rateLimits: w.rateLimits,
      clock: this.o.clock,
      log: this.o.log,
      concurrency: w.concurrency,
      lockMs: w.lockMs,
      jobIdKey: this.jobIdKey,
      hooks: {
        render: w.render,
        stillWanted: (item) => this.stillWanted(item),
        delivered: async (item, at) => {
          if (item.kind !== "daily" && item.kind !== BROADCAST_KIND) await this.index.markDelivered(item, at);
        },
        observe: async (item, outcome, lateSeconds) => {
          if (item.kind === BROADCAST_KIND) await this.broadcasts.observe(item, outcome);
          await w.record(item.user, outcome, lateSeconds);
        },
        gone: (item, reason) => this.userUnreachable(item.user, reason),
        nothingToSend: async (item) => {
          // A renderer with nothing to say (weekly goals for a user without goals): the item is
          // done, not upcoming forever in /reminders and in the per-user cap.
          if (item.kind !== "daily" && item.kind !== BROADCAST_KIND) await this.index.cancel(item.user, item.id);
        },
      },
    });
    this.workers.start();
    const every = Math.max(1, Math.min(59, Math.round(this.o.tickSeconds)));
    // tick() itself lets one run at a time; node-cron's own notices go to our log at debug.
    const log = this.o.log;
    // Daily members kept by older versions move into their buckets (claimed meanwhile all the
    // same), and the subscribers index they no longer need goes; both retried at the next start.
    void this.index
      .moveDailies()
      .then(async (moved) => ({ moved, dropped: await dropSubscribersIndex(this.o.redis, this.o.keys) }))
      .then(
        (n) => (n.moved || n.dropped) && log.info(n, "daily subscribers in their buckets; subscribers index dropped"),
        (err: Error) =>
          log.warn({ err: { message: err.message } }, "daily subscribers not moved; the next start retries"),
      );
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
        if ((await this.queues.backlog()) > maxBacklog) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        const claimed = await this.index.claim(this.o.clock.now(), batch, leaseMs);
        if (claimed.length === 0) break;
        const live = claimed.filter((c) => c.item.kind !== "cancelled");
        await this.queues.enqueue(live.map((c) => c.item));
        await this.queues.trackJobs(
          live.map((c) => c.item),
          this.o.clock.now(),
        );
        // Only now, with the jobs safely in the queue: drop the leases, put dailies at their next time (one call).
        const acks = await Promise.all(
          claimed.map(async (c) => {
            if (c.item.kind !== "daily") return { lease: c.lease };
            const next = await this.daily.nextAfterDelivery(c.item.user, c.item.dueAt);
            return {
              lease: c.lease,
              dailyNext: next === undefined ? undefined : { user: c.item.user, at: next },
            };
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
      (err: Error) =>
        this.o.log.warn({ err: { message: err.message } }, "broadcast fan-out step failed; will retry next tick"),
    );
  }

  /** Entries due now, leased, and jobs waiting per queue (for /stats and /metrics). */
  async depths(): Promise<Record<string, number>> {
    const d = await this.index.depth(this.o.clock.now());
    return {
      due: d.due,
      leased: d.leased,
      scheduled: d.total,
      ...(await this.queues.waiting()),
      ...(await this.broadcasts.depths()),
    };
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
    await this.workers?.close();
    await this.queues.close();
    await this.o.redis.quit().catch(() => this.o.redis.disconnect());
  }
}
