// The delivery workers: one per channel, with the channel's global rate limit, retries with
// backoff for what was classified as transient, Telegram's retry_after applied to the whole
// queue, and a send guard so a replayed job never sends twice. Items are rendered at delivery
// time (`render`), so what goes out is what is true then. The queues are in queues.ts.
import { DelayedError, UnrecoverableError, Worker, type Job } from "bullmq";
import type { RedisClient } from "../store/redis.js";
import type { Clock } from "../core/clock.js";
import { DeliveryError, type DeliveryFailure, type ProactiveKind, type Sender } from "../core/ports/delivery.js";
import type { DueItem } from "../core/ports/schedule.js";
import { platformIdOf, type ChannelName, type Reply } from "../core/types.js";
import { scrubSecrets, userRef, type Logger } from "../log.js";
import type { Keys } from "../store/keys.js";
import { deliveryId, type JobIdKey } from "./jobids.js";

/**
 * The proactive kind of a scheduled item: "daily" and "broadcast" are their own; every other
 * scheduled kind (reapply, follow-up, check-in, weekly goals) is reminder-like. A platform that
 * restricts proactive messages maps the kind (WhatsApp: to an approved template).
 */
export function proactiveKindOf(kind: string): ProactiveKind {
  return kind === "daily" || kind === "broadcast" ? kind : "reminder";
}

/**
 * How long the send guard is kept: far longer than any run of the same job can come after a send
 * (BullMQ's 8 tries with backoff end within about 9 minutes; a stalled job runs again after the
 * lock, 30 s; a claim replays when its lease, 60 s, runs out). A day, not a week: each guard is a
 * key, and a daily subscriber's seven of them were the largest share of Redis memory per user
 * (bench/soak.ts). What it no longer covers: an operator retrying by hand, more than a day
 * later, a failed job whose message had gone out.
 */
export const GUARD_TTL_S = 24 * 3600;
/** Guards written before the move into `{q}` were kept a week: read under their old name that long. */
const LEGACY_GUARD_TTL_S = 7 * 24 * 3600;

export type DeliveryOutcome = "sent" | "already_sent" | "cancelled" | "stale" | "dropped";

export interface DeliveryHooks {
  /** Renders at delivery time; undefined when the user is gone (/forget) or the kind unknown. */
  render(item: DueItem): Promise<Reply[] | undefined>;
  /** False when the item was cancelled or moved after it was enqueued. */
  stillWanted(item: DueItem): Promise<boolean>;
  delivered(item: DueItem, at: number): Promise<void>;
  /** The user blocked the bot or left the platform: stop everything for them. */
  gone(item: DueItem, reason: string): Promise<void>;
  /** The renderer had nothing to say (weekly goals for a user without goals): nothing was sent. */
  nothingToSend?(item: DueItem): Promise<void>;
  /** Each delivery's final outcome, with its lateness in seconds (for /stats and /metrics). */
  observe(item: DueItem, outcome: { status: "sent" } | DeliveryFailure, lateSeconds: number): Promise<void>;
}

export interface WorkerOptions {
  redis: RedisClient;
  /** A connection per worker is made from this (BullMQ workers block on theirs). */
  workerConnection: () => RedisClient;
  keys: Keys;
  /** The channels to deliver through: one worker each. */
  senders: ReadonlyMap<ChannelName, Sender>;
  /** Messages per second per channel; 0 or absent = no limit (benchmarks only). */
  rateLimits: Partial<Record<ChannelName, number>>;
  hooks: DeliveryHooks;
  /** The key of the job ids (jobids.ts), read once from Redis. */
  jobIdKey: () => Promise<JobIdKey>;
  clock: Clock;
  log: Logger;
  concurrency?: number;
  /** BullMQ lock; a worker that dies loses its jobs to another after about this long. */
  lockMs?: number;
  /** A daily message more late than this is skipped (the next one comes tomorrow). */
  dailyStaleMs?: number;
}

export class DeliveryWorkers {
  private readonly workers: Worker[] = [];
  private readonly workerConns: RedisClient[] = [];
  /** Until when guards under their old name (`legacySent`) are read too (0: never). */
  private legacyGuards: Promise<number> | undefined;

  constructor(private readonly o: WorkerOptions) {}

