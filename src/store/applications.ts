// What the user logged about their search: applications, interviews, rejections, offers.
//
// Three keys per user, written together by one script so they never disagree:
// - `apps`: the log, a sorted set scored by time, capped at APPS_MAX (the oldest entries go);
// - `appcounts`: a hash of totals per kind, so "12 applications so far" is a counter, not a read
//   of the log (a user who logged 100,000 events made every message cost 0.5 s and stalled Redis);
// - `applied`: the times of applications alone, capped likewise, so "this week" and the streak of
//   weeks are ZCOUNTs over a range (logarithmic), never a scan.
// Totals keep counting past the cap: only the detail of the oldest entries is dropped.
//
// Applications as records (issue 13) add two keys in the same slot, written by RECORD (application-scripts.ts)
// together with the counters, so the counts are the records' own:
// - `apprecs`: a hash, `r:<id>` -> the record (JSON), and `n:<company, folded>` -> the id of the
//   newest record for that company ("I got an interview at Shoprite" finds it in one HGET);
// - `apps`: the ids scored by when each was last updated, for paging and for the cap (the
//   record untouched longest goes first). The same key held the event log before the records,
//   so what counts "the user's applications" (/privacy, /mydata) counts the records.
// `appcounts` counts, per stage, the records that ever reached it (a stage set twice counts
// once; a deleted record is taken out); `applied` holds `rec:<id>` at the date applied.
// Data from before the records (the log alone) still reads: the totals as before, and the log's
// events are turned into records once, the first time they are listed (`migrate`). `log` (an
// event into the log) is that older API, kept for stored data and for the counters' tests.
import { createHash, randomBytes } from "node:crypto";
import { type AppCommands, appCommands } from "./application-scripts.js";
import type { RedisClient } from "./redis.js";
import {
  APPLICATION_STAGES,
  type ApplicationPatch,
  type ApplicationRecord,
  type ApplicationStage,
  type Applications,
  type NewApplication,
  type SearchDates,
  type SearchEvent,
  type SearchTally,
} from "../core/ports/stores.js";
import type { UserKey } from "../core/types.js";
import type { Keys } from "./keys.js";

/** Entries kept in the log (and application times kept for weeks and streaks); the oldest go first. */
export const APPS_MAX = 1000;
const WEEK_MS = 7 * 24 * 3600 * 1000;

/** A record as stored: with the key of its company's name entry. */
type Stored = ApplicationRecord & { nameKey?: string };

/** A company's name as a key: case, accents and spacing ignored ("Pick n Pay" = "pick  n pay"). */
export function companyKey(company: string): string {
  const folded = company
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}&+]+/gu, " ")
    .trim();
  return `n:${folded.slice(0, 80)}`;
}

function isStage(s: unknown): s is ApplicationStage {
  return typeof s === "string" && (APPLICATION_STAGES as readonly string[]).includes(s);
}

/** A stored record read back; anything malformed reads as nothing. */
function parseRecord(json: string | null | undefined): ApplicationRecord | undefined {
  if (!json) return undefined;
  try {
    const o = JSON.parse(json) as Stored;
    if (typeof o.id !== "string" || !isStage(o.stage) || typeof o.appliedAt !== "number") return undefined;
    const { nameKey: _n, ...r } = o;
    // cjson writes an empty array as {}: read `reached` as an array whatever it was.
    return { ...r, reached: Array.isArray(o.reached) ? o.reached.filter(isStage) : [o.stage] };
  } catch {
    return undefined;
  }
}

/** The stages a record has reached once it is at `stage`: an interview implies an application. */
function reachedWith(before: readonly ApplicationStage[], stage: ApplicationStage): ApplicationStage[] {
  const out = new Set<ApplicationStage>(before);
  out.add("applied");
  out.add(stage);
  return APPLICATION_STAGES.filter((s) => out.has(s));
}

