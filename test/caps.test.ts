// Every per-user collection has a count cap (real Redis): past it the oldest entries go, or, for
// upcoming reminders, the user is told kindly. Counts come from counters, never from reading a
// whole set: the applications tally is checked against the reading it replaced.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { UserKey } from "../src/core/types.js";
import type { JournalEntry, SearchEvent, SearchEventKind } from "../src/core/ports/stores.js";
import { APPS_MAX, RedisApplications } from "../src/store/applications.js";
import { JOURNAL_MAX, RedisJournal } from "../src/store/journal.js";
import { MOODS_MAX, RedisMoods } from "../src/store/moods.js";
import { RedisSeenVariants, SEEN_MAX_MESSAGES } from "../src/store/variants.js";
import { DueIndex, MAX_ACTIVE_PER_USER, MAX_DELIVERED_KEPT } from "../src/schedule/store.js";
import { DeliveryQueues, JOBS_MAX } from "../src/schedule/queues.js";
import { deliveryId, jobIdKeySource } from "../src/schedule/jobids.js";
import { redisPerTest } from "./helpers/redis.js";

const U: UserKey = "whatsapp:27820000001";
const T0 = Date.UTC(2026, 2, 2, 8);
const DAY = 86_400_000;
const WEEK = 7 * DAY;
const TTL = 3600;
const KINDS: SearchEventKind[] = ["applied", "interview", "rejected", "offer"];

const r = redisPerTest();

/** The tally as it used to be computed, by reading every event. */
function readTally(events: readonly SearchEvent[], now: number) {
  const count = (k: SearchEventKind) => events.filter((e) => e.kind === k).length;
  let weeks = 0;
  while (events.some((e) => e.kind === "applied" && e.at > now - (weeks + 1) * WEEK && e.at <= now - weeks * WEEK))
    weeks++;
  return {
    totals: {
      applied: count("applied"),
      interview: count("interview"),
      rejected: count("rejected"),
      offer: count("offer"),
    },
    appliedThisWeek: events.filter((e) => e.kind === "applied" && e.at > now - WEEK).length,
    streakWeeks: weeks,
  };
}

describe("applications", () => {
  it(`keep the newest ${APPS_MAX} in the log while the totals keep counting`, async () => {
    const apps = new RedisApplications(r.redis, r.keys, TTL);
    const n = APPS_MAX + 25;
    const events: SearchEvent[] = Array.from({ length: n }, (_, i) => ({
      at: T0 + i * 60_000,
      kind: KINDS[i % 4]!,
      what: `Company ${i}`,
    }));
    let last;
    for (const e of events) last = await apps.log(U, e);
    const now = events.at(-1)!.at;
    expect(last).toEqual(readTally(events, now));
    expect(last!.totals.applied).toBe(Math.ceil(n / 4)); // past the cap: nothing forgotten in the count
    expect(await r.redis.zcard(r.keys.user(U, "apps"))).toBe(APPS_MAX);
    expect(await r.redis.zcard(r.keys.user(U, "applied"))).toBeLessThanOrEqual(APPS_MAX);
    const oldest = JSON.parse((await r.redis.zrange(r.keys.user(U, "apps"), 0, 0))[0]!) as SearchEvent;
    expect(oldest.what).toBe("Company 25");
    for (const part of ["apps", "appcounts", "applied"] as const)
      expect(await r.redis.ttl(r.keys.user(U, part))).toBeGreaterThan(0);
  });

  it("give the tally the full reading gave: totals, this week and the streak of weeks", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ ago: fc.integer({ min: 0, max: 10 * WEEK }), kind: fc.constantFrom(...KINDS) }), {
          maxLength: 25,
        }),
        fc.integer({ min: 0, max: 3 * WEEK }),
        async (raw, later) => {
          const user: UserKey = `telegram:${Math.floor(Math.random() * 1e9)}`;
          const apps = new RedisApplications(r.redis, r.keys, TTL);
          const now = T0 + 20 * WEEK;
          const events = raw.map((e) => ({ at: now - e.ago, kind: e.kind }));
          for (const e of events) await apps.log(user, e, now);
          expect(await apps.tally(user, now)).toEqual(readTally(events, now));
          expect(await apps.tally(user, now + later)).toEqual(readTally(events, now + later));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("count a log written before the counters once, keeping its newest entries and its expiry", async () => {
    const key = r.keys.user(U, "apps");
    const legacy = Array.from({ length: APPS_MAX + 500 }, (_, i) => ({
      at: T0 + i * 1000,
      kind: i % 2 ? "applied" : "interview",
      n: `x${i}`,
    }));
    for (let i = 0; i < legacy.length; i += 500)
      await r.redis.zadd(key, ...legacy.slice(i, i + 500).flatMap((e) => [e.at, JSON.stringify(e)]));
    await r.redis.expire(key, 999);
    const apps = new RedisApplications(r.redis, r.keys, TTL);
    const now = legacy.at(-1)!.at;
    const tally = await apps.tally(U, now);
    expect(tally.totals).toEqual({ applied: APPS_MAX / 2, interview: APPS_MAX / 2, rejected: 0, offer: 0 });
    expect(tally.appliedThisWeek).toBe(APPS_MAX / 2);
    expect(await r.redis.zcard(key)).toBe(APPS_MAX);
    expect(await r.redis.ttl(r.keys.user(U, "appcounts"))).toBeGreaterThan(900);
    // Once: a second read counts nothing again.
    expect((await apps.tally(U, now)).totals.applied).toBe(APPS_MAX / 2);
    expect((await apps.log(U, { at: now, kind: "applied" })).totals.applied).toBe(APPS_MAX / 2 + 1);
  });

  it("are not created by reading", async () => {
    const apps = new RedisApplications(r.redis, r.keys, TTL);
    expect((await apps.tally(U, T0)).totals).toEqual({ applied: 0, interview: 0, rejected: 0, offer: 0 });
    expect(await r.allKeys()).toEqual([]);
  });
});

