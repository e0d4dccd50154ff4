// Entities one way in every flow (issue 12, part 4), through the engine on real Redis: times in
// words for /daily and /remind, places for zones, counts in words for /goals, and free-text names
// in /goals and /feedback checked for plausibility (re-asked kindly, never stored).
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { UserKey } from "../src/core/types.js";
import { en } from "./helpers/bot.js";
import { buildCore, chatAs } from "./helpers/engine.js";
import { redisPerTest } from "./helpers/redis.js";

const JHB = "Africa/Johannesburg";
// Thursday 26 Nov 2026, 10:00 in Johannesburg.
const NOW = DateTime.fromISO("2026-11-26T10:00", { zone: JHB }).toMillis();

const r = redisPerTest();

let seq = 0;
function setup() {
  const core = buildCore(r.redis, r.prefix, { clock: { now: () => NOW } });
  const user = `console:ent${++seq}` as UserKey;
  return { core, user, chat: chatAs(core.engine, user) };
}

/** "Done! Your daily boost comes at {time} ({zone} time)..." with the time and zone read back. */
const subscribedAt = (time: string, zone = JHB) =>
  new RegExp(`^${en.text("daily.subscribed", { time, zone, next: "@" }).split("@")[0]!.replace(/[()]/g, "\\$&")}`);

describe("/daily reads times in words", () => {
  it.each([
    ["7 in the morning", "07:00"],
    ["half past seven", "07:30"],
    ["at 9", "09:00"],
    ["7:30", "07:30"],
    ["20h00", "20:00"],
    ["quarter to eight in the evening", "19:45"],
  ])("%s -> %s, at the time question and straight after /daily", async (typed, hhmm) => {
    const a = setup();
    expect((await a.chat.say("/daily")).texts).toEqual([en.text("daily.ask_time", { zone: JHB })]);
    const out = await a.chat.say(typed);
    expect(out.texts[0]).toMatch(subscribedAt(hhmm));
    expect((await a.core.services.schedule.daily.status(a.user))?.time).toBe(hhmm);

    const b = setup();
    expect((await b.chat.say(`/daily ${typed}`)).texts[0]).toMatch(subscribedAt(hhmm));
  });

  it("says kindly when the words hold no time, and stores nothing", async () => {
    const { chat, core, user } = setup();
    await chat.say("/daily");
    expect((await chat.say("whenever")).texts[0]).toBe(en.text("daily.bad_time"));
    expect(await core.services.schedule.daily.status(user)).toBeUndefined();
  });
});

describe("/daily reads zones from places", () => {
  it.each([
    ["Cape Town", JHB],
    ["Durban", JHB],
    ["Joburg", JHB],
    ["eKapa", JHB],
    ["London", "Europe/London"],
    ["Europe/London", "Europe/London"],
    ["africa/lagos", "Africa/Lagos"],
  ])("%s -> %s when asked for the zone", async (typed, zone) => {
    const { chat, core, user } = setup();
    await chat.say("/daily 7:00");
    await chat.say("/daily");
    await chat.press("daily.manage:zone");
    const out = await chat.say(typed);
    expect(out.texts[0]).toMatch(subscribedAt("07:00", zone));
    expect((await core.services.schedule.daily.status(user))?.timezone).toBe(zone);
  });

  it("takes a time and a place in one go: '7 in the morning in London', 'half past seven in Cape Town'", async () => {
    const a = setup();
    expect((await a.chat.say("/daily 7 in the morning in London")).texts[0]).toMatch(
      subscribedAt("07:00", "Europe/London"),
    );
    const b = setup();
    expect((await b.chat.say("/daily half past seven in Cape Town")).texts[0]).toMatch(subscribedAt("07:30", JHB));
  });

  it("says so when a place is not known, and keeps what was set", async () => {
    const { chat, core, user } = setup();
    expect((await chat.say("/daily 7:30 in Mars/Phobos")).texts[0]).toBe(en.text("daily.bad_zone"));
    expect(await core.services.schedule.daily.status(user)).toBeUndefined();
  });
});

