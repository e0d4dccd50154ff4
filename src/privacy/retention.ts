// Retention (POPIA: keep data no longer than its purpose needs), run once a day:
// - journal entries and moods older than RETENTION_MONTHS are deleted;
// - a user silent for INACTIVE_MONTHS is told, and a week later (if still silent) forgotten
//   entirely, exactly as /forget would.
// The users index is scanned in batches, so a million users never load into memory at once.
//
// How an entry's age is read (a contract for the modules that store journal and moods):
//   sorted set -> the score is the time (ms since epoch);  stream -> the entry id's time;
//   list or hash -> each value is JSON with a time field `at`, `ts` or `createdAt` (ms or ISO).
// Values whose age cannot be read are kept (never delete what we cannot date) and counted.
// It runs every day at 03:17 in DEFAULT_TIMEZONE (`RetentionCron`), in every process; a Redis
// lock lets only one of them run it.
import cron, { type ScheduledTask } from "node-cron";
import type { RedisClient } from "../store/redis.js";
import { DateTime } from "luxon";
import type { Clock } from "../core/clock.js";
import type { UserDataService } from "../core/ports/privacy.js";
import type { UserKey } from "../core/types.js";
import { userRef, type Logger } from "../log.js";
import type { Keys } from "../store/keys.js";
import { UserIndex } from "../store/user-index.js";
import type { NoticeResult } from "./notice.js";
import { SENSITIVE_PARTS } from "./userdata.js";

/** Every day at 03:17 in DEFAULT_TIMEZONE: a quiet hour, off the round minute everyone uses. */
export const RETENTION_CRON = "17 3 * * *";

export const NOTICE_GRACE_MS = 7 * 24 * 3600 * 1000;
/** Profile field: when the inactivity notice went out. Cleared when the user writes again. */
export const NOTICE_FIELD = "inactiveNoticeAt";

export interface RetentionOptions {
  redis: RedisClient;
  keys: Keys;
  userData: Pick<UserDataService, "forget">;
  retentionMonths: number;
  inactiveMonths: number;
  /** Sends the inactivity notice. "unreachable" (blocked the bot) still starts the week's grace. */
  notify(user: UserKey): Promise<NoticeResult>;
  log: Logger;
  batchSize?: number;
}

export interface RetentionReport {
  status: "done";
  users: number;
  /** Journal and mood entries deleted for age. */
  expiredEntries: number;
  /** Entries kept because their time could not be read. */
  undated: number;
  noticesSent: number;
  forgotten: number;
  comeBack: number;
}

export async function runRetention(o: RetentionOptions, now: number): Promise<RetentionReport> {
  const report: RetentionReport = {
    status: "done",
    users: 0,
    expiredEntries: 0,
    undated: 0,
    noticesSent: 0,
    forgotten: 0,
    comeBack: 0,
  };
  const entryCutoff = DateTime.fromMillis(now, { zone: "utc" }).minus({ months: o.retentionMonths }).toMillis();
  const inactiveCutoff = DateTime.fromMillis(now, { zone: "utc" }).minus({ months: o.inactiveMonths }).toMillis();
  const index = new UserIndex(o.redis, o.keys, "users");
  for await (const batch of index.batches(o.batchSize ?? 500)) {
    const users = [...new Set(batch)];
    // One command per user, auto-pipelined (a MULTI or a pipeline would cross Cluster slots).
    const rows = await Promise.all(
      users.map((u) => o.redis.hmget(o.keys.user(u, "profile"), "lastSeenAt", NOTICE_FIELD)),
    );
    for (let i = 0; i < users.length; i++) {
      const user = users[i]!;
      const [lastSeen, noticedAt] = rows[i]!;
      report.users++;
      try {
        if (lastSeen == null) {
          // In the index without a profile (a /forget racing a first message): nothing to keep.
          await index.remove(user);
          continue;
        }
        const fate = await inactivity(
          o,
          user,
          Number(lastSeen ?? 0),
          noticedAt ? Number(noticedAt) : undefined,
          now,
          inactiveCutoff,
          report,
        );
        if (fate === "forgotten") continue;
        await expireEntries(o, user, entryCutoff, report);
      } catch (err) {
        // One user's odd data must not stop everyone else's retention.
        o.log.error({ err, user: userRef(user) }, "retention failed for one user; continuing");
      }
    }
  }
  o.log.info({ ...report }, "retention run finished");
  return report;
}

