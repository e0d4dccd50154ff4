// Issue 13, part 2: applications as records. Plain words create and move them, a rejection
// offers feedback and reapply for that very application, /applications lists, edits and deletes
// them, the counts and the quiet-week nudge come from them and from real dates, data of the old
// format still reads, and the parsing is right. Through the engine on real Redis.
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { formatLocal } from "../src/core/time.js";
import { EVE_HOUR } from "../src/core/flows/applications.js";
import { PAGE_SIZE as APPS_PAGE } from "../src/core/paging.js";
import { TurnContext } from "../src/core/context.js";
import { progress, quietWeek } from "../src/core/flows/progress.js";
import type { UserKey } from "../src/core/types.js";
import { APPS_MAX, RedisApplications } from "../src/store/applications.js";
import { createEntities } from "../src/understanding/entities/index.js";
import { L, T } from "./helpers/bot.js";
import { Chat, makeFlowEngine } from "./helpers/flows.js";
import { redisPerTest } from "./helpers/redis.js";

const r = redisPerTest();

const JHB = "Africa/Johannesburg";
const DAY = 86_400_000;

async function records(chat: Chat) {
  return (await chat.h.services.stores.applications.list(chat.user, 0, 100)).records;
}

describe("parsing what people say about an application", () => {
  const entities = createEntities();
  it.each([
    ["I applied to Shoprite for cashier", { company: "Shoprite", role: "cashier" }],
    ["I got the job at Absa!!! 🎉", { company: "Absa" }],
    ["I have an interview tomorrow and I'm nervous", {}],
    ["I got an interview at Shoprite", { company: "Shoprite" }],
    ["i applied at pick n pay", { company: "pick n pay" }],
  ])("%s", (said, want) => {
    expect(entities.application(said)).toEqual(want);
  });

  it("never names a company 'it' in a reply", async () => {
    const chat = new Chat(makeFlowEngine(r));
    const out = await chat.say("I have an interview tomorrow and I'm nervous");
    // "tomorrow" is the interview's date: the evening-before reminder is today at 18:00.
    expect(out[0]!.startsWith(T("progress.logged_interview_unnamed"))).toBe(true);
    expect(out.join(" ")).not.toMatch(/\bit\)|at it\b/);
    expect((await records(chat))[0]).toMatchObject({ stage: "interview" });
    expect((await records(chat))[0]!.company).toBeUndefined();
  });
});

