// The delivery queues: one BullMQ queue per channel, the jobs of due items added to them (job
// ids are keyed hashes, see jobids.ts, so a replayed claim adds nothing), and each user's job
// ids remembered so /forget can take them out again. The workers that send are in workers.ts.
import { Queue, type JobsOptions } from "bullmq";
import type { RedisClient } from "../store/redis.js";
import type { DueItem } from "../core/ports/schedule.js";
import { channelOf, type ChannelName, type UserKey } from "../core/types.js";
import type { Keys } from "../store/keys.js";
import { deliveryId, type JobIdKey } from "./jobids.js";

/** Delivery job ids remembered per user for /forget (the newest; a week holds far fewer). */
export const JOBS_MAX = 500;

/** BullMQ events kept per queue (its stream, approximately trimmed). */
export const EVENTS_KEPT = 500;

export const JOB_DEFAULTS: JobsOptions = {
  attempts: 8,
  backoff: { type: "exponential", delay: 2000 },
  // A finished job is deleted at once: keeping (and later trimming) 20,000 of them cost Redis
  // 20-40% more CPU per delivery. A claim replayed after its job finished adds the job again;
  // the send guard (kept a day, workers.ts) then answers "already sent", so nothing goes out twice.
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600, count: 20_000 },
};

export interface QueueOptions {
  redis: RedisClient;
  keys: Keys;
  /** The key of the job ids (jobids.ts), read once from Redis. */
  jobIdKey: () => Promise<JobIdKey>;
}

export class DeliveryQueues {
  private readonly queues = new Map<ChannelName, Queue>();

  constructor(private readonly o: QueueOptions) {}

  queue(channel: ChannelName): Queue {
    let q = this.queues.get(channel);
    if (!q) {
      q = new Queue(`deliver-${channel}`, {
        connection: this.o.redis,
        prefix: this.o.keys.queuePrefix(),
        defaultJobOptions: JOB_DEFAULTS,
        // BullMQ keeps its last 10,000 events by default (about 0.7 MB a queue); nothing here
        // reads them (no QueueEvents), so a few for an operator's eyes are enough.
        streams: { events: { maxLen: EVENTS_KEPT } },
      });
      this.queues.set(channel, q);
    }
    return q;
  }

  /** Adds one job per item; a job id already present is ignored by BullMQ (a replayed claim). */
  async enqueue(items: readonly DueItem[]): Promise<void> {
    const by = new Map<ChannelName, DueItem[]>();
    for (const i of items) {
      const ch = channelOf(i.user);
      by.set(ch, [...(by.get(ch) ?? []), i]);
    }
    const key = await this.o.jobIdKey();
    for (const [ch, list] of by) {
      await this.queue(ch).addBulk(
        list.map((data) => ({ name: data.kind, data, opts: { jobId: deliveryId(data, key) } })),
      );
    }
  }

  /** Jobs waiting to be sent, over all queues (the ticker stops claiming when this is high). */
  async backlog(): Promise<number> {
    let n = 0;
    for (const q of this.queues.values()) n += await q.getWaitingCount();
    return n;
  }

  /**
   * Removes every delivery job recorded for the user (waiting, delayed, and finished ones that
   * BullMQ keeps a while with their data) and their send guards: for /forget. The job ids are
   * recorded per user at enqueue time (`trackJobs`), or computed (`moreIds`: broadcasts), so
   * nothing is scanned. A job being sent this very moment is locked and stays; it renders
   * nothing once the user's profile is gone.
   */
  async removeAllFor(user: UserKey, moreIds: readonly string[] = []): Promise<number> {
    const key = this.o.keys.user(user, "jobs");
    const ids = [...(await this.o.redis.zrange(key, 0, -1)), ...moreIds];
    const queue = this.queue(channelOf(user));
    // Issued together (auto-pipelined), not one round trip after another.
    const results = await Promise.all(ids.map((id) => queue.remove(id)));
    // One DEL per key: the guards and the user's list live in different Cluster slots. Guards
    // under their old name (before they moved into `{q}`) go too.
    await Promise.all(
      [key, ...ids.flatMap((id) => [this.o.keys.sent(id), this.o.keys.legacySent(id)])].map((k) => this.o.redis.del(k)),
    );
    return results.filter((n) => n === 1).length;
  }

  /** Records the job ids of just-enqueued items per user, so `removeAllFor` finds them. */
  async trackJobs(items: readonly DueItem[], now: number): Promise<void> {
    // Auto-pipelined. Ids older than any job BullMQ keeps (removeOnFail: 7 days) are pruned on
    // about one add in 16: a daily subscriber's set stays near 8 entries. The count cap holds
    // always; the ids it drops are the oldest, of jobs long finished.
    const keep = now - 8 * 86_400_000;
    const jobIdKey = await this.o.jobIdKey();
    await Promise.all(
      items.flatMap((i) => {
        const key = this.o.keys.user(i.user, "jobs");
        const add = [
          this.o.redis.zadd(key, now, deliveryId(i, jobIdKey)),
          this.o.redis.zremrangebyrank(key, 0, -(JOBS_MAX + 1)),
        ];
        return Math.random() < 1 / 16 ? [...add, this.o.redis.zremrangebyscore(key, "-inf", keep)] : add;
      }),
    );
  }

  /** Jobs waiting per channel queue. */
  async waiting(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [ch, q] of this.queues) out[`queue_${ch}`] = await q.getWaitingCount();
    return out;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
  }
}
