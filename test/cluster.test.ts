// The bot on a Redis Cluster of three masters (vitest project "cluster", test/setup/cluster.ts):
// the same real bot, fake Bot API and fixtures as the single-Redis tests, with REDIS_CLUSTER_NODES
// instead of REDIS_URL. A reminder and a daily message come once, a broadcast reaches each
// subscriber once, /forget leaves no key of the user on any node, and the add that spans the
// user's slot and `{sched}` leaves nothing wrong behind whichever step it stopped after.
import { Cluster } from "ioredis";
import { DateTime } from "luxon";
import { formatLocal } from "../src/core/time.js";
import type { UserKey } from "../src/core/types.js";
import { DueIndex } from "../src/schedule/store.js";
import { mastersOf } from "../src/store/redis.js";
import { UserIndex } from "../src/store/user-index.js";
import { en, settled } from "./helpers/bot.js";
import { describe, expect, test } from "./helpers/fixtures.js";
import { eventually, onCluster, type TestRedis } from "./helpers/redis.js";
import { tracesOf } from "./helpers/userscan.js";
import { dailyTexts } from "./helpers/messages.js";

const JHB = "Africa/Johannesburg";
const ADMIN = 9100;
const it = test.override({
  startAt: DateTime.fromISO("2026-11-26T10:00", { zone: JHB }).toMillis(),
  env: { SCHEDULER_TICK_SECONDS: "59", ADMIN_IDS: `telegram:${ADMIN}`, TELEGRAM_RATE_LIMIT: "0" },
});

/** Which masters hold keys that mention the user, by name or by value. */
async function mastersHolding(r: TestRedis, user: string): Promise<number> {
  const traces = new Set((await tracesOf(r, user)).map((t) => t.replace(/ \(value\)$/, "")));
  let n = 0;
  for (const node of mastersOf(r.redis)) {
    const [, here] = await node.scan("0", "MATCH", `${r.prefix}:*`, "COUNT", 100_000);
    if (here.some((k) => traces.has(k))) n++;
  }
  return n;
}

