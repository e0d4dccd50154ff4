// The /stats counters: buffered inbound counts reach Redis, "blocked" follows the latest event.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Stats } from "../src/store/stats.js";
import { FakeClock } from "./helpers/bot.js";
import { testRedis, type TestRedis } from "./helpers/redis.js";

let r: TestRedis;
let stats: Stats;
beforeEach(async () => {
  r = await testRedis();
  // 23:30 UTC is already the next day in Johannesburg: the day follows DEFAULT_TIMEZONE.
  stats = new Stats(r.redis, r.keys, new FakeClock(Date.parse("2026-04-01T23:30:00Z")), "Africa/Johannesburg");
});
afterEach(() => r.cleanup());

describe("Stats", () => {
  it("counts messages per channel and day, and failures by reason", async () => {
    stats.inbound("telegram:1", 2);
    stats.inbound("whatsapp:27820000001", 1);
    await stats.sent("telegram");
    await stats.failed("whatsapp", { status: "needs_template" });
    await stats.failed("whatsapp", { status: "transient", reason: "whatsapp 503" });
    await stats.failed("whatsapp", { status: "transient", reason: "whatsapp 503" });
    const s = await stats.snapshot();
    expect(s.day).toBe("2026-04-02");
    expect(s.sentToday).toEqual({ telegram: 3, whatsapp: 1 });
    expect(s.failedToday).toEqual([
      { channel: "whatsapp", status: "transient", reason: "whatsapp 503", count: 2 },
      { channel: "whatsapp", status: "needs_template", reason: "", count: 1 },
    ]);
    expect(await r.redis.ttl(r.keys.counter("sent:2026-04-02"))).toBeGreaterThan(30 * 86400);
  });

  it("marks a user blocked on a gone delivery, and reachable again when they write", async () => {
    stats.inbound("telegram:1", 1); // wrote, then blocked the bot before the buffer was written
    await stats.failed("telegram", { status: "gone", reason: "blocked" }, "telegram:1");
    await stats.failed("telegram", { status: "gone", reason: "blocked" }, "telegram:2");
    expect((await stats.snapshot()).blocked).toEqual({ telegram: 2 });
    stats.inbound("telegram:2", 1); // came back
    expect((await stats.snapshot()).blocked).toEqual({ telegram: 1 });
    expect(await r.redis.sismember(r.keys.counter("blocked:telegram"), "telegram:1")).toBe(1);
  });

  it("adds the queue depth when a reader is registered", async () => {
    expect((await stats.snapshot()).queues).toBeUndefined();
    stats.setQueueDepthReader(async () => ({ telegram: 4 }));
    expect((await stats.snapshot()).queues).toEqual({ telegram: 4 });
  });
});
