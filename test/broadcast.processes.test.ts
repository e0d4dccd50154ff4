// A broadcast to 10,000 daily subscribers by a real bot process (tsx src/main.ts) against the
// fake Bot API, started by an operator through Telegram, the process killed with SIGKILL in
// the middle of the fan-out and the deliveries, then started again: every subscriber gets the
// message, once, except a message in flight at the instant of the kill (its request reached the
// platform, its send guard was not yet written), which may come twice. The test records that
// in-flight set at the kill and bounds repeats by it, not by a count that depends on the machine.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeTelegram } from "./fakes/telegram.js";
import { BotProcesses } from "./helpers/processes.js";
import { en } from "./helpers/bot.js";
import { broadcastJobId, loadJobIdKey } from "../src/schedule/jobids.js";
import { dailyBucketOf } from "../src/store/keys.js";
import { eventually, testRedis, type TestRedis } from "./helpers/redis.js";

const ADMIN = 1;
const N = 10_000;
const FIRST = 5_000_000;
let tg: FakeTelegram;
let r: TestRedis;
const bots = new BotProcesses();

beforeEach(async () => {
  tg = await new FakeTelegram().start();
  r = await testRedis();
});
afterEach(async () => {
  bots.killAll();
  await tg.stop();
  await r.cleanup();
});

const spawnBot = () => bots.spawn(r, tg, { ADMIN_IDS: `telegram:${ADMIN}`, TELEGRAM_RATE_LIMIT: "0" });

/**
 * N subscribers as /daily leaves them (profile fields, a member of their daily bucket and its head),
 * written in pipelines. Their daily time is 12 hours away, so no daily message joins in.
 */
async function seed(): Promise<number[]> {
  const users = Array.from({ length: N }, (_, i) => FIRST + i);
  const now = Date.now();
  for (let i = 0; i < N; i += 1000) {
    const p = r.redis.pipeline();
    for (const u of users.slice(i, i + 1000)) {
      const user = `telegram:${u}`;
      p.hset(r.keys.user(user as never, "profile"), {
        createdAt: now,
        lastSeenAt: now,
        daily: "07:00",
        timezone: "Africa/Johannesburg",
      });
      p.zadd(r.keys.dailyBucket(dailyBucketOf(user)), now + 12 * 3600_000, user);
      p.zadd(r.keys.sched("due"), "LT", now + 12 * 3600_000, `D:${dailyBucketOf(user)}`);
    }
    await p.exec();
  }
  return users;
}

async function reply(action: () => void, replies = 1): Promise<string[]> {
  const before = tg.sent(ADMIN).length;
  action();
  await eventually(() => tg.sent(ADMIN).length >= before + replies, 20_000, `${replies} replies`);
  return tg.texts(ADMIN).slice(before);
}

describe("a broadcast to 10,000 subscribers", () => {
  it("survives a SIGKILL mid fan-out: every subscriber reached, a repeat only for a message in flight at the kill", async () => {
    const users = await seed();
    const message = "News for everyone: the recruiter Q&A moved to Thursday.";
    const counts = new Map<string, number>();
    const firstAt = new Map<string, number>();
    tg.onCall = (c) => {
      if (c.method !== "sendMessage" || c.params.text !== message) return;
      const chat = String(c.params.chat_id);
      counts.set(chat, (counts.get(chat) ?? 0) + 1);
      if (!firstAt.has(chat)) firstAt.set(chat, c.at);
    };
    const served = () => users.filter((u) => counts.has(String(u))).length;

    const a = spawnBot();
    expect(await reply(() => tg.text(ADMIN, "/broadcast"))).toEqual([en.text("broadcast.ask_text")]);
    const [, ask] = await reply(() => tg.text(ADMIN, message), 2);
    expect(ask).toBe(en.text("broadcast.preview", { count: 10_000, audience: "all channels" }));
    await reply(() => tg.press(ADMIN, "broadcast.confirm:send"));

    // Killed while some are sent and the fan-out (paced by the queue's backlog) is still going.
    await eventually(() => served() >= 1500, 60_000, "broadcast under way");
    a.kill("SIGKILL");
    await new Promise<void>((res) =>
      a.exitCode !== null || a.signalCode !== null ? res() : a.once("exit", () => res()),
    );
    const bc = (await r.redis.get(r.keys.broadcast("latest")))!;
    const atKill = { served: served(), fanout: await r.redis.hget(r.keys.broadcast(bc), "fanout") };
    expect(atKill.served).toBeLessThan(N);
    // In flight at the kill: the request left the killed process, its send guard was never
    // written. Nothing writes guards between the kill and the restart, so the unguarded users
    // are read here; a request still in a socket buffer at the kill is parsed by the fake well
    // before the new process can send anything, so "first request before the restart" is exact.
    const unguarded = new Set<string>();
    const jobIdKey = await loadJobIdKey(r.redis, r.keys);
    for (let i = 0; i < N; i += 1000) {
      const batch = users.slice(i, i + 1000);
      const guards = await r.redis.mget(
        ...batch.map((u) => r.keys.sent(broadcastJobId(bc, `telegram:${u}`, jobIdKey))),
      );
      batch.forEach((u, j) => guards[j] === null && unguarded.add(String(u)));
    }
    const restartedAt = Date.now();
    spawnBot();
    await eventually(() => served() === N, 100_000, "every subscriber served").catch(async (e) => {
      const h = await r.redis.hgetall(r.keys.broadcast(bc));
      delete h.text;
      const missing = users.filter((u) => !counts.has(String(u))).slice(0, 5);
      throw new Error(
        `${e}: served ${served()} of ${N}; at kill ${JSON.stringify(atKill)}; broadcast ${JSON.stringify(h)}; missing ${missing}`,
      );
    });
    // Finished: the fan-out has passed every subscriber and the queue holds nothing more to send,
    // so nothing else can arrive after this point.
    await eventually(
      async () => (await r.redis.hget(r.keys.broadcast(bc), "fanout")) === "1",
      30_000,
      "fan-out finished",
    );
    const queued = `${r.keys.queuePrefix()}:deliver-telegram`;
    await eventually(
      async () =>
        (await r.redis.llen(`${queued}:wait`)) +
          (await r.redis.zcard(`${queued}:prioritized`)) +
          (await r.redis.llen(`${queued}:active`)) +
          (await r.redis.zcard(`${queued}:delayed`)) ===
        0,
      30_000,
      "queue drained",
    );
    expect({ served: served(), killedDuringFanout: atKill.fanout !== "1" }).toEqual({
      served: N,
      killedDuringFanout: true,
    });
    // Telegram has no idempotency key: only a message in flight at the kill may come twice, and
    // then exactly twice (docs/scheduling.md, Guarantees). Any other repeat fails here.
    const doubled = [...counts.entries()].filter(([, n]) => n > 1).map(([chat]) => chat);
    const inFlightAtKill = (chat: string) => unguarded.has(chat) && firstAt.get(chat)! < restartedAt;
    expect(doubled.filter((chat) => !inFlightAtKill(chat) || counts.get(chat) !== 2)).toEqual([]);
    // No daily message and nothing else went to the subscribers.
    expect(tg.sent().filter((c) => String(c.params.chat_id) !== String(ADMIN)).length).toBe(N + doubled.length);
  }, 150_000);
});
