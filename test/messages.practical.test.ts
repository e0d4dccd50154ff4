// Practical help in South Africa (/money, offered from /wellbeing when money worries come up),
// and no invented claims: no unsourced "filled before they are advertised", and "free" said only
// of toll-free (0800) helplines.
import { describe, expect, it } from "vitest";
import { loadContent } from "../src/content/content.js";
import { en, MESSAGES_DIR, L } from "./helpers/bot.js";
import { Chat, makeFlowEngine } from "./helpers/flows.js";
import { redisPerTest } from "./helpers/redis.js";

const r = redisPerTest();

const T = (id: string) => en.text(id);

describe("/money", () => {
  it("offers the four topics, shows each with the others on offer, and leaves the next words free", async () => {
    const chat = new Chat(makeFlowEngine(r));
    expect(await chat.say("/money")).toEqual([T("practical.overview")]);
    const topics = ["practical_srd", "practical_uif", "practical_jobsites", "practical_cv"].map(L);
    expect(chat.choices().map((c) => c.label)).toEqual(topics);
    expect(await chat.tap(L("practical_srd"))).toEqual([T("practical.srd"), T("practical.more")]);
    expect(chat.choices().map((c) => c.label)).toEqual(topics.slice(1));
    // The typed number of an offered choice.
    expect(await chat.say("3")).toEqual([T("practical.cv_help"), T("practical.more")]);
    expect(await chat.tap(L("practical_jobsites"))).toEqual([T("practical.job_sites"), T("practical.more")]);
    // What comes next is read as itself, not taken for a topic.
    const [logged] = await chat.say("I applied to Clicks for sales assistant");
    expect(logged).not.toBe(T("practical.more"));
    expect(await chat.say("/progress")).not.toContain(T("progress.empty"));
  });

  it("answers the bare word and a named topic at once", async () => {
    const chat = new Chat(makeFlowEngine(r));
    expect(await chat.say("money")).toEqual([T("practical.overview")]);
    expect(await chat.say("/money uif")).toEqual([T("practical.uif"), T("practical.more")]);
  });

  it("is offered from stress support when the words speak of money, and not otherwise", async () => {
    const chat = new Chat(makeFlowEngine(r));
    const out = await chat.say("I'm so stressed, I can't pay rent and have no money for transport");
    expect(out).toHaveLength(2);
    expect(out[0]).toContain(T("care.wellbeing"));
    expect(out[0]).toContain(T("practical.from_wellbeing"));
    expect(chat.choices()[0]).toEqual({ label: L("menu_practical"), value: "/money" });
    expect(await chat.tap(L("menu_practical"))).toEqual([T("practical.overview")]);

    const other = new Chat(makeFlowEngine(r));
    const calm = await other.say("I'm so stressed about the interview");
    expect(calm[0]).toBe(T("care.wellbeing"));
    expect(other.choices().map((c) => c.value)).not.toContain("/money");
  });
});

describe("no invented claims", () => {
  const content = loadContent(MESSAGES_DIR, "en");
  const all = content.locales().flatMap((l) =>
    content
      .for(l)
      .allMessages()
      .flatMap((m) => m.variants.map((v) => ({ id: `${l}:${m.id}#${v.id}`, text: v.text }))),
  );

  it("says nothing about jobs 'filled before they are advertised'", () => {
    const unsourced = /before they are advertised|hidden job market/i;
    expect(all.filter((m) => unsourced.test(m.text)).map((m) => m.id)).toEqual([]);
  });

  it("calls a helpline free only when it is toll-free (0800)", () => {
    for (const locale of content.locales()) {
      const lines = content.for(locale).dataOf<{ number: string }[]>("helplines");
      // {helpline} is filled with the first (crisis) or second (mental-health) line: both must be 0800.
      expect(lines[0]!.number, locale).toMatch(/^0800 /);
      expect(lines[1]!.number, locale).toMatch(/^0800 /);
    }
    // A number written out beside "free" must be an 0800 one.
    const freeButPaid = /free[^.\n]{0,40}\b0(861|11|86|87)\b|\b0(861|11)\b[^.\n]{0,40}\bfree\b/i;
    const wrong = all.filter((m) => freeButPaid.test(m.text)).map((m) => m.id);
    expect(wrong).toEqual([]);
  });

  it("keeps a source beside every fact in practical.yaml", async () => {
    const { readFileSync } = await import("node:fs");
    const yaml = readFileSync(`${MESSAGES_DIR}/en/practical.yaml`, "utf8");
    for (const id of ["srd", "uif", "job_sites", "cv_help"]) {
      const before = yaml.slice(0, yaml.indexOf(`\n${id}:`));
      const comment = before.slice(before.lastIndexOf("\n\n"));
      expect(comment, id).toMatch(/# Sources \(all checked 2026-11-28/);
      expect(comment, id).toMatch(/https?:\/\//);
    }
  });
});
