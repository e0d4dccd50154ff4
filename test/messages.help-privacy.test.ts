// /help lists every user command; /privacy counts in plain words with no internal counters;
// /mydata reads as a person would want it, with everything as a file beside it.
import { describe, expect, it } from "vitest";
import { LIMITS } from "../src/content/catalog.js";
import { en } from "./helpers/bot.js";
import { Chat, makeFlowEngine } from "./helpers/flows.js";
import { redisPerTest } from "./helpers/redis.js";

const r = redisPerTest();

describe("/help", () => {
  it("has a line for every public command the engine runs, or names it as a button target", () => {
    const h = makeFlowEngine(r);
    const groups = Object.keys(en.dataOf<Record<string, string>>("help_lines")).flatMap((g) => g.split(" "));
    const hidden = en.dataOf<string[]>("help_hidden");
    const missing = h.engine.publicCommands().filter((c) => !groups.includes(c) && !hidden.includes(c));
    expect(missing, "public commands with no help line: add one to help_lines in messages/en/core.yaml").toEqual([]);
  });

  it("lists each of them, and no operator command, within one message that WhatsApp can send with its menu", async () => {
    const h = makeFlowEngine(r);
    const [out] = await new Chat(h).say("/help");
    const hidden = en.dataOf<string[]>("help_hidden");
    const listed = h.engine.publicCommands().filter((x) => !hidden.includes(x));
    for (const c of listed) expect(out).toMatch(new RegExp(`/${c}\\b`));
    expect(out).not.toMatch(/\/stats|\/broadcast/);
    expect(out).toContain("/money – ");
    expect([...out!].length).toBeLessThanOrEqual(LIMITS.text);
    // Past 1,024 characters WhatsApp takes no interactive body: the menu would come as numbered text.
    expect([...out!].length).toBeLessThanOrEqual(1024);
  });
});

describe("/privacy", () => {
  it("counts the user's things in words and shows none of the bot's bookkeeping", async () => {
    const h = makeFlowEngine(r);
    const chat = new Chat(h);
    await chat.say("/start");
    await chat.say("yes");
    await chat.say("/daily 7:30");
    await chat.say("/checkin");
    await chat.say("2");
    await chat.say("tired");
    await chat.say("I applied to Shoprite for cashier");
    const [out] = await chat.say("/privacy");
    expect(out).toContain("• 1 mood check-in");
    expect(out).toContain("• 1 job application");
    expect(out).toContain("• Your daily boost time (07:30)");
    // Internal parts and raw counters: conversation state, tips seen, schedule sets, count hashes.
    const internals = ["appcounts", "applied", "A conversation in progress", "Tips you've already seen"];
    internals.push("Your schedule");
    for (const internal of [...internals, ": 1", ": 2"]) expect(out).not.toContain(internal);
  });
});

describe("/mydata", () => {
  it("reads in sections with dates in the user's zone, and sends the full JSON as a file", async () => {
    const h = makeFlowEngine(r); // Tue 24 Nov 2026, 08:00 UTC = 10:00 in Johannesburg
    const chat = new Chat(h);
    await chat.say("/start");
    await chat.say("yes");
    await chat.say("/daily 7:30 in Europe/London");
    await chat.say("/checkin");
    await chat.say("2");
    await chat.say("tired");
    await chat.say("/remind in 2 weeks call Thandi");
    await chat.say("yes");
    await chat.say("/mydata");
    expect(chat.last.map((x) => x.kind)).toEqual(["text", "document"]);
    const summary = chat.last[0]!.kind === "text" ? chat.last[0]!.text : "";
    const doc = chat.last[1]!;
    // Dates in the user's zone (London: 08:00), in words a person reads, not milliseconds.
    expect(summary).toContain("📄 Everything I keep about you, on 24 Nov 2026, 08:00:");
    expect(summary).toContain("• Time zone: Europe/London");
    expect(summary).toContain("• Daily boost: every day at 07:30");
    expect(summary).toMatch(/Mood check-ins \(1\):\n• 24 Nov 2026, 08:00 – Mood \(1-5\): 2; In a word: tired/);
    expect(summary).toMatch(/⏰ Reminders and follow-ups \(1\):\n• 8 Dec 2026, \d\d:\d\d: call Thandi/);
    expect(summary).toMatch(/⚙️ Also kept so the bot works: .*Tips you've already seen/);
    expect(summary).not.toMatch(/\d{13}/);
    expect(summary).toContain(en.text("privacy.summary_end"));
    expect(doc.kind).toBe("document");
    if (doc.kind !== "document") return;
    expect(doc.filename).toBe("bounce-back-my-data-2026-11-24.json");
    const data = JSON.parse(doc.content);
    expect(data.user).toBe(chat.user);
    expect(data.stored.moods.value[0].member).toMatchObject({ mood: 2, word: "tired" });
    expect(data.daily).toMatchObject({ time: "07:30", timezone: "Europe/London" });
    expect(doc.fallbackText).toBe(en.text("privacy.export_no_file"));
  });
});
