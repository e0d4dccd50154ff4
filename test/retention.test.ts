// Retention with an injected clock: entries past RETENTION_MONTHS go, younger ones stay, in
// every storage shape; inactive users are told first and forgotten a week later; a user who
// came back is kept; only one process runs it per day.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import pino from "pino";
import type { UserKey } from "../src/core/types.js";
import { inactivityNotifier, type NoticeResult } from "../src/privacy/notice.js";
import { runRetention, runRetentionOncePerDay, NOTICE_FIELD, type RetentionOptions } from "../src/privacy/retention.js";
import { RedisSeenVariants } from "../src/store/variants.js";
import { UserData } from "../src/privacy/userdata.js";
import { Daily } from "../src/schedule/daily.js";
import { DueIndex } from "../src/schedule/store.js";
import { RedisProfiles } from "../src/store/profiles.js";
import { UserIndex } from "../src/store/user-index.js";
import { testRedis, type TestRedis } from "./helpers/redis.js";
import { tracesOf } from "./helpers/userscan.js";

const DAY = 86400_000;
const NOW = Date.parse("2026-06-15T01:00:00Z");
const MONTHS_13_AGO = Date.parse("2025-05-15T01:00:00Z");
const MONTHS_11_AGO = Date.parse("2025-07-15T01:00:00Z");

let r: TestRedis;
let notices: UserKey[];
let noticeResult: NoticeResult;
let o: RetentionOptions;

beforeEach(async () => {
  r = await testRedis();
  notices = [];
  noticeResult = "sent";
  o = {
    redis: r.redis,
    keys: r.keys,
    userData: userDataOf(r),
    retentionMonths: 12,
    inactiveMonths: 12,
    log: pino({ level: "silent" }),
    batchSize: 2, // several SSCAN batches even with a handful of users
    notify: async (user) => {
      notices.push(user);
      return noticeResult;
    },
  };
});
afterEach(() => r.cleanup());

/** /forget as the app wires it, over the real due index and daily subscriptions. */
function userDataOf(r: TestRedis): UserData {
  const clock = { now: () => NOW };
  const index = new DueIndex(r.redis, r.keys, { now: clock.now });
  const daily = new Daily(index, new RedisProfiles(r.redis, r.keys), clock, "Africa/Johannesburg");
  return new UserData({
    redis: r.redis,
    keys: r.keys,
    clock,
    scheduler: index,
    daily,
    seen: new RedisSeenVariants(r.redis, r.keys),
    queued: { removeQueuedFor: async () => 0 },
  });
}

async function addUser(user: UserKey, lastSeenAt: number, extra: Record<string, string> = {}): Promise<void> {
  await r.redis.hset(r.keys.user(user, "profile"), {
    createdAt: String(lastSeenAt - DAY),
    lastSeenAt: String(lastSeenAt),
    ...extra,
  });
  await new UserIndex(r.redis, r.keys, "users").add(user);
}

const entry = (at: number, text: string) => JSON.stringify({ at, text });

