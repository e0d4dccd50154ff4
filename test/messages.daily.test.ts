// The daily boost greets by the subscriber's local time of day when it is sent, says "tonight"
// only in the evening, and a new time or zone keeps a pause (and says so).
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { partOfDay } from "../src/core/flows/daily.js";
import { en } from "./helpers/bot.js";
import { dailyTexts } from "./helpers/messages.js";
import { Chat, makeFlowEngine } from "./helpers/flows.js";
import { redisPerTest } from "./helpers/redis.js";

const r = redisPerTest();

const JHB = "Africa/Johannesburg";

/** Subscribes at `time`, moves the fake clock to the delivery and renders it as the worker would. */
async function boostAt(time: string, zone = JHB): Promise<string> {
  const h = makeFlowEngine(r);
  const chat = new Chat(h);
  await chat.say(`/daily ${time} in ${zone}`);
  const sub = await h.services.schedule.daily.status(chat.user);
  expect(sub?.time).toBe(time);
  h.clock.set(sub!.nextAt);
  const replies = await h.engine.renderDue({ id: "d1", user: chat.user, kind: "daily", dueAt: sub!.nextAt });
  expect(replies).toHaveLength(1);
  return replies![0]!.kind === "text" ? replies![0]!.text : "";
}

describe("the daily boost's greeting", () => {
  it("says good morning at 08:00 local time, and never 'tonight'", async () => {
    const out = await boostAt("08:00");
    expect(out.startsWith("Good morning!")).toBe(true);
    expect(dailyTexts("morning")).toContain(out);
    expect(out).not.toMatch(/tonight|evening/i);
  });

  it("says good evening at 20:00 local time", async () => {
    const out = await boostAt("20:00");
    expect(out.startsWith("Good evening!")).toBe(true);
    expect(dailyTexts("evening")).toContain(out);
    expect(out).not.toMatch(/morning/i);
  });

  it("follows the subscriber's zone, not the server's", async () => {
    // 20:00 in London is 22:00 in Johannesburg and 20:00 UTC: the greeting is London's.
    const out = await boostAt("20:00", "Europe/London");
    expect(out.startsWith("Good evening!")).toBe(true);
    expect(partOfDay(DateTime.fromISO("2026-11-25T13:30", { zone: JHB }).toMillis(), JHB)).toBe("afternoon");
    expect(partOfDay(DateTime.fromISO("2026-11-25T02:00", { zone: JHB }).toMillis(), JHB)).toBe("night");
  });

  it("says 'tonight' only in the evening, in every variant", () => {
    const evening = dailyTexts("evening").filter((t) => /tonight/.test(t));
    expect(evening.length).toBeGreaterThan(0);
    for (const part of ["morning", "afternoon", "night"] as const) {
      for (const t of dailyTexts(part)) expect(t).not.toMatch(/tonight/i);
    }
    for (const t of dailyTexts("night")) expect(t.startsWith("Hi!")).toBe(true);
  });
});

describe("changing the daily time or zone while paused", () => {
  it("keeps the pause and says until when", async () => {
    const h = makeFlowEngine(r); // Tue 24 Nov 2026, 10:00 in Johannesburg
    const chat = new Chat(h);
    await chat.say("/daily 07:30");
    await chat.say("/daily");
    await chat.tap(en.label("daily_pause"));
    const paused = await h.services.schedule.daily.status(chat.user);
    expect(paused?.pausedUntil).toBeDefined();

    await chat.say("/daily");
    await chat.tap(en.label("daily_change_zone"));
    const [said] = await chat.tap(en.label("zone_london"));
    const sub = await h.services.schedule.daily.status(chat.user);
    expect(sub).toMatchObject({ timezone: "Europe/London", time: "07:30", pausedUntil: paused!.pausedUntil });
    // The next boost comes after the pause, at 07:30 London time.
    expect(sub!.nextAt).toBeGreaterThan(paused!.pausedUntil!);
    expect(DateTime.fromMillis(sub!.nextAt, { zone: "Europe/London" }).toFormat("HH:mm")).toBe("07:30");
    expect(said).toContain("paused until");
  });

  it("a new time after the pause has passed starts at once, with no pause left", async () => {
    const h = makeFlowEngine(r);
    const chat = new Chat(h);
    await chat.say("/daily 07:30");
    await chat.say("/daily");
    await chat.tap(en.label("daily_pause"));
    h.clock.advance(4 * 86_400_000);
    const [said] = await chat.say("/daily 9:00");
    expect(said).toContain("Done! Your daily boost comes at 09:00");
    expect((await h.services.schedule.daily.status(chat.user))?.pausedUntil).toBeUndefined();
  });
});