  start(): void {
    // Unknown (Redis away at start): read the old names too, to be safe.
    this.legacyGuards = legacyGuardsUntil(this.o.redis, this.o.keys, this.o.clock.now()).catch(() => Infinity);
    for (const [name, channel] of this.o.senders) {
      const rate = this.o.rateLimits[name] ?? 0;
      const conn = this.o.workerConnection();
      this.workerConns.push(conn);
      const run = async (job: Job<DueItem>, token?: string) => {
        const outcome = await this.process(worker, channel, job, token);
        // The job is done and removed: /forget need not find it (queues.ts trackJobs). Ids of
        // failed jobs, kept a while with their data, stay. Never fails the delivery.
        if (job.id) await this.o.redis.zrem(this.o.keys.user(job.data.user, "jobs"), job.id).catch(() => undefined);
        return outcome;
      };
      const worker: Worker = new Worker(`deliver-${name}`, run, {
        connection: conn,
        prefix: this.o.keys.queuePrefix(),
        ...limiterFor(rate, this.o.concurrency ?? 50),
        lockDuration: this.o.lockMs ?? 30_000,
        stalledInterval: this.o.lockMs ?? 30_000,
      });
      worker.on("failed", (job, err) => {
        if (!job) return;
        const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
        const level = final ? "warn" : "debug";
        this.o.log[level](
          { user: userRef(job.data.user), kind: job.data.kind, attempt: job.attemptsMade, reason: err.message },
          final ? "delivery failed for good" : "delivery failed; will retry",
        );
        // Gone and rejected were recorded where they were classified; a retried failure that ran out is recorded here.
        if (final && !(err instanceof UnrecoverableError))
          void this.observe(job.data, { status: "transient", reason: err.message });
      });
      worker.on("error", (err) =>
        this.o.log.warn({ err: { message: err.message } }, `delivery worker (${name}): redis problem`),
      );
      this.workers.push(worker);
    }
  }

  private async process(worker: Worker, channel: Sender, job: Job<DueItem>, token?: string): Promise<DeliveryOutcome> {
    const item = job.data;
    const id = job.id ?? deliveryId(item, await this.o.jobIdKey());
    const guard = this.o.keys.sent(id);
    const redis = this.o.redis;
    if (await this.alreadySent(id)) {
      // Sent, but the process may have died before recording it on the item: record it now
      // (idempotent), so a reminder does not stay "upcoming" in /reminders for ever.
      await this.o.hooks.delivered(item, this.o.clock.now());
      return "already_sent";
    }
    if (!(await this.o.hooks.stillWanted(item))) return "cancelled";
    if (item.kind === "daily" && this.o.clock.now() - item.dueAt > (this.o.dailyStaleMs ?? 6 * 3600_000))
      return "stale";
    const replies = await this.o.hooks.render(item);
    if (!replies) return "dropped";
    if (replies.length === 0) {
      // Never an empty message; the item is done.
      await this.o.hooks.nothingToSend?.(item);
      return "dropped";
    }
    // The send guard is marked just after the request is handed to the socket (setImmediate:
    // after the channel's synchronous start and its pending ticks), not before: a process that
    // dies before writing leaves no mark, so a replay sends; one that dies after the mark is
    // replayed as "already sent". Only a death in the instant between the two writes is in
    // doubt (see the Reminders section of the README, "limits").
    const sending = channel.send(platformIdOf(item.user), replies, {
      proactive: { kind: proactiveKindOf(item.kind), params: proactiveParams(item, replies) },
    });
    const mark = () => redis.set(guard, "sent", "EX", GUARD_TTL_S);
    const marked = new Promise<unknown>((resolve, reject) => setImmediate(() => mark().then(resolve, reject)));
    try {
      await sending;
    } catch (err) {
      // We know it did not go out: let a retry send it.
      await marked.catch(() => undefined);
      await redis.del(guard);
      if (!(err instanceof DeliveryError)) throw scrubbed(err);
      const f = err.failure;
      switch (f.status) {
        case "rate_limited":
          if (f.scope === "user" && token) {
            // Only this user must wait (WhatsApp 131056, 131049): delay this job alone, not the
            // queue. Not counted as an attempt; it runs again (stillWanted, stale check) later.
            await job.moveToDelayed(Date.now() + f.retryAfterMs, token);
            await redis.incr(this.o.keys.counter(`delivery_user_delayed_${channel.name}`));
            this.o.log.info(
              { user: userRef(item.user), kind: item.kind, waitMs: f.retryAfterMs },
              "delivery delayed for this user only (per-user rate limit)",
            );
            throw new DelayedError();
          }
          await worker.rateLimit(f.retryAfterMs);
          throw Worker.RateLimitError();
        case "gone":
          await this.o.hooks.gone(item, f.reason);
          await this.observe(item, f);
          await redis.incr(this.o.keys.counter(`delivery_gone_${channel.name}`));
          throw new UnrecoverableError(`${channel.name}: user gone (${f.reason}); unsubscribed`);
        case "transient":
          throw scrubbed(err);
        case "needs_template": {
          // Outside the platform's window for free messages (WhatsApp: 24 hours) with no approved
          // template for this kind: no retry can help until an operator configures one. Dropped,
          // said where (the channel names its setting), counted.
          const setting = f.setting ?? `a template for "${proactiveKindOf(item.kind)}" messages`;
          await redis.incr(this.o.keys.counter(`delivery_needs_template_${channel.name}`));
          this.o.log.warn(
            { user: userRef(item.user), kind: item.kind, setting },
            `delivery dropped: the user is outside the platform's window and no template is configured; set ${setting}`,
          );
          await this.observe(item, f);
          return "dropped";
        }
        case "rejected":
          await redis.incr(this.o.keys.counter(`delivery_rejected_${channel.name}`));
          this.o.log.error(
            { user: userRef(item.user), kind: item.kind, reason: scrubSecrets(err.message) },
            "delivery rejected by the platform: not retried",
          );
          await this.observe(item, f);
          throw new UnrecoverableError(scrubSecrets(err.message));
      }
    }
    // The mark is the guard (one write per delivery); written again only if that write failed.
    await marked.catch(mark);
    await this.o.hooks.delivered(item, this.o.clock.now());
    await this.observe(item, { status: "sent" });
    return "sent";
  }

