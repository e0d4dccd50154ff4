// Operator broadcasts (/broadcast): one message to every daily subscriber of one channel or of
// all, through the same rate-limited delivery queues as daily messages.
//
// A broadcast is one hash `<prefix>:{bc}:<id>` (text, audience, status, a cursor over the
// daily subscribers, store/daily-subscribers.ts, counters); `{bc}:latest` names the newest. Every
// process's schedule tick calls `step()`, which takes a short Redis lock, scans the next few
// hundred subscribers from the stored cursor, adds one job each and only then moves the
// cursor. A process killed mid-batch leaves the cursor where it was; the next step adds the same
// batch again, and BullMQ ignores a job id it already has (`bc-<id>-<keyed hash of the user>`); a
// job run twice meets the send guard (`sent:<job id>`). The one crash window every delivery shares: docs/scheduling.md.
//
// Jobs carry no text: the renderer asks `messageFor(id)` at delivery time, so a cancelled
// broadcast's queued jobs send nothing. Their BullMQ priority puts them behind every plain job.
// The fan-out pauses while more than `maxBacklog` broadcast jobs wait, so a million subscribers
// stay in their cheap buckets, not in the queue, and a cancel leaves little to drain.
import { randomBytes } from "node:crypto";
import type { Queue } from "bullmq";
import type { RedisClient } from "../store/redis.js";
import type { Clock } from "../core/clock.js";
import {
  isActive,
  type Audience,
  type BroadcastProgress,
  type BroadcastService,
  type BroadcastStart,
} from "../core/ports/broadcast.js";
import type { DailyService, DueItem } from "../core/ports/schedule.js";
import { byChannel, channelOf, type ChannelName, type UserKey } from "../core/types.js";
import type { Logger } from "../log.js";
import type { Keys } from "../store/keys.js";
import { DailySubscribers } from "../store/daily-subscribers.js";
import { JOB_DEFAULTS } from "./queues.js";
import { broadcastStartScript, RELEASE_LOCK } from "./scripts.js";
import { broadcastJobId, type JobIdKey } from "./jobids.js";

export const BROADCAST_KIND = "broadcast";
/** Any priority puts a job behind the plain ones (BullMQ serves its wait list before its prioritized set). */
const PRIORITY = 1000;
/** Kept long after the last delivery: progress stays readable, and the text for late retries. */
const KEEP_SECONDS = 30 * 24 * 3600;

/** The hash fields progress() reads, in the order it reads them. */
const PROGRESS_FIELDS = "status audience createdAt planned enqueued sent failed skipped fanout".split(" ");

export interface BroadcastsOptions {
  redis: RedisClient;
  keys: Keys;
  clock: Clock;
  log: Logger;
  /** The channels this deployment runs: the audience "all" means these. */
  channels: ReadonlySet<ChannelName>;
  queue(channel: ChannelName): Queue;
  daily: Pick<DailyService, "status">;
  /** The key of the job ids (jobids.ts), read once from Redis. */
  jobIdKey: () => Promise<JobIdKey>;
  /** A process that dies while fanning out leaves the lock to others after this long. */
  leaseMs: number;
  /** Subscribers scanned per step of the fan-out (about: whole index buckets are read). */
  batchSize?: number;
  /** The fan-out waits while more than this many broadcast jobs wait in one queue. */
  maxBacklog?: number;
}

export class Broadcasts implements BroadcastService {
  private stepping: Promise<number> | undefined;
  private stopped = false;
  private readonly subscribers: DailySubscribers;

  constructor(private readonly o: BroadcastsOptions) {
    this.subscribers = new DailySubscribers(o.redis, o.keys);
  }

  /**
   * The job ids the user may have from recent broadcasts (for /forget): deterministic, so
   * nothing is scanned. BullMQ keeps finished jobs at most a week, and broadcasts are rare, so
   * the last `recent` broadcasts cover every job that can still exist.
   */
  async jobIdsFor(user: UserKey, recent = 20): Promise<string[]> {
    const seq = Number((await this.o.redis.get(this.o.keys.broadcast("seq"))) ?? 0);
    const key = await this.o.jobIdKey();
    const ids: string[] = [];
    for (let n = seq; n > 0 && n > seq - recent; n--) ids.push(broadcastJobId(`b${n.toString(36)}`, user, key));
    return ids;
  }