describe("records from plain words", () => {
  it("'I applied to Shoprite for cashier' creates one; 'I got an interview at Shoprite' moves it", async () => {
    const h = makeFlowEngine(r);
    const chat = new Chat(h);
    expect((await chat.say("I applied to Shoprite for cashier"))[0]).toBe(
      T("progress.logged_applied", { what: "Shoprite (cashier)", week: 1 }),
    );
    let [rec] = await records(chat);
    expect(rec).toMatchObject({
      company: "Shoprite",
      role: "cashier",
      stage: "applied",
      appliedAt: h.clock.now(),
      reached: ["applied"],
    });
    h.clock.advance(3 * DAY);
    const out = await chat.say("I got an interview at Shoprite");
    expect(out[0]).toBe(T("progress.logged_interview", { what: "Shoprite (cashier)" }));
    expect(chat.choices().map((c) => c.value)).toContain("/practice");
    const all = await records(chat);
    expect(all).toHaveLength(1);
    [rec] = all;
    expect(rec).toMatchObject({ id: rec!.id, stage: "interview", reached: ["applied", "interview"] });
    const tally = await h.services.stores.applications.tally(chat.user, h.clock.now());
    expect(tally.totals).toEqual({ applied: 1, interview: 1, rejected: 0, offer: 0 });
  });

  it("an interview with a date schedules a reminder at 18:00 the evening before, which offers practice", async () => {
    const h = makeFlowEngine(r); // Tue 24 Nov 2026, 10:00 in Johannesburg
    const chat = new Chat(h);
    await chat.say("I applied to Absa");
    const out = await chat.say("I got an interview at Absa on Friday at 10am");
    const eve = DateTime.fromISO("2026-11-26T18:00", { zone: JHB }).toMillis();
    expect(out[0]).toBe(
      `${T("progress.logged_interview", { what: "Absa" })}\n\n${T("progress.interview_eve_set", { when: formatLocal(eve, JHB) })}`,
    );
    const [item] = await h.scheduled(chat.user);
    expect(item).toMatchObject({ kind: "interview_eve", dueAt: eve, data: { company: "Absa" } });
    expect(DateTime.fromMillis(item!.dueAt, { zone: JHB }).hour).toBe(EVE_HOUR);
    h.clock.set(eve);
    const replies = await h.engine.renderDue(item!);
    expect(replies?.[0]).toMatchObject({ kind: "text", text: T("applications.eve", { name: "Absa" }) });
    expect(replies?.[0]?.kind === "text" && replies[0].choices?.map((c) => c.value)).toContain("/practice");
    // Moved on meanwhile (an offer): nothing is sent.
    await h.services.stores.applications.update(chat.user, item!.data!.app!, { stage: "offer" }, h.clock.now());
    expect(await h.engine.renderDue(item!)).toEqual([]);
  });

  it("a rejection moves the record and offers feedback and reapply for it, with its company and role", async () => {
    const h = makeFlowEngine(r);
    const chat = new Chat(h);
    await chat.say("I applied to Pep for sales assistant");
    await chat.say("/progress rejected");
    const out = await chat.say("Pep");
    expect(out[0]).toBe(T("progress.logged_rejected", { what: "Pep (sales assistant)" }));
    const [rec] = await records(chat);
    expect(rec!.stage).toBe("rejected");
    expect(chat.choices().map((c) => c.value)).toEqual(expect.arrayContaining(["/feedback", `/reapply ${rec!.id}`]));
    // Reapply already knows the company and the role: it asks when.
    expect(await chat.tap(L("apps_reapply"))).toEqual([T("remind.reapply_wait")]);
    await chat.tap(L("reapply_3m"));
    await chat.say("practised answers with STAR");
    await chat.tap(L("rem_save"));
    const [item] = await h.scheduled(chat.user);
    expect(item).toMatchObject({ kind: "reapply", data: { company: "Pep", role: "sales assistant" } });
  });
});

describe("from the rejection support", () => {
  it("links to the record: noted in one tap and a name, then feedback and reapply for it", async () => {
    const chat = new Chat(makeFlowEngine(r));
    await chat.say("I applied to Pep for cashier");
    await chat.say("I didn't get the job at Pep");
    await chat.tap(L("apps_mark_rejected"));
    expect(chat.texts()).toEqual([T("progress.ask_what"), T("progress.ask_what_hint")]);
    expect((await chat.say("Pep"))[0]).toBe(T("progress.logged_rejected", { what: "Pep (cashier)" }));
    const [rec] = await records(chat);
    expect(rec).toMatchObject({ stage: "rejected", company: "Pep" });
    expect(chat.choices().map((c) => c.value)).toEqual(expect.arrayContaining(["/feedback", `/reapply ${rec!.id}`]));
  });

  it("reads an application the phrase lists miss when the engine's model routed it here", async () => {
    const h = makeFlowEngine(r);
    const chat = new Chat(h);
    // As the engine routes the "applied" intent: the progress flow with the text, and the reading.
    await chat.say("/help");
    const profile = (await h.services.state.profiles.get(chat.user))!;
    const ctx = new TurnContext(chat.user, "console", profile, h.services, null, h.clock.now(), new Set());
    ctx.reading = {
      language: { id: "en", confidence: 1 },
      intent: { id: "applied", confidence: 0.9 },
      risk: { level: "none", score: 0 },
    };
    const turn = await progress.start(ctx, "Dropped off my CV at Clicks today");
    expect(turn.replies[0]).toMatchObject({ text: T("progress.logged_applied", { what: "Clicks", week: 1 }) });
  });
});