  /** The guard, under its name in `{q}`, and for a week after the upgrade that moved it, its old one. */
  private async alreadySent(id: string): Promise<boolean> {
    const until = await (this.legacyGuards ?? 0);
    const legacy = until > this.o.clock.now() ? this.o.redis.exists(this.o.keys.legacySent(id)) : 0;
    const [now, old] = await Promise.all([this.o.redis.exists(this.o.keys.sent(id)), legacy]);
    return now + old > 0;
  }

  private async observe(item: DueItem, outcome: { status: "sent" } | DeliveryFailure): Promise<void> {
    // Counting must never fail a delivery.
    await this.o.hooks
      .observe(item, outcome, Math.max(0, (this.o.clock.now() - item.dueAt) / 1000))
      .catch((err: Error) => this.o.log.warn({ err: { message: err.message } }, "delivery outcome not recorded"));
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.close()));
    for (const c of this.workerConns) await c.quit().catch(() => c.disconnect());
  }
}

/**
 * Send guards moved into the queues' slot `{q}` (keys.ts). A deployment that ran before the move
 * may hold guards under the old name for their 7-day life: they are read as well until then.
 * The first process after the upgrade fixes the date (SET NX); a deployment that never made a
 * job id key (jobids.ts) never sent anything, and reads no old names at all.
 */
async function legacyGuardsUntil(redis: RedisClient, keys: Keys, now: number): Promise<number> {
  const name = keys.meta("guards-in-q");
  const sentBefore = (await redis.exists(keys.meta("jobidkey"))) === 1;
  await redis.set(name, String(sentBefore ? now + LEGACY_GUARD_TTL_S * 1000 : 0), "NX");
  return Number((await redis.get(name)) ?? Infinity);
}

/**
 * The rate limit as BullMQ options, smoothed: `rate` per second as bursts of about a tenth of
 * it every `duration` ms rather than one burst a second. Fewer sends are in flight at any
 * instant, which is also what narrows the crash window described in the send guard.
 */
export function limiterFor(
  rate: number,
  concurrency: number,
): { concurrency: number; limiter?: { max: number; duration: number } } {
  // No limit (benchmarks): more jobs in flight hide the Redis and HTTP round trips.
  if (rate <= 0) return { concurrency: Math.max(concurrency, 500) };
  const max = Math.max(1, Math.round(rate / 10));
  return {
    concurrency: Math.min(concurrency, Math.max(2, max * 4)),
    limiter: { max, duration: Math.round((1000 * max) / rate) },
  };
}

/**
 * What BullMQ keeps of a failure (the job's failedReason and stack, and its event stream, for
 * days): a platform's description can name the recipient, so the message is scrubbed like a log.
 */
function scrubbed(err: unknown): Error {
  return new Error(scrubSecrets(err instanceof Error ? err.message : String(err)));
}

/** Template parameters: the first line of the message, short (templates cap their variables). */
function proactiveParams(item: DueItem, replies: readonly Reply[]): string[] {
  const first = replies.find((r) => r.kind === "text");
  // A broadcast's template carries the operator's whole message (the channel flattens and caps it).
  if (item.kind === "broadcast" && first?.kind === "text") return [first.text];
  const line = first?.kind === "text" ? first.text.split("\n")[0]! : (item.text ?? "");
  return [[...line].slice(0, 200).join("")];
}