describe("the journal", () => {
  it(`keeps the newest ${JOURNAL_MAX} reflections and counts them without reading them`, async () => {
    const journal = new RedisJournal(r.redis, r.keys, TTL);
    const entry = (i: number): JournalEntry => ({
      at: T0 + i,
      company: `C${i}`,
      prepared: "yes",
      skills: "no",
      connected: "partly",
    });
    for (let i = 0; i < JOURNAL_MAX + 5; i++) await journal.add(U, entry(i));
    const { count, entries } = await journal.recent(U, 8);
    expect(count).toBe(JOURNAL_MAX);
    expect(entries.map((e) => e.company)).toEqual(Array.from({ length: 8 }, (_, i) => `C${JOURNAL_MAX + 4 - i}`));
    expect(JSON.parse((await r.redis.lindex(r.keys.user(U, "journal"), -1))!).company).toBe("C5");
  });
});

describe("moods", () => {
  it(`keep the newest ${MOODS_MAX} check-ins`, async () => {
    const moods = new RedisMoods(r.redis, r.keys, 365 * 86_400);
    for (let i = 0; i < MOODS_MAX + 5; i++) await moods.add(U, { at: T0 + i * 1000, mood: (i % 5) + 1 });
    expect(await r.redis.zcard(r.keys.user(U, "moods"))).toBe(MOODS_MAX);
    const kept = await moods.since(U, 0);
    expect(kept[0]!.at).toBe(T0 + 5000);
    expect(kept.at(-1)!.at).toBe(T0 + (MOODS_MAX + 4) * 1000);
  });
});

describe("seen variants", () => {
  it(`remember at most ${SEEN_MAX_MESSAGES} message ids, and always the latest`, async () => {
    const seen = new RedisSeenVariants(r.redis, r.keys);
    for (let i = 0; i < SEEN_MAX_MESSAGES + 6; i++) {
      await seen.remember(U, `m${i}`, "v1", 3, await seen.recent(U, `m${i}`));
      expect(await r.redis.hlen(r.keys.user(U, "seen"))).toBeLessThanOrEqual(SEEN_MAX_MESSAGES);
      expect(await seen.recent(U, `m${i}`)).toEqual(["v1"]);
    }
  });
});

describe("reminders", () => {
  it(`refuse a ${MAX_ACTIVE_PER_USER + 1}st upcoming one, and keep at most ${MAX_DELIVERED_KEPT} delivered`, async () => {
    let now = T0;
    const index = new DueIndex(r.redis, r.keys, { now: () => now });
    const addMany = async (n: number) => {
      const added = [];
      for (let i = 0; i < n; i++) {
        const res = await index.add({ user: U, kind: "reminder", dueAt: now + DAY, text: `call ${i}` });
        if (res.status !== "scheduled") throw new Error(`refused at ${i}`);
        added.push(res.item);
      }
      return added;
    };
    const first = await addMany(MAX_ACTIVE_PER_USER);
    expect(await index.add({ user: U, kind: "reminder", dueAt: now + DAY, text: "one more" })).toEqual({
      status: "limit_reached",
      limit: MAX_ACTIVE_PER_USER,
    });
    for (const [i, item] of first.entries()) await index.markDelivered(item, now + i);
    now += 1000;
    const second = await addMany(MAX_ACTIVE_PER_USER);
    for (const [i, item] of second.entries()) await index.markDelivered(item, now + i);
    await addMany(1);
    expect(await r.redis.scard(r.keys.user(U, "sched"))).toBe(MAX_DELIVERED_KEPT + 1);
    // The newest delivered stay (their buttons work); the oldest are gone.
    expect(await index.stored(second.at(-1)!.id)).toBeDefined();
    expect(await index.stored(first[0]!.id)).toBeUndefined();
  });
});

describe("delivery job ids kept for /forget", () => {
  it(`keep the newest ${JOBS_MAX}`, async () => {
    const jobIdKey = jobIdKeySource(r.redis, r.keys);
    const deliveries = new DeliveryQueues({ redis: r.redis, keys: r.keys, jobIdKey });
    const items = Array.from({ length: JOBS_MAX + 10 }, (_, i) => ({
      id: `r${i}`,
      user: U,
      kind: "reminder",
      dueAt: T0 + i,
    }));
    for (const [i, item] of items.entries()) await deliveries.trackJobs([item], T0 + i);
    const kept = await r.redis.zrange(r.keys.user(U, "jobs"), 0, -1);
    expect(kept).toHaveLength(JOBS_MAX);
    expect(kept).toContain(deliveryId(items.at(-1)!, await jobIdKey()));
    for (const old of items.slice(0, 10)) expect(kept).not.toContain(deliveryId(old, await jobIdKey()));
  });
});
