// What a delivery leaves in Redis (issue 14.2): the send guard lives a day, not a week, and a
// completed job's id leaves the user's `jobs` set (it was only there so /forget could find a job).
import { DateTime } from "luxon";
import { en } from "./helpers/bot.js";
import { describe, expect, test } from "./helpers/fixtures.js";
import { eventually } from "./helpers/redis.js";

const JHB = "Africa/Johannesburg";
const startAt = DateTime.fromISO("2026-11-26T10:00", { zone: JHB }).toMillis();
const it = test.override({ startAt, env: { SCHEDULER_TICK_SECONDS: "59" } });

describe("what a delivery leaves behind", () => {
  it("a delivered reminder leaves one send guard that expires within a day, and no job id in the user's set", async ({
    telegram: tg,
    redis: r,
    bot,
    clock,
  }) => {
    await tg.say(611, "/remind tomorrow 9am follow up with Acme");
    await tg.tap(611, "remind.confirm:yes");
    const dueAt = DateTime.fromISO("2026-11-27T09:00", { zone: JHB }).toMillis();
    clock.set(dueAt);
    expect(await bot.schedule.tick()).toBe(1);
    await eventually(() => tg.texts(611).length === 3);
    expect(tg.texts(611)[2]).toBe(en.text("remind.due", { what: "follow up with Acme" }));

    const jobs = r.keys.user("telegram:611", "jobs");
    // The id is taken out once the job completes, just after the send.
    await eventually(async () => (await r.redis.exists(jobs)) === 0);
    const guards = await r.redis.keys(`${r.keys.prefix}:{q}:sent:*`);
    expect(guards).toHaveLength(1);
    const ttl = await r.redis.ttl(guards[0]!);
    expect(ttl).toBeGreaterThan(23 * 3600);
    expect(ttl).toBeLessThanOrEqual(24 * 3600);
  });

  it("a waiting job's id stays in the user's set, so /forget can still find it", async ({
    telegram: tg,
    redis: r,
    bot,
    clock,
  }) => {
    await tg.say(612, "/remind tomorrow 9am call Thandi");
    await tg.tap(612, "remind.confirm:yes");
    // The Bot API refuses the delivery: the job fails, waits for its retry, and is not done.
    tg.fail({ method: "sendMessage", code: 502, description: "Bad Gateway", chats: ["612"], times: Infinity });
    clock.set(DateTime.fromISO("2026-11-27T09:00", { zone: JHB }).toMillis());
    expect(await bot.schedule.tick()).toBe(1);
    const jobs = r.keys.user("telegram:612", "jobs");
    // The refused try puts the job among the delayed ones, waiting for its retry.
    const delayed = `${r.keys.queuePrefix()}:deliver-telegram:delayed`;
    await eventually(async () => (await r.redis.zcard(delayed)) === 1);
    expect(await r.redis.zcard(jobs)).toBe(1);
  });
});