describe("/applications", () => {
  it("lists them, shows one, moves its stage, fills in details, and deletes it after a yes", async () => {
    const h = makeFlowEngine(r);
    const chat = new Chat(h);
    await chat.say("I applied to Shoprite for cashier");
    h.clock.advance(60_000);
    await chat.say("I applied to Capitec");
    const [list] = await chat.say("/applications");
    expect(list).toContain(
      `1. ${T("applications.line", { name: "Capitec", stage: T("applications.stage_applied"), date: "24 Nov 2026" })}`,
    );
    expect(list).toContain("2. Shoprite (cashier)");
    expect(chat.choices().map((c) => c.label)).toEqual(["1. Capitec", "2. Shoprite", L("done")]);
    await chat.tap("2. Shoprite");
    expect(chat.texts()[0]).toContain("Shoprite (cashier)");
    await chat.tap(L("apps_stage"));
    expect(chat.choices().map((c) => c.label)).toEqual(
      ["applied", "interview", "offer", "rejected", "withdrawn"].map((s) => L(`apps_stage_${s}`)),
    );
    await chat.tap(L("apps_stage_withdrawn"));
    expect(chat.texts()[0]).toContain(`${T("applications.saved")}\n\nShoprite (cashier)`);
    await chat.tap(L("apps_contact"));
    await chat.say("Thandi in HR");
    await chat.tap(L("apps_notes"));
    await chat.say("They liked my till experience");
    await chat.tap(L("apps_next"));
    await chat.say("email Thandi on Monday");
    const shop = (await records(chat)).find((x) => x.company === "Shoprite")!;
    expect(shop).toMatchObject({
      stage: "withdrawn",
      contact: "Thandi in HR",
      notes: "They liked my till experience",
      nextAction: "email Thandi on Monday",
    });
    expect(chat.texts()[0]).toContain("email Thandi on Monday");
    await chat.tap(L("apps_delete"));
    expect((await chat.tap(L("no")))[0]).toContain("Shoprite (cashier)");
    expect(await records(chat)).toHaveLength(2);
    await chat.tap(L("apps_delete"));
    expect((await chat.tap(L("apps_delete_yes")))[0]).toBe(T("applications.deleted"));
    expect((await records(chat)).map((x) => x.company)).toEqual(["Capitec"]);
    // Deleted: out of the counts too.
    expect((await h.services.stores.applications.tally(chat.user, h.clock.now())).totals.applied).toBe(1);
  });

  it("an interview date typed on a record schedules the evening-before reminder", async () => {
    const h = makeFlowEngine(r);
    const chat = new Chat(h);
    await chat.say("I applied to Vodacom");
    await chat.say("/applications");
    await chat.tap("1. Vodacom");
    await chat.tap(L("apps_when"));
    await chat.say("3 December 9am");
    const eve = DateTime.fromISO("2026-12-02T18:00", { zone: JHB }).toMillis();
    expect(chat.texts()[0]).toContain(T("progress.interview_eve_set", { when: formatLocal(eve, JHB) }));
    expect((await h.scheduled(chat.user)).map((i) => [i.kind, i.dueAt])).toEqual([["interview_eve", eve]]);
    // A new date replaces the reminder; it does not add a second one.
    await chat.tap(L("apps_when"));
    await chat.say("4 December 9am");
    expect((await h.scheduled(chat.user)).map((i) => i.dueAt)).toEqual([eve + DAY]);
    expect((await records(chat))[0]).toMatchObject({ stage: "interview" });
  });

  it("pages a long list", async () => {
    const h = makeFlowEngine(r);
    const chat = new Chat(h);
    for (let n = 1; n <= APPS_PAGE + 2; n++) {
      await h.services.stores.applications.add(
        chat.user,
        { company: `Company ${n}`, appliedAt: h.clock.now() },
        h.clock.now(),
      );
      h.clock.advance(1000);
    }
    await chat.say("/applications");
    expect(chat.choices()).toHaveLength(APPS_PAGE + 2);
    expect(chat.texts()[0]).toContain(T("applications.page", { page: 1, pages: 2, count: APPS_PAGE + 2 }));
    await chat.tap(L("rem_more"));
    expect(chat.choices().map((c) => c.label)).toEqual(["9. Company 2", "10. Company 1", L("done")]);
  });
});

