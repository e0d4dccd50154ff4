// Several real bot processes (npx tsx src/main.ts) against one Redis and the fake Bot API:
// a burst of due entries reaches every user exactly once; when one process is killed with
// SIGKILL in the middle of the batch and started again, none is lost, and only a message in
// flight at the kill may come twice.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeTelegram } from "./fakes/telegram.js";
import { BotProcesses } from "./helpers/processes.js";
import { eventually, testRedis, type TestRedis } from "./helpers/redis.js";
import { DueIndex } from "../src/schedule/store.js";
import type { UserKey } from "../src/core/types.js";

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

const spawnBot = (rate: number) => bots.spawn(r, tg, { TELEGRAM_RATE_LIMIT: String(rate) });

/** N users with a profile and a reminder due now (real time: these processes use the system clock). */
async function seed(n: number, first: number): Promise<number[]> {
  const index = new DueIndex(r.redis, r.keys);
  const users = Array.from({ length: n }, (_, i) => first + i);
  const now = Date.now();
  for (const u of users) {
    const user = `telegram:${u}` as UserKey;
    await r.redis.hset(r.keys.user(user, "profile"), "createdAt", now);
    await index.add({ user, kind: "reminder", dueAt: now, text: `task ${u}` });
  }
  return users;
}

function countsOf(users: number[]): { missing: number; twice: number } {
  const counts = new Map<string, number>();
  for (const c of tg.sent()) counts.set(String(c.params.chat_id), (counts.get(String(c.params.chat_id)) ?? 0) + 1);
  return { missing: users.filter((u) => !counts.get(String(u))).length, twice: users.filter((u) => (counts.get(String(u)) ?? 0) > 1).length };
}

describe("two processes, one Redis", () => {
  it("a burst of due entries reaches every user exactly once", async () => {
    const users = await seed(300, 700_000);
    spawnBot(0);
    spawnBot(0);
    await eventually(() => countsOf(users).missing === 0, 40_000, "every user served");
    await new Promise((res) => setTimeout(res, 1500)); // a couple more ticks: nothing else arrives
    expect(countsOf(users)).toEqual({ missing: 0, twice: 0 });
    expect(await r.redis.zcard(r.keys.sched("due"))).toBe(0);
  }, 60_000);

  it("SIGKILL of one process mid-batch: after a restart none is lost, and only a message in flight at the kill can come twice", async () => {
    const users = await seed(400, 800_000);
    const a = spawnBot(60);
    spawnBot(60);
    // Kill A while the batch is well under way (the limit keeps it going for several seconds).
    await eventually(() => tg.sent().length >= 80, 40_000, "batch under way");
    const killedAt = Date.now();
    a.kill("SIGKILL");
    const atKill = tg.sent().length;
    expect(atKill).toBeLessThan(users.length);
    spawnBot(60);
    await eventually(() => countsOf(users).missing === 0, 50_000, "every user served").catch(async (e) => {
      const guards = await r.redis.keys(`${r.prefix}:sent:*`);
      const vals = guards.length ? await r.redis.mget(...guards) : [];
      const missing = users.filter((u) => !tg.sent(u).length);
      throw new Error(`${e}: missing ${missing.length} (${missing.slice(0, 5)}), guards sending=${vals.filter((v) => v === "sending").length}, due=${await r.redis.zcard(r.keys.sched("due"))}, lease=${await r.redis.zcard(r.keys.sched("lease"))}`);
    });
    await new Promise((res) => setTimeout(res, 1500));
    const { missing } = countsOf(users);
    expect(missing).toBe(0);
    // Telegram has no idempotency key: a request the platform received from the killed process
    // before that process could mark it sent is in doubt, and is sent again (at least once beats
    // lost). That is the only repeat allowed: the first copy of every repeated message must have
    // reached the platform in the instant before the kill, never earlier, never after.
    const doubled = users.filter((u) => tg.sent(u).length > 1);
    for (const u of doubled) {
      const first = tg.sent(u)[0]!.at;
      expect(first, `user ${u}: first copy ${killedAt - first} ms before the kill`).toBeGreaterThan(killedAt - 2000);
      expect(first).toBeLessThanOrEqual(killedAt + 50);
      expect(tg.sent(u)).toHaveLength(2);
    }
    // In doubt means in flight: a handful at most, out of hundreds.
    expect(doubled.length).toBeLessThanOrEqual(10);
  }, 90_000);
});