  private key(id: string): string {
    return this.o.keys.broadcast(id);
  }
  private get latestKey(): string {
    return this.o.keys.broadcast("latest");
  }

  async audienceCounts(): Promise<Partial<Record<ChannelName, number>>> {
    return this.subscribers.countByChannel(this.o.channels);
  }

  async latest(): Promise<BroadcastProgress | undefined> {
    const id = await this.o.redis.get(this.latestKey);
    return id ? this.progress(id) : undefined;
  }

  async progress(id: string): Promise<BroadcastProgress | undefined> {
    const f = await this.o.redis.hmget(this.key(id), ...PROGRESS_FIELDS);
    if (!f[0]) return undefined;
    const n = (i: number) => Number(f[i] ?? 0);
    const [enqueued, sent, failed, skipped] = [n(4), n(5), n(6), n(7)];
    const status: BroadcastProgress["status"] =
      f[0] === "cancelled"
        ? "cancelled"
        : f[8] !== "1"
          ? "queuing"
          : sent + failed + skipped >= enqueued
            ? "finished"
            : "sending";
    return { id, audience: f[1] as Audience, status, createdAt: n(2), planned: n(3), enqueued, sent, failed, skipped };
  }

  async start(input: { text: string; audience: Audience; by: UserKey; planned: number }): Promise<BroadcastStart> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const prevId = (await this.o.redis.get(this.latestKey)) ?? "";
      const prev = prevId ? await this.progress(prevId) : undefined;
      if (isActive(prev)) return { status: "busy", progress: prev };
      const id = `b${(await this.o.redis.incr(this.o.keys.broadcast("seq"))).toString(36)}`;
      const now = this.o.clock.now();
      const fields = {
        text: input.text,
        audience: input.audience,
        by: input.by,
        createdAt: now,
        planned: input.planned,
        status: "running",
        cursor: "0",
        fanout: "0",
        enqueued: 0,
        sent: 0,
        failed: 0,
        skipped: 0,
      };
      const ok = await this.o.redis.eval(
        broadcastStartScript(KEEP_SECONDS),
        2,
        this.latestKey,
        this.key(id),
        prevId,
        id,
        ...Object.entries(fields).flat().map(String),
      );
      if (ok === 1) {
        // The operator's words stay out of the log: the id, audience and size say enough.
        this.o.log.info({ broadcast: id, audience: input.audience, planned: input.planned }, "broadcast started");
        return { status: "started", progress: (await this.progress(id))! };
      }
      // Another operator started one at the same instant: look again.
    }
    const latest = await this.latest();
    if (latest) return { status: "busy", progress: latest };
    throw new Error("broadcast.start: the latest broadcast keeps changing; try again");
  }

  async cancel(id: string): Promise<BroadcastProgress | undefined> {
    const p = await this.progress(id);
    if (!p) return undefined;
    if (p.status !== "cancelled") {
      await this.o.redis.hset(this.key(id), { status: "cancelled", cancelledAt: this.o.clock.now() });
      this.o.log.info({ broadcast: id, enqueued: p.enqueued, sent: p.sent }, "broadcast cancelled");
    }
    return this.progress(id);
  }

  async messageFor(id: string): Promise<string | undefined> {
    const [status, text] = await this.o.redis.hmget(this.key(id), "status", "text");
    return status === "running" && text ? text : undefined;
  }

  // --- delivery hooks (src/schedule/index.ts) -----------------------------------------------

  /** At delivery time: still running, and the user still a subscriber who has not paused. */
  async stillWanted(item: DueItem): Promise<boolean> {
    const id = item.data?.broadcast;
    if (!id) return false;
    if ((await this.o.redis.hget(this.key(id), "status")) !== "running") return false;
    const sub = await this.o.daily.status(item.user);
    if (sub && !sub.pausedUntil) return true;
    await this.o.redis.hincrby(this.key(id), "skipped", 1);
    return false;
  }

  /** Each delivery's final outcome, counted on the broadcast for its progress. */
  async observe(item: DueItem, outcome: { status: string }): Promise<void> {
    const id = item.data?.broadcast;
    if (id) await this.o.redis.hincrby(this.key(id), outcome.status === "sent" ? "sent" : "failed", 1);
  }

  /** Broadcast jobs waiting per queue (for /stats and /metrics: `broadcast_<channel>`). */
  async depths(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const ch of this.o.channels) out[`broadcast_${ch}`] = await this.o.queue(ch).getPrioritizedCount();
    return out;
  }

  // --- the fan-out ------------------------------------------------------------------------------

  /**
   * Continues the latest broadcast's fan-out for at most `budgetMs`; returns how many jobs it
   * added. Safe to call from every process at once: one holds the lock, the others return 0.
   */
  step(budgetMs: number): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    this.stepping ??= this.runStep(budgetMs).finally(() => (this.stepping = undefined));
    return this.stepping;
  }

  private async runStep(budgetMs: number): Promise<number> {
    const { redis, keys } = this.o;
    const id = await redis.get(this.latestKey);
    if (!id) return 0;
    const key = this.key(id);
    const [status, fanout] = await redis.hmget(key, "status", "fanout");
    if (status !== "running" || fanout === "1") return 0;
    const lock = keys.broadcast(`${id}:lock`);
    const token = randomBytes(8).toString("hex");
    if (!(await redis.set(lock, token, "PX", this.o.leaseMs, "NX"))) return 0;
    const batch = this.o.batchSize ?? 500;
    const maxBacklog = this.o.maxBacklog ?? 2000;
    const end = Date.now() + budgetMs;
    let added = 0;
    try {
      while (!this.stopped && Date.now() < end) {
        const [st, fo, cursor, audience, createdAt] = await redis.hmget(
          key,
          "status",
          "fanout",
          "cursor",
          "audience",
          "createdAt",
        );
        if (st !== "running" || fo === "1") break;
        const channels = [...this.o.channels].filter((c) => audience === "all" || audience === c);
        if (await this.backedUp(channels, maxBacklog)) {
          await new Promise((r) => setTimeout(r, 50));
          await redis.pexpire(lock, this.o.leaseMs);
          continue;
        }
        const [next, members] = await this.subscribers.scan(cursor ?? "0", batch);
        const users = members.filter((u) => channels.includes(channelOf(u)));
        await this.enqueue(id, Number(createdAt), users);
        // Only now, with the jobs safely queued, does the cursor move.
        const done = next === "0";
        await redis
          .multi()
          .hset(key, { cursor: next, ...(done ? { fanout: "1", fanoutAt: this.o.clock.now() } : {}) })
          .hincrby(key, "enqueued", users.length)
          .pexpire(lock, this.o.leaseMs)
          .exec();
        added += users.length;
        if (done) {
          this.o.log.info({ broadcast: id }, "broadcast fully queued");
          break;
        }
      }
    } finally {
      await redis.eval(RELEASE_LOCK, 1, lock, token).catch(() => undefined);
    }
    return added;
  }

  private async backedUp(channels: readonly ChannelName[], max: number): Promise<boolean> {
    for (const ch of channels) if ((await this.o.queue(ch).getPrioritizedCount()) > max) return true;
    return false;
  }

  private async enqueue(id: string, createdAt: number, users: readonly UserKey[]): Promise<void> {
    const key = await this.o.jobIdKey();
    for (const [ch, list] of byChannel(users)) {
      const jobs = list.map((user) => {
        const jobId = broadcastJobId(id, user, key);
        const data: DueItem = { id: jobId, user, kind: BROADCAST_KIND, dueAt: createdAt, data: { broadcast: id } };
        return { name: BROADCAST_KIND, data, opts: { ...JOB_DEFAULTS, jobId, priority: PRIORITY } };
      });
      await this.o.queue(ch).addBulk(jobs);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.stepping?.catch(() => undefined);
  }
}
