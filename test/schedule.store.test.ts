// The due index's one-call writes on the delivery hot path: a whole claimed batch acked in one
// script, and "delivered" marked in one script that leaves cancelled or moved items alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DueIndex } from "../src/schedule/store.js";
import { testRedis, type TestRedis } from "./helpers/redis.js";

let r: TestRedis;
let index: DueIndex;
const T0 = Date.UTC(2026, 2, 1, 7, 0);
beforeAll(async () => {
  r = await testRedis();
  index = new DueIndex(r.redis, r.keys, { now: () => T0 });
});
afterAll(() => r.cleanup());

describe("DueIndex hot-path writes", () => {
  it("acks a claimed batch in one call and puts the daily member back at its next time", async () => {
    const a = await index.add({ user: "telegram:1", kind: "reminder", dueAt: T0, text: "call Thandi" });
    await index.setDaily("telegram:2", T0);
    const claimed = await index.claim(T0, 10, 60_000);
    expect(claimed.map((c) => c.item.kind).sort()).toEqual(["daily", "reminder"]);
    expect(await r.redis.zcard(r.keys.sched("lease"))).toBe(2);

    await index.ackAll(
      claimed.map((c) =>
        c.item.kind === "daily"
          ? { lease: c.lease, dailyNext: { user: c.item.user, at: T0 + 86_400_000 } }
          : { lease: c.lease },
      ),
    );
    expect(await r.redis.zcard(r.keys.sched("lease"))).toBe(0);
    expect(await index.dailyAt("telegram:2")).toBe(T0 + 86_400_000);
    expect(await r.redis.zscore(r.keys.sched("due"), a.status === "scheduled" ? a.item.id : "")).toBeNull();
  });

  it("marks a delivered reminder, keeping its fields readable, but not one moved or cancelled meanwhile", async () => {
    const res = await index.add({
      user: "telegram:3",
      kind: "reminder",
      dueAt: T0 + 1000,
      text: 'say "thanks", then {follow up}',
    });
    if (res.status !== "scheduled") throw new Error("not scheduled");
    await index.markDelivered(res.item, T0 + 2000);
    expect(await index.stored(res.item.id)).toEqual({ ...res.item, deliveredAt: T0 + 2000 });
    // Marked once: a replay does not move the time.
    await index.markDelivered(res.item, T0 + 9000);
    expect((await index.stored(res.item.id))?.deliveredAt).toBe(T0 + 2000);

    const moved = await index.add({ user: "telegram:3", kind: "reminder", dueAt: T0 + 1000, text: "x" });
    if (moved.status !== "scheduled") throw new Error("not scheduled");
    await index.reschedule("telegram:3", moved.item.id, T0 + 10_000);
    await index.markDelivered(moved.item, T0 + 2000);
    expect((await index.stored(moved.item.id))?.deliveredAt).toBeUndefined();

    await index.cancel("telegram:3", moved.item.id);
    await index.markDelivered({ ...moved.item, dueAt: T0 + 10_000 }, T0 + 11_000);
    expect(await index.stored(moved.item.id)).toBeUndefined();
  });
});