describe.skipIf(!onCluster())("on a Redis Cluster", () => {
  it("runs on the cluster: every connection is a Cluster client, a cross-slot script is refused, and the bot's keys spread over the masters", async ({
    telegram: tg,
    redis: r,
    bot,
  }) => {
    expect(bot.redis).toBeInstanceOf(Cluster);
    expect(mastersOf(bot.redis)).toHaveLength(3);
    // The cluster is real: what a single Redis allows, it refuses.
    await expect(
      bot.redis.eval("return 1", 2, r.keys.sched("due"), r.keys.user("telegram:1", "profile")),
    ).rejects.toThrow(/CROSSSLOT|same slot/);
    await tg.say(701, "/start", 2);
    await tg.tap(701, "start.consent:yes");
    await tg.say(701, "/remind tomorrow 9am call Thandi");
    await tg.tap(701, "remind.confirm:yes");
    let used = 0;
    for (const node of mastersOf(r.redis))
      if ((await node.scan("0", "MATCH", `${r.prefix}:*`, "COUNT", 100_000))[1].length > 0) used++;
    expect(used).toBeGreaterThanOrEqual(2);
  });

  it("moves an old index set into buckets spread over every master, each member once, from two processes at once", async ({
    redis: r,
  }) => {
    const users = Array.from({ length: 600 }, (_, i) => `telegram:${800_000 + i}` as UserKey);
    await r.redis.sadd(r.keys.legacyIndex("users"), ...users);
    const [a, b] = [new UserIndex(r.redis, r.keys, "users"), new UserIndex(r.redis, r.keys, "users")];
    const [movedA, movedB] = await Promise.all([a.migrateFromSet(), b.migrateFromSet()]);
    expect(movedA + movedB).toBe(600);
    expect(await r.redis.exists(r.keys.legacyIndex("users"))).toBe(0);
    expect(await a.countByChannel()).toEqual({ telegram: 600 });
    let holding = 0;
    for (const node of mastersOf(r.redis))
      if ((await node.scan("0", "MATCH", `${r.prefix}:idx:users:*`, "COUNT", 100_000))[1].length > 0) holding++;
    expect(holding).toBe(3);
  });

  it("delivers a reminder and a daily message once each", async ({ telegram: tg, bot, clock }) => {
    const dueAt = DateTime.fromISO("2026-11-27T09:00", { zone: JHB }).toMillis();
    await tg.say(702, "/remind tomorrow 9am follow up with Acme");
    expect(await tg.tap(702, "remind.confirm:yes")).toEqual([
      en.text("remind.saved", { when: formatLocal(dueAt, JHB) }),
    ]);
    const [ok] = await tg.say(702, "/daily 7:30");
    expect(ok).toContain("07:30");

    const daily = dailyTexts("morning");
    clock.set(DateTime.fromISO("2026-11-27T07:30", { zone: JHB }).toMillis());
    expect(await bot.schedule.tick()).toBe(1);
    await eventually(() => tg.texts(702).length === 4);
    expect(daily).toContain(tg.texts(702)[3]);
    clock.set(dueAt);
    expect(await bot.schedule.tick()).toBe(1);
    await eventually(() => tg.texts(702).length === 5);
    expect(tg.texts(702)[4]).toBe(en.text("remind.due", { what: "follow up with Acme" }));
    // An hour on, with every queue drained: nothing more came, and tomorrow's daily waits.
    clock.advance(3600_000);
    await settled(bot);
    expect(tg.texts(702)).toHaveLength(5);
    expect(await bot.schedule.index.list("telegram:702")).toEqual([]);
    expect((await bot.schedule.daily.status("telegram:702"))?.nextAt).toBe(
      DateTime.fromISO("2026-11-28T07:30", { zone: JHB }).toMillis(),
    );
  });

  it("reaches every subscriber of a broadcast once", async ({ telegram: tg, bot }) => {
    const chats = [7101, 7102, 7103, 7104, 7105, 7106];
    for (const c of chats) await bot.schedule.daily.subscribe(`telegram:${c}` as UserKey, "07:00", JHB);
    await bot.schedule.daily.unsubscribe("telegram:7106"); // left before: not counted, not sent
    const message = "Job fair at the Civic Centre on Saturday, 09:00";
    await tg.say(ADMIN, "/broadcast");
    await tg.say(ADMIN, message, 2);
    expect(await tg.tap(ADMIN, "broadcast.confirm:send")).toEqual([
      en.text("broadcast.started", { count: "5", audience: "all channels" }),
    ]);
    await settled(bot);
    for (const c of chats.slice(0, 5))
      expect(
        tg.texts(c).filter((t) => t === message),
        `chat ${c}`,
      ).toHaveLength(1);
    expect(tg.texts(7106)).toEqual([]);
    expect(await bot.schedule.broadcasts.latest()).toMatchObject({ status: "finished", enqueued: 5, sent: 5 });
  });

  it("/forget leaves no key of the user on any node, and another user's data untouched", async ({
    telegram: tg,
    redis: r,
    bot,
    clock,
  }) => {
    const seed = async (chat: number): Promise<UserKey> => {
      const user = `telegram:${chat}` as UserKey;
      await tg.say(chat, "/start", 2);
      await tg.tap(chat, "start.consent:yes");
      await r.redis.rpush(
        r.keys.user(user, "journal"),
        JSON.stringify({ at: clock.now(), text: `journal of ${chat}` }),
      );
      await bot.schedule.index.add({
        user,
        kind: "reminder",
        dueAt: clock.now() + 86400_000,
        text: `call Thandi ${chat}`,
      });
      await bot.schedule.daily.subscribe(user, "07:30", JHB);
      // A delivery of the user's waiting in the queue (paused, so it stays): /forget takes it out.
      const waiting = {
        id: `r-waiting-${chat}`,
        user,
        kind: "reminder",
        dueAt: clock.now(),
        text: `call Thandi ${chat}`,
      };
      await bot.schedule.queues.enqueue([waiting]);
      await bot.schedule.queues.trackJobs([waiting], clock.now());
      return user;
    };
    await bot.schedule.queues.queue("telegram").pause();
    const gone = await seed(7201);
    const other = await seed(7202);
    // The user's traces are spread: their own slot, `{sched}`, `{q}` and the index sets.
    expect(await mastersHolding(r, gone)).toBeGreaterThanOrEqual(2);
    const othersBefore = (await tracesOf(r, other)).sort();

    await tg.say(7201, "/forget");
    expect(await tg.tap(7201, "forget.confirm:yes")).toEqual([en.text("privacy.forgotten")]);
    expect(await tracesOf(r, gone)).toEqual([]);
    expect((await tracesOf(r, other)).sort()).toEqual(othersBefore);
    expect(await bot.schedule.index.list(other)).toHaveLength(1);
  });

  it("an add stopped after any step leaves every stored item in the user's set, and what it left is tidied", async ({
    redis: r,
  }) => {
    let now = Date.parse("2026-11-26T08:00:00Z");
    const index = new DueIndex(r.redis, r.keys, { maxPerUser: 2, now: () => now });
    const user = "telegram:7301" as UserKey;
    const ids = r.keys.user(user, "sched");
    const marks = r.keys.user(user, "schedpending");
    const first = await index.add({ user, kind: "reminder", dueAt: now + 3600_000, text: "one" });
    expect(first.status).toBe("scheduled");

    // Stopped after step 1 (reserved, no item), just now: an add in flight. It counts, so the
    // cap of 2 is reached; nothing of it is listed or delivered.
    await r.redis.sadd(ids, "r-inflight");
    await r.redis.hset(marks, "r-inflight", String(now));
    expect(await index.add({ user, kind: "reminder", dueAt: now + 7200_000, text: "two" })).toEqual({
      status: "limit_reached",
      limit: 2,
    });
    expect((await index.list(user)).map((i) => i.text)).toEqual(["one"]);
    expect(await r.redis.sismember(ids, "r-inflight")).toBe(1);

    // Ten minutes on, it is a crashed add's leftover: the next add removes it and fits.
    now += 11 * 60_000;
    const second = await index.add({ user, kind: "reminder", dueAt: now + 7200_000, text: "two" });
    expect(second.status).toBe("scheduled");
    expect(await r.redis.sismember(ids, "r-inflight")).toBe(0);
    expect(await r.redis.hexists(marks, "r-inflight")).toBe(0);

    // Stopped after step 2 (item stored, mark left): the item counts and stays; the mark goes.
    await r.redis.hset(marks, second.status === "scheduled" ? second.item.id : "", String(now - 3600_000));
    expect((await index.add({ user, kind: "reminder", dueAt: now + 9000_000, text: "three" })).status).toBe(
      "limit_reached",
    );
    expect(await r.redis.hlen(marks)).toBe(0);

    // A cancel stopped between `{sched}` and the user's set leaves an id with no item: tidied.
    await r.redis.multi().zrem(r.keys.sched("due"), "r-x").hdel(r.keys.sched("items"), "r-x").exec();
    await r.redis.sadd(ids, "r-gone");
    await index.cancel(user, first.status === "scheduled" ? first.item.id : "");
    expect((await index.add({ user, kind: "reminder", dueAt: now + 9000_000, text: "three" })).status).toBe(
      "scheduled",
    );
    expect(await r.redis.sismember(ids, "r-gone")).toBe(0);

    // The invariant /forget and the cap rely on: every stored item's id is in its user's set.
    const stored = Object.keys(await r.redis.hgetall(r.keys.sched("items")));
    expect(stored).toHaveLength(2);
    for (const id of stored) expect(await r.redis.sismember(ids, id), id).toBe(1);
    expect((await index.list(user)).map((i) => i.text)).toEqual(["two", "three"]);
  });
});