export class RedisApplications implements Applications {
  /** The connection, typed with the scripts of application-scripts.ts. */
  private readonly cmds: AppCommands;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly retentionSeconds: number,
    private readonly cap = APPS_MAX,
  ) {
    this.cmds = appCommands(redis);
  }

  private k(user: UserKey, part: "apps" | "appcounts" | "applied" | "apprecs"): string {
    return this.keys.user(user, part);
  }

  /** RECORD's keys, in its order: the records, their index, the counters, the applications' times. */
  private recordKeys(user: UserKey): [string, string, string, string] {
    return [this.k(user, "apprecs"), this.k(user, "apps"), this.k(user, "appcounts"), this.k(user, "applied")];
  }

  async dates(user: UserKey): Promise<SearchDates> {
    const [last, offerAt] = await Promise.all([
      this.redis.zrevrange(this.k(user, "applied"), 0, 0, "WITHSCORES"),
      this.redis.hget(this.k(user, "appcounts"), "offerat"),
    ]);
    const out: SearchDates = {};
    if (last[1] !== undefined) out.lastAppliedAt = Number(last[1]);
    if (offerAt) out.lastOfferAt = Number(offerAt);
    return out;
  }

  async add(user: UserKey, r: NewApplication, now: number): Promise<ApplicationRecord> {
    // The log of before the records is counted first, so the new record adds to it.
    await this.tally(user, now);
    const stage = r.stage ?? "applied";
    const record: ApplicationRecord = {
      ...r,
      id: randomBytes(3).toString("hex"),
      stage,
      reached: reachedWith([], stage),
      updatedAt: now,
    };
    await this.put(user, record, true, now);
    return record;
  }

  async get(user: UserKey, id: string): Promise<ApplicationRecord | undefined> {
    if (!/^[a-z0-9]{1,16}$/.test(id)) return undefined;
    return parseRecord(await this.redis.hget(this.k(user, "apprecs"), `r:${id}`));
  }

  async findByCompany(user: UserKey, company: string): Promise<ApplicationRecord | undefined> {
    await this.migrate(user);
    const id = await this.redis.hget(this.k(user, "apprecs"), companyKey(company));
    return id ? this.get(user, id) : undefined;
  }

  async update(
    user: UserKey,
    id: string,
    patch: ApplicationPatch,
    now: number,
  ): Promise<ApplicationRecord | undefined> {
    const old = await this.get(user, id);
    if (!old) return undefined;
    const stage = patch.stage ?? old.stage;
    const next: ApplicationRecord = {
      ...old,
      ...patch,
      stage,
      reached: reachedWith(old.reached, stage),
      updatedAt: now,
    };
    await this.put(user, next, true, now);
    return next;
  }

  async remove(user: UserKey, id: string): Promise<boolean> {
    if (!/^[a-z0-9]{1,16}$/.test(id)) return false;
    return (await this.cmds.bbAppRecord(...this.recordKeys(user), "del", id, this.cap, this.retentionSeconds)) === 1;
  }

  async list(user: UserKey, offset: number, limit: number): Promise<{ total: number; records: ApplicationRecord[] }> {
    await this.migrate(user);
    const idx = this.k(user, "apps");
    const [total, ids] = await Promise.all([
      this.redis.zcard(idx),
      this.redis.zrevrange(idx, offset, offset + limit - 1),
    ]);
    const vals = ids.length ? await this.redis.hmget(this.k(user, "apprecs"), ...ids.map((i) => `r:${i}`)) : [];
    return { total, records: vals.flatMap((v) => parseRecord(v) ?? []) };
  }

  private async put(user: UserKey, r: ApplicationRecord, count: boolean, now: number, cap = this.cap): Promise<void> {
    const stored: Stored = r.company ? { ...r, nameKey: companyKey(r.company) } : r;
    await this.cmds.bbAppRecord(
      ...this.recordKeys(user),
      "put",
      r.id,
      cap,
      this.retentionSeconds,
      JSON.stringify(stored),
      count ? "1" : "0",
      now,
    );
  }

  /**
   * Once per user, the log of before the records becomes records: each application a record
   * (the company as logged), a later interview, offer or rejection naming the same company moves
   * it. Not counted again: the totals already hold the log. At most the log's cap of entries.
   */
  private async migrate(user: UserKey): Promise<void> {
    const counts = this.k(user, "appcounts");
    if (await this.redis.hexists(counts, "recs")) return;
    const flat = await this.redis.zrange(this.k(user, "apps"), 0, -1, "WITHSCORES");
    // The marker lives in the counters: written only where they exist, so it expires with them.
    if (flat.length === 0) {
      if (await this.redis.exists(counts)) await this.redis.hset(counts, "recs", 1);
      return;
    }
    const events: { member: string; at: number; e: SearchEvent }[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      if (!flat[i]!.startsWith("{")) continue; // a record's id
      try {
        events.push({ member: flat[i]!, at: Number(flat[i + 1]), e: JSON.parse(flat[i]!) as SearchEvent });
      } catch {
        // Not an event of ours: left for the cap to drop.
      }
    }
    if (events.length > 0) {
      // Counters of a log from before them are made first (with the log's expiry).
      await this.tally(user, Date.now());
      const byName = new Map<string, ApplicationRecord>();
      const made: ApplicationRecord[] = [];
      for (const { member, at, e } of events) {
        const key = e.what ? companyKey(e.what) : undefined;
        const known = key ? byName.get(key) : undefined;
        if (known && e.kind !== "applied") {
          known.stage = e.kind;
          known.reached = reachedWith(known.reached, e.kind);
          known.updatedAt = at;
          continue;
        }
        // The id comes from the event: a migration cut short and run again writes the same records.
        const id = createHash("sha256").update(member).digest("hex").slice(0, 8);
        const r: ApplicationRecord = {
          id,
          appliedAt: at,
          stage: e.kind,
          reached: reachedWith([], e.kind),
          updatedAt: at,
        };
        if (e.what) r.company = e.what;
        made.push(r);
        if (key) byName.set(key, r);
      }
      // The events stay until every record is written (room for both), then go.
      for (const r of made) await this.put(user, r, false, r.updatedAt, this.cap + events.length);
      await this.redis.zrem(this.k(user, "apps"), ...events.map((x) => x.member));
    }
    await this.redis.hset(counts, "recs", 1);
  }

  /** Logs the event and returns the tally with it, in one round trip. */
  async log(user: UserKey, e: SearchEvent, now = e.at): Promise<SearchTally> {
    // A random suffix keeps two events of the same millisecond apart (set members are unique).
    const n = randomBytes(4).toString("hex");
    const member = JSON.stringify({ ...e, n });
    return this.run(user, now, [e.at, member, e.kind, `${e.at}-${n}`]);
  }

  /** The counts at `now`, without reading the log. */
  async tally(user: UserKey, now: number): Promise<SearchTally> {
    return this.run(user, now, []);
  }

  private async run(user: UserKey, now: number, logArgs: (string | number)[]): Promise<SearchTally> {
    const k = (part: "apps" | "appcounts" | "applied") => this.keys.user(user, part);
    const r = await this.cmds.bbApplications(
      k("apps"),
      k("appcounts"),
      k("applied"),
      now,
      WEEK_MS,
      this.cap,
      this.retentionSeconds,
      ...logArgs,
    );
    return {
      totals: { applied: r[0]!, interview: r[1]!, rejected: r[2]!, offer: r[3]! },
      appliedThisWeek: r[4]!,
      streakWeeks: r[5]!,
    };
  }
}