describe("momentum from real dates", () => {
  it("no nudge on first use, nor days after the first application; a nudge when the newest is 7+ days old", async () => {
    const h = makeFlowEngine(r);
    const chat = new Chat(h);
    const nudged = async () => (await chat.say("/progress")).join("\n").includes(T("progress.nudge"));
    expect(await nudged()).toBe(false);
    // Only an interview logged (no application date known): no nudge.
    await chat.say("I have an interview tomorrow");
    expect(await nudged()).toBe(false);
    await chat.say("I applied to Woolworths");
    h.clock.advance(6 * DAY);
    expect(await nudged()).toBe(false);
    h.clock.advance(DAY);
    expect(await nudged()).toBe(true);
  });

  it("never right after an offer", async () => {
    const h = makeFlowEngine(r);
    const chat = new Chat(h);
    await chat.say("I applied to Absa");
    h.clock.advance(10 * DAY);
    await chat.say("I got the job at Absa!!! 🎉");
    expect((await chat.say("/progress")).join("\n")).not.toContain(T("progress.nudge"));
    expect(quietWeek({ lastAppliedAt: 0, lastOfferAt: 1 }, 8 * DAY)).toBe(false);
    expect(quietWeek({ lastAppliedAt: 2, lastOfferAt: 1 }, 8 * DAY)).toBe(true);
    expect(quietWeek({}, 8 * DAY)).toBe(false);
  });
});

describe("the store", () => {
  const U: UserKey = "telegram:4242";
  const T0 = Date.UTC(2026, 10, 2, 8);

  it("reads data of the old format: the totals as counted, and the log turned into records once", async () => {
    const apps = new RedisApplications(r.redis, r.keys, 3600);
    // Written by the version before records: the log alone.
    await apps.log(U, { at: T0, kind: "applied", what: "Shoprite" });
    await apps.log(U, { at: T0 + 1, kind: "applied", what: "Pep" });
    await apps.log(U, { at: T0 + 2, kind: "interview", what: "Shoprite" });
    await apps.log(U, { at: T0 + 3, kind: "rejected" });
    const before = await apps.tally(U, T0 + 10);
    const log = await r.redis.zrange(r.keys.user(U, "apps"), 0, -1, "WITHSCORES");
    const { total, records: recs } = await apps.list(U, 0, 10);
    expect(total).toBe(3);
    expect(recs.map((x) => [x.company, x.stage])).toEqual([
      [undefined, "rejected"],
      ["Shoprite", "interview"],
      ["Pep", "applied"],
    ]);
    // Not counted twice.
    expect(await apps.tally(U, T0 + 10)).toEqual(before);
    expect((await apps.findByCompany(U, "shoprite"))?.stage).toBe("interview");
    // Once: a second listing changes nothing; the events made way for the records' ids.
    expect((await apps.list(U, 0, 10)).total).toBe(3);
    const members = await r.redis.zrange(r.keys.user(U, "apps"), 0, -1);
    expect(members.filter((m) => m.startsWith("{"))).toEqual([]);
    expect(members).toHaveLength(3);
    // Cut short before the events went, and run again: the same records, not new ones.
    for (let i = 0; i < log.length; i += 2) await r.redis.zadd(r.keys.user(U, "apps"), log[i + 1]!, log[i]!);
    await r.redis.hdel(r.keys.user(U, "appcounts"), "recs");
    const again = await apps.list(U, 0, 10);
    expect(again.total).toBe(3);
    expect(again.records.map((x) => x.id).sort()).toEqual(recs.map((x) => x.id).sort());
    expect(await apps.tally(U, T0 + 10)).toEqual(before);
    expect(await r.redis.ttl(r.keys.user(U, "apprecs"))).toBeGreaterThan(0);
  });

  it(`keeps at most ${APPS_MAX} records, and a stage set twice counts once`, async () => {
    const apps = new RedisApplications(r.redis, r.keys, 3600, 5);
    const made = [];
    for (let n = 0; n < 7; n++) made.push(await apps.add(U, { company: `C${n}`, appliedAt: T0 + n }, T0 + n));
    const { total } = await apps.list(U, 0, 10);
    expect(total).toBe(5);
    expect(await apps.findByCompany(U, "C0")).toBeUndefined();
    expect((await apps.tally(U, T0 + 10)).totals.applied).toBe(7);
    await apps.update(U, made[6]!.id, { stage: "interview" }, T0 + 20);
    await apps.update(U, made[6]!.id, { stage: "applied" }, T0 + 21);
    await apps.update(U, made[6]!.id, { stage: "interview" }, T0 + 22);
    expect((await apps.tally(U, T0 + 30)).totals.interview).toBe(1);
    expect(await r.redis.hlen(r.keys.user(U, "apprecs"))).toBe(10); // 5 records and their 5 names
  });
});
