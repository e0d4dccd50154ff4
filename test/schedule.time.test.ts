// Pure time functions: typed daily times, the next daily time across DST, reminders in words.
import { describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { nextDailyAt, parseLocalTime } from "../src/core/time.js";
import { createEntities } from "../src/understanding/entities/index.js";

// Zones and reminders are read by the Entities port, as the flows read them (ctx.entities).
const entities = createEntities();
const normalizeZone = (s: string) => entities.zone(s);
const parseReminder: typeof entities.reminder = (...a) => entities.reminder(...a);

const JHB = "Africa/Johannesburg";
const at = (iso: string, zone = JHB) => DateTime.fromISO(iso, { zone }).toMillis();
const local = (ms: number, zone = JHB) => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-LL-dd HH:mm");

describe("parseLocalTime", () => {
  it.each([
    ["7:30", 7, 30],
    ["07h30", 7, 30],
    ["8am", 8, 0],
    ["8 AM", 8, 0],
    ["8:15pm", 20, 15],
    ["20:00", 20, 0],
    ["0730", 7, 30],
    ["7", 7, 0],
  ])("reads %s", (s, hour, minute) => {
    expect(parseLocalTime(s)).toEqual({ hour, minute });
  });
  it.each(["25:00", "7:75", "thirteen", "", "🎉", "13pm", "x".repeat(5000)])("refuses %s", (s) => {
    expect(parseLocalTime(s)).toBeUndefined();
  });
});

describe("normalizeZone", () => {
  it("accepts IANA zones loosely typed and refuses others", () => {
    expect(normalizeZone("europe/london")).toBe("Europe/London");
    expect(normalizeZone("Africa/Johannesburg")).toBe(JHB);
    expect(normalizeZone("Mars/Phobos")).toBeUndefined();
    // Places too, since the Entities port: "Cape Town" and "London" name their zones.
    expect(normalizeZone("London")).toBe("Europe/London");
    expect(normalizeZone("Cape Town")).toBe(JHB);
  });
});

describe("nextDailyAt", () => {
  it("is later today when the time has not passed, else tomorrow", () => {
    expect(local(nextDailyAt({ hour: 7, minute: 0 }, JHB, at("2026-11-26T06:00")))).toBe("2026-11-26 07:00");
    expect(local(nextDailyAt({ hour: 7, minute: 0 }, JHB, at("2026-11-26T07:00")))).toBe("2026-11-27 07:00");
  });
  it("keeps 07:00 London time across both DST changes", () => {
    const L = "Europe/London";
    // Spring forward: Sunday 28 March 2027, 01:00 -> 02:00.
    let t = at("2027-03-26T08:00", L);
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      t = nextDailyAt({ hour: 7, minute: 0 }, L, t);
      seen.push(`${local(t, L)} UTC${DateTime.fromMillis(t, { zone: "UTC" }).toFormat("HH")}`);
    }
    expect(seen).toEqual([
      "2027-03-27 07:00 UTC07",
      "2027-03-28 07:00 UTC06",
      "2027-03-29 07:00 UTC06",
      "2027-03-30 07:00 UTC06",
    ]);
    // Fall back: Sunday 25 October 2026.
    const autumn = nextDailyAt({ hour: 7, minute: 0 }, L, at("2026-10-24T08:00", L));
    expect(DateTime.fromMillis(autumn, { zone: "UTC" }).toFormat("dd HH")).toBe("25 07");
  });
  it("moves a time inside the skipped hour forward, never into the past", () => {
    const t = nextDailyAt({ hour: 1, minute: 30 }, "Europe/London", at("2027-03-27T12:00", "Europe/London"));
    expect(t).toBeGreaterThan(at("2027-03-27T12:00", "Europe/London"));
    expect(DateTime.fromMillis(t, { zone: "Europe/London" }).day).toBe(28);
  });
});

describe("parseReminder", () => {
  const now = at("2026-11-26T10:00"); // a Thursday
  it("reads the article's examples in the user's zone", () => {
    const a = parseReminder("in 2 weeks call Thandi", now, JHB);
    expect(a).toMatchObject({ status: "ok", what: "call Thandi" });
    expect(local((a as { dueAt: number }).dueAt)).toBe("2026-12-10 09:00");
    const b = parseReminder("tomorrow 9am follow up with Acme", now, JHB);
    expect(b).toMatchObject({ status: "ok", what: "follow up with Acme" });
    expect(local((b as { dueAt: number }).dueAt)).toBe("2026-11-27 09:00");
    const c = parseReminder("on 1 March reapply at Shoprite", now, JHB);
    expect(c).toMatchObject({ status: "ok", what: "reapply at Shoprite" });
    expect(local((c as { dueAt: number }).dueAt)).toBe("2027-03-01 09:00");
    const d = parseReminder("next Friday", now, JHB, { needText: false });
    expect(d.status).toBe("ok");
    expect(DateTime.fromMillis((d as { dueAt: number }).dueAt, { zone: JHB }).weekday).toBe(5);
  });
  it("reads times in the user's zone, not the server's", () => {
    const r = parseReminder("tomorrow 9am call Sipho", now, "America/New_York");
    expect(DateTime.fromMillis((r as { dueAt: number }).dueAt, { zone: "America/New_York" }).toFormat("HH:mm")).toBe(
      "09:00",
    );
  });
  it("refuses past, impossible and unreadable dates", () => {
    expect(parseReminder("in -3 days call Thandi", now, JHB).status).toBe("past");
    expect(parseReminder("on 31 February call Thandi", now, JHB).status).toBe("no_date");
    expect(parseReminder("at 25:00 call Thandi", now, JHB).status).toBe("no_date");
    expect(parseReminder("🎉🎉🎉", now, JHB).status).toBe("no_date");
    expect(parseReminder("on 1 Jan 2020 call", now, JHB).status).toBe("past");
    expect(parseReminder(`tomorrow ${"a".repeat(5000)}`, now, JHB).status).toBe("too_long");
    expect(parseReminder("tomorrow 9am", now, JHB).status).toBe("no_text");
  });
});