describe("/remind reads the same times", () => {
  it("'7 in the morning' is accepted by /remind as by /daily", async () => {
    const { chat, core, user } = setup();
    const out = await chat.say("/remind tomorrow at 7 in the morning call Thandi");
    expect(out.texts[0]).toBe(
      en.text("remind.confirm", { when: "Fri 27 Nov 2026, 07:00", zone: JHB, what: "call Thandi" }),
    );
    await chat.press("remind.confirm:yes");
    const [item] = await core.services.schedule.scheduler.list(user);
    expect(DateTime.fromMillis(item!.dueAt, { zone: JHB }).toFormat("yyyy-LL-dd HH:mm")).toBe("2026-11-27 07:00");
    expect(item!.text).toBe("call Thandi");
  });

  it("half past seven and 'at 9' in a reminder", async () => {
    const { chat } = setup();
    await chat.say("/remind");
    expect((await chat.say("on Monday at half past seven email the recruiter")).texts[0]).toBe(
      en.text("remind.confirm", { when: "Mon 30 Nov 2026, 07:30", zone: JHB, what: "email the recruiter" }),
    );
    const b = setup();
    expect((await b.chat.say("/remind tomorrow at 9 to call Sipho")).texts[0]).toBe(
      en.text("remind.confirm", { when: "Fri 27 Nov 2026, 09:00", zone: JHB, what: "call Sipho" }),
    );
  });
});

describe("/goals", () => {
  it("reads counts in words ('five', 'three') and re-asks what is not a number", async () => {
    const { chat, core, user } = setup();
    await chat.say("/goals");
    await chat.say("admin assistant");
    await chat.say("retail, banking");
    await chat.say("R12 000 a month");
    expect((await chat.say("lots")).texts[0]).toBe(en.text("goals.number_please"));
    expect((await chat.say("five")).texts).toEqual([en.text("goals.ask_contacts")]);
    await chat.say("three");
    expect(await core.services.stores.goals.get(user)).toMatchObject({
      roles: "admin assistant",
      industries: "retail, banking",
      applications: 5,
      contacts: 3,
    });
  });

  it("does not take a greeting as a role or a reminder request as an industry; asks again kindly", async () => {
    const { chat, core, user } = setup();
    await chat.say("/goals");
    expect((await chat.say("hi")).texts).toEqual([en.text("goals.unclear_roles"), en.text("goals.ask_roles")]);
    expect((await chat.say("cashier")).texts).toEqual([en.text("goals.ask_industries")]);
    // A reminder request is not an industry: the engine lets the flow go and sets the reminder up.
    expect((await chat.say("remind me tomorrow at 9 to call Thandi")).texts[0]).toMatch(
      /^I'll remind you on .*\ncall Thandi/,
    );
    expect((await core.services.stores.goals.get(user))?.industries).toBeUndefined();
  });
});

describe("/feedback", () => {
  it("never writes 'Dear hi,': a greeting is not the interviewer's name, a question not a company", async () => {
    const { chat } = setup();
    await chat.say("/feedback");
    await chat.press("feedback.kind:interview");
    expect((await chat.say("how do I ask for feedback?")).texts).toEqual([
      en.text("feedback.unclear_company"),
      en.text("feedback.ask_company"),
    ]);
    expect((await chat.say("Capitec")).texts).toEqual([en.text("feedback.ask_role")]);
    expect((await chat.say("yes")).texts).toEqual([en.text("feedback.unclear_role"), en.text("feedback.ask_role")]);
    expect((await chat.say("Client consultant")).texts).toEqual([en.text("feedback.ask_name")]);
    expect((await chat.say("hi")).texts).toEqual([en.text("feedback.unclear_name"), en.text("feedback.ask_name")]);
    const letter = await chat.say("Ms Dlamini");
    const vars = { company: "Capitec", role: "Client consultant", name: "Ms Dlamini" };
    expect(letter.texts).toContain(en.text("feedback.email", vars));
    expect(letter.texts.join("\n")).not.toMatch(/Dear hi\b/i);
  });

  it("Skip still works on every step", async () => {
    const { chat } = setup();
    await chat.say("/feedback");
    await chat.press("feedback.kind:interview");
    expect((await chat.press("feedback.company:skip")).texts).toEqual([en.text("feedback.ask_role")]);
  });
});