async function inactivity(
  o: RetentionOptions,
  user: UserKey,
  lastSeen: number,
  noticedAt: number | undefined,
  now: number,
  cutoff: number,
  report: RetentionReport,
): Promise<"forgotten" | "kept"> {
  if (noticedAt !== undefined) {
    if (lastSeen > noticedAt) {
      await o.redis.hdel(o.keys.user(user, "profile"), NOTICE_FIELD);
      report.comeBack++;
      return "kept";
    }
    if (now - noticedAt >= NOTICE_GRACE_MS) {
      await o.userData.forget(user);
      report.forgotten++;
      return "forgotten";
    }
    return "kept";
  }
  if (lastSeen < cutoff) {
    const sent = await o.notify(user);
    if (sent === "failed") return "kept"; // try again tomorrow; never delete without a notice attempt
    await o.redis.hset(o.keys.user(user, "profile"), NOTICE_FIELD, String(now));
    report.noticesSent++;
  }
  return "kept";
}

async function expireEntries(
  o: RetentionOptions,
  user: UserKey,
  cutoff: number,
  report: RetentionReport,
): Promise<void> {
  for (const part of SENSITIVE_PARTS) {
    const key = o.keys.user(user, part);
    const type = await o.redis.type(key);
    if (type === "zset") {
      report.expiredEntries += await o.redis.zremrangebyscore(key, "-inf", `(${cutoff}`);
    } else if (type === "stream") {
      report.expiredEntries += await o.redis.xtrim(key, "MINID", String(cutoff));
    } else if (type === "list") {
      const values = await o.redis.lrange(key, 0, -1);
      const old = new Set<string>();
      for (const v of values) {
        const at = timeOf(v);
        if (at === undefined) report.undated++;
        else if (at < cutoff) old.add(v);
      }
      for (const v of old) report.expiredEntries += await o.redis.lrem(key, 0, v);
    } else if (type === "hash") {
      const h = await o.redis.hgetall(key);
      const old: string[] = [];
      for (const [field, v] of Object.entries(h)) {
        const at = timeOf(v);
        if (at === undefined) report.undated++;
        else if (at < cutoff) old.push(field);
      }
      if (old.length) report.expiredEntries += await o.redis.hdel(key, ...old);
    } else if (type !== "none") {
      report.undated++;
    }
  }
}

/** The time of a JSON entry (`at`, `ts` or `createdAt`, in ms or ISO text), if it has one. */
export function timeOf(raw: string): number | undefined {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!v || typeof v !== "object") return undefined;
  const r = v as Record<string, unknown>;
  for (const f of ["at", "ts", "createdAt"]) {
    const x = r[f];
    if (typeof x === "number" && Number.isFinite(x)) return x;
    if (typeof x === "string") {
      const ms = /^\d+$/.test(x) ? Number(x) : Date.parse(x);
      if (Number.isFinite(ms)) return ms;
    }
  }
  return undefined;
}

/**
 * Runs retention at most once per day across every process sharing this Redis: the first
 * process to take the day's lock runs it; the others skip.
 */
export async function runRetentionOncePerDay(
  o: RetentionOptions,
  now: number,
): Promise<RetentionReport | { status: "skipped" }> {
  const day = DateTime.fromMillis(now, { zone: "utc" }).toISODate();
  const got = await o.redis.set(o.keys.meta(`retention:${day}`), String(now), "EX", 2 * 24 * 3600, "NX");
  if (got !== "OK") return { status: "skipped" };
  return runRetention(o, now);
}

/** The daily run, on node-cron; `stop` waits for a run in progress. */
export class RetentionCron {
  private task: ScheduledTask | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    readonly options: RetentionOptions,
    private readonly o: { clock: Clock; timezone: string },
  ) {}

  start(): void {
    this.task = cron.schedule(
      RETENTION_CRON,
      () => {
        this.running = runRetentionOncePerDay(this.options, this.o.clock.now()).catch((err) =>
          this.options.log.error({ err }, "retention run failed"),
        );
      },
      { timezone: this.o.timezone, name: "retention", noOverlap: true },
    );
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    await this.running;
  }
}