describe("runRetention", () => {
  it("deletes journal entries and moods older than RETENTION_MONTHS, in every shape, and nothing else", async () => {
    const u: UserKey = "telegram:7001";
    await addUser(u, NOW - DAY);
    const k = (p: "journal" | "moods" | "goals") => r.keys.user(u, p);
    // A list of JSON entries (ms and ISO times), and one entry with no time at all.
    await r.redis.rpush(
      k("journal"),
      entry(MONTHS_13_AGO, "old"),
      entry(MONTHS_11_AGO, "young"),
      JSON.stringify({ createdAt: new Date(MONTHS_13_AGO).toISOString(), text: "old iso" }),
      "free text without a date",
    );
    // A sorted set scored by time.
    await r.redis.zadd(k("moods"), MONTHS_13_AGO, "m-old", MONTHS_11_AGO, "m-young", NOW - 1000, "m-today");
    // Goals are not special information: never touched by the age rule.
    await r.redis.hset(k("goals"), "g1", entry(MONTHS_13_AGO, "a goal from long ago"));

    const report = await runRetention(o, NOW);

    expect(await r.redis.lrange(k("journal"), 0, -1)).toEqual([
      entry(MONTHS_11_AGO, "young"),
      "free text without a date",
    ]);
    expect(await r.redis.zrange(k("moods"), 0, -1)).toEqual(["m-young", "m-today"]);
    expect(await r.redis.hget(k("goals"), "g1")).toBe(entry(MONTHS_13_AGO, "a goal from long ago"));
    expect(report).toMatchObject({ expiredEntries: 3, undated: 1, noticesSent: 0, forgotten: 0 });
    expect(notices).toEqual([]);
  });

  it("handles hashes and streams by their times too", async () => {
    const u: UserKey = "whatsapp:27820000001";
    await addUser(u, NOW - DAY);
    await r.redis.hset(
      r.keys.user(u, "journal"),
      "e1",
      entry(MONTHS_13_AGO, "old"),
      "e2",
      entry(MONTHS_11_AGO, "young"),
    );
    await r.redis.xadd(r.keys.user(u, "moods"), `${MONTHS_13_AGO}-0`, "mood", "1");
    await r.redis.xadd(r.keys.user(u, "moods"), `${MONTHS_11_AGO}-0`, "mood", "4");
    await runRetention(o, NOW);
    expect(Object.keys(await r.redis.hgetall(r.keys.user(u, "journal")))).toEqual(["e2"]);
    expect((await r.redis.xrange(r.keys.user(u, "moods"), "-", "+")).map(([id]) => id)).toEqual([`${MONTHS_11_AGO}-0`]);
  });

  it("tells an inactive user first, forgets them a week later, and keeps one who came back", async () => {
    const silent: UserKey = "telegram:7002";
    const back: UserKey = "telegram:7003";
    const active: UserKey = "telegram:7004";
    await addUser(silent, MONTHS_13_AGO);
    await addUser(back, MONTHS_13_AGO);
    await addUser(active, MONTHS_11_AGO);
    for (const u of [silent, back, active])
      await r.redis.hset(r.keys.user(u, "goals"), "g", entry(MONTHS_11_AGO, "goal"));

    const first = await runRetention(o, NOW);
    expect(notices.sort()).toEqual([silent, back]);
    expect(first.noticesSent).toBe(2);
    expect(await r.redis.hget(r.keys.user(silent, "profile"), NOTICE_FIELD)).toBe(String(NOW));

    // Six days on: nobody is deleted yet, and nobody is told twice.
    notices = [];
    await runRetention(o, NOW + 6 * DAY);
    expect(notices).toEqual([]);
    expect(await r.redis.exists(r.keys.user(silent, "goals"))).toBe(1);

    // One of them writes again on day 6; on day 8 the other is forgotten entirely.
    await r.redis.hset(r.keys.user(back, "profile"), "lastSeenAt", String(NOW + 6 * DAY + 1));
    const later = await runRetention(o, NOW + 8 * DAY);
    expect(later).toMatchObject({ forgotten: 1, comeBack: 1 });
    expect(await tracesOf(r, silent)).toEqual([]);
    expect(await r.redis.exists(r.keys.user(back, "goals"))).toBe(1);
    expect(await r.redis.hget(r.keys.user(back, "profile"), NOTICE_FIELD)).toBeNull();
    expect(await r.redis.exists(r.keys.user(active, "goals"))).toBe(1);
    expect(await new UserIndex(r.redis, r.keys, "users").has(active)).toBe(true);
  });

  it("drops an index entry without a profile, sending nobody a notice", async () => {
    const users = new UserIndex(r.redis, r.keys, "users");
    await users.add("telegram:7009");
    await runRetention(o, NOW);
    expect(notices).toEqual([]);
    expect(await users.has("telegram:7009")).toBe(false);
  });

  it("never deletes a user whose notice could not be sent; tries again next time", async () => {
    const u: UserKey = "telegram:7005";
    await addUser(u, MONTHS_13_AGO);
    noticeResult = "failed";
    await runRetention(o, NOW);
    await runRetention(o, NOW + 8 * DAY);
    expect(notices).toEqual([u, u]);
    expect(await r.redis.hget(r.keys.user(u, "profile"), NOTICE_FIELD)).toBeNull();
    expect(await r.redis.exists(r.keys.user(u, "profile"))).toBe(1);
  });

  it("runs once per day across processes sharing the Redis", async () => {
    const runs = await Promise.all([runRetentionOncePerDay(o, NOW), runRetentionOncePerDay(o, NOW + 1000)]);
    expect(runs.map((x) => x.status).sort()).toEqual(["done", "skipped"]);
    expect((await runRetentionOncePerDay(o, NOW + DAY)).status).toBe("done");
  });
});

describe("the inactivity notice", () => {
  it("goes out through the user's channel as a proactive message; a missing template or a block still starts the week", async () => {
    const { startTestBot, en } = await import("./helpers/bot.js");
    const { DeliveryError } = await import("../src/core/ports/delivery.js");
    const bot = await startTestBot({ redis: r });
    try {
      const sent: unknown[] = [];
      let fail: InstanceType<typeof DeliveryError> | undefined;
      const channel = {
        name: "whatsapp" as const,
        start: async () => undefined,
        stop: async () => undefined,
        send: async (platformId: string, replies: unknown, options: unknown) => {
          if (fail) throw fail;
          sent.push({ platformId, replies, options });
        },
      };
      const notify = inactivityNotifier({
        senders: new Map([["whatsapp", channel]]),
        profiles: bot.services.state.profiles,
        content: bot.services.content,
        inactiveMonths: bot.config.INACTIVE_MONTHS,
        log: pino({ level: "silent" }),
      });
      const user: UserKey = "whatsapp:27820000009";
      expect(await notify(user)).toBe("sent");
      expect(sent).toEqual([
        {
          platformId: "27820000009",
          replies: [{ kind: "text", text: en.text("privacy.inactive_notice", { inactive: 12 }) }],
          options: { proactive: { kind: "inactivity", params: ["12"] } },
        },
      ]);
      fail = new DeliveryError("whatsapp", { status: "needs_template" });
      expect(await notify(user)).toBe("unreachable");
      fail = new DeliveryError("whatsapp", { status: "gone", reason: "blocked" });
      expect(await notify(user)).toBe("unreachable");
      fail = new DeliveryError("whatsapp", { status: "transient", reason: "network" });
      expect(await notify(user)).toBe("failed");
      expect(await notify("telegram:1")).toBe("failed"); // no such channel running
    } finally {
      await bot.stop();
    }
  });
});
