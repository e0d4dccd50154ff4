// The conversation engine against real Redis: routing, typed choices, state, dedup, faults.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { STATE_VERSION } from "../src/core/ports/state.js";
import { en } from "./helpers/bot.js";
import { help as helpText } from "./helpers/messages.js";
import { chatAs, makeEngine } from "./helpers/engine.js";
import { redisPerTest } from "./helpers/redis.js";
import { freePort, startRedisServer } from "./setup/global.js";

const r = redisPerTest();

describe("engine", () => {
  it("takes a typed number or a typed label for an offered choice", async () => {
    const chat = chatAs(makeEngine(r.redis, r.prefix), "console:a");
    const first = await chat.say("/start");
    expect(first.choices.map((c) => c.label)).toEqual([en.label("consent_yes"), en.label("consent_no")]);
    const byNumber = await chat.say("2");
    expect(byNumber.texts[0]).toBe(en.text("consent.thanks_no"));
    expect(await r.redis.hget(r.keys.user("console:a", "profile"), "consent")).toBe("no");

    const chat2 = chatAs(makeEngine(r.redis, r.prefix), "console:b");
    await chat2.say("/start");
    const byLabel = await chat2.say(`  ${en.label("consent_yes").toUpperCase()}!! `);
    expect(byLabel.texts[0]).toBe(en.text("consent.thanks_yes"));
  });

  it("understands a typed yes/no inside the consent step", async () => {
    const chat = chatAs(makeEngine(r.redis, r.prefix), "console:c");
    await chat.say("/start");
    expect((await chat.say("hmm")).texts[0]).toBe(en.text("consent.unclear"));
    expect((await chat.say("yebo")).texts[0]).toBe(en.text("consent.thanks_yes"));
  });

  it("leaves a flow on /cancel and on another command", async () => {
    const chat = chatAs(makeEngine(r.redis, r.prefix), "console:d");
    await chat.say("/start");
    expect(JSON.parse((await r.redis.get(r.keys.user("console:d", "conv")))!).flow).toBe("start");
    expect((await chat.say("/cancel")).texts[0]).toBe(en.text("core.cancelled"));
    expect(JSON.parse((await r.redis.get(r.keys.user("console:d", "conv")))!).flow).toBeNull();
    expect((await chat.say("cancel")).texts[0]).toBe(en.text("core.nothing_to_cancel"));

    await chat.say("/start");
    const help = await chat.say("/help");
    expect(help.texts[0]).toBe(helpText());
    // The consent buttons of the abandoned flow are now expired.
    expect((await chat.press("start.consent:yes")).texts[0]).toBe(en.text("core.expired_button"));
  });

  it("never gives the same tip twice in a row", async () => {
    const chat = chatAs(makeEngine(r.redis, r.prefix), "console:e");
    let previous = "";
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const tip = (await chat.say("/tip")).texts[0]!;
      expect(tip).not.toBe(previous);
      previous = tip;
      seen.add(tip);
    }
    expect(seen.size).toBeGreaterThan(5);
  });

  it("answers a repeated update id once", async () => {
    const chat = chatAs(makeEngine(r.redis, r.prefix), "console:f");
    expect((await chat.say("/help", "same-id")).status).toBe("handled");
    expect((await chat.say("/help", "same-id")).status).toBe("duplicate");
  });

  it("drops state of another version instead of misreading it, and state expires", async () => {
    const chat = chatAs(makeEngine(r.redis, r.prefix), "console:g");
    await chat.say("/start");
    const key = r.keys.user("console:g", "conv");
    expect(await r.redis.ttl(key)).toBeGreaterThan(0);
    const state = JSON.parse((await r.redis.get(key))!);
    await r.redis.set(key, JSON.stringify({ ...state, v: STATE_VERSION + 1 }));
    expect((await chat.press("start.consent:yes")).texts[0]).toBe(en.text("core.expired_button"));
  });

  it("interrupts any flow for crisis language, and a 'no' gets a kind confirmation", async () => {
    const chat = chatAs(makeEngine(r.redis, r.prefix), "console:h");
    await chat.say("/start");
    const crisis = await chat.say("honestly i just want to die");
    expect(crisis.texts[0]).toContain("0800 567 567");
    expect(crisis.choices).toHaveLength(3);
    const misread = await chat.say("no you misunderstood me");
    expect(misread.texts[0]).toBe(
      en.text("safety.misread", { helpline: "SADAG Suicide Crisis Helpline: 0800 567 567" }),
    );
    // "are you safe?" -> "no" means not safe: help comes at once.
    const chat2 = chatAs(makeEngine(r.redis, r.prefix), "console:i");
    await chat2.say("I cant go on anymore");
    const notSafe = await chat2.say("no");
    expect(notSafe.texts[0]).toContain("10111");
  });

  it("does not treat everyday rejection talk as a crisis", async () => {
    const chat = chatAs(makeEngine(r.redis, r.prefix), "console:j");
    for (const t of ["this job killed my hopes", "I'm dying to hear back from them", "that interview was a dead end"]) {
      const out = await chat.say(t);
      expect(out.texts.join("\n")).not.toContain("0800 567 567");
    }
  });

  it("says 'give me a moment' while Redis is down, and recovers by itself", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "bb-down-"));
    const port = await freePort();
    let server = await startRedisServer(port, dir);
    const redis = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    redis.on("error", () => undefined);
    try {
      const chat = chatAs(makeEngine(redis, "down"), "console:k");
      expect((await chat.say("/help")).status).toBe("handled");
      server.kill("SIGKILL");
      await new Promise((res) => server.once("exit", res));
      const down = await chat.say("/help");
      expect(down.status).toBe("failed");
      expect(down.texts[0]).toBe(en.text("core.busy"));
      // The connection says when it is back: no polling, no sleeping. (Not events.once: it
      // rejects on the reconnect attempts' "error" events while the server is still starting.)
      const ready = new Promise((res) => redis.once("ready", res));
      server = await startRedisServer(port, dir);
      await ready;
      expect((await chat.say("/help")).status).toBe("handled");
    } finally {
      redis.disconnect();
      server.kill("SIGKILL");
    }
  });
});
