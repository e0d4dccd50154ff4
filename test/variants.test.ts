// Seen variants on real Redis: the coded form keeps a daily subscriber's hash a listpack, the form
// written before the codes (plain ids joined by commas, the hash a hashtable) is still read, and
// rewritten in the coded form the first time it is written; processes agree on the codes. In a
// turn, the hash comes with the turn's start (no read of its own) and a failed write still fails
// the turn before its state is saved.
import { describe, expect, it } from "vitest";
import type { UserKey } from "../src/core/types.js";
import { RedisSeenVariants } from "../src/store/variants.js";
import { buildCore, chatAs } from "./helpers/engine.js";
import { redisPerTest } from "./helpers/redis.js";

const U: UserKey = "telegram:4242";
const DAILY = Array.from({ length: 21 }, (_, i) => `perspective_${i + 1}`);
const TIPS = ["tip_one", "tip_two", "tip_three"];

const r = redisPerTest();

describe("seen variants", () => {
  it("reads the form written before the codes, and rewrites a hashtable hash as a listpack", async () => {
    const key = r.keys.user(U, "seen");
    await r.redis.hset(key, { "daily.message": DAILY.join(","), tip: TIPS.join(",") });
    expect(await r.redis.object("ENCODING", key)).toBe("hashtable");
    const seen = new RedisSeenVariants(r.redis, r.keys);
    expect(await seen.recent(U, "daily.message")).toEqual(DAILY);
    expect(await seen.recent(U, "tip")).toEqual(TIPS);

    const recent = await seen.recent(U, "daily.message");
    await seen.remember(U, "daily.message", "growth_1", 21, recent);
    expect(await r.redis.object("ENCODING", key)).toBe("listpack");
    expect(await seen.recent(U, "daily.message")).toEqual(["growth_1", ...DAILY.slice(0, 20)]);
    expect(await seen.recent(U, "tip")).toEqual(TIPS);
    expect((await r.redis.hget(key, "daily.message"))!.length).toBeLessThanOrEqual(64);
    // Another process, with nothing cached, reads the same.
    const other = new RedisSeenVariants(r.redis, r.keys);
    expect(await other.recent(U, "daily.message")).toEqual(["growth_1", ...DAILY.slice(0, 20)]);
    expect(await other.recent(U, "tip")).toEqual(TIPS);
  });

  it("two processes numbering ids at once agree on every code", async () => {
    const a = new RedisSeenVariants(r.redis, r.keys);
    const b = new RedisSeenVariants(r.redis, r.keys);
    const users = Array.from({ length: 20 }, (_, i) => `telegram:${900 + i}` as UserKey);
    await Promise.all(
      users.map((u, i) => (i % 2 ? a : b).remember(u, "daily.message", DAILY[i]!, 21, DAILY.slice(i + 1, i + 5))),
    );
    for (const [i, u] of users.entries()) {
      const want = [DAILY[i]!, ...DAILY.slice(i + 1, i + 5)];
      expect(await a.recent(u, "daily.message")).toEqual(want);
      expect(await b.recent(u, "daily.message")).toEqual(want);
      expect(await new RedisSeenVariants(r.redis, r.keys).recent(u, "daily.message")).toEqual(want);
    }
  });

  it("keeps a daily subscriber's 21 ids in a listpack hash, smaller than the plain form", async () => {
    const seen = new RedisSeenVariants(r.redis, r.keys);
    let recent: string[] = [];
    for (const id of DAILY) {
      await seen.remember(U, "daily.message", id, 21, recent);
      recent = await seen.recent(U, "daily.message");
    }
    await seen.remember(U, "tip", "tip_one", 3, []);
    const key = r.keys.user(U, "seen");
    expect(recent).toEqual([...DAILY].reverse());
    expect(await r.redis.object("ENCODING", key)).toBe("listpack");
    const coded = Number(await r.redis.memory("USAGE", key));
    const plain = r.keys.user("telegram:4243" as UserKey, "seen");
    await r.redis.hset(plain, { "daily.message": [...DAILY].reverse().join(","), tip: "tip_one" });
    expect(coded).toBeLessThan(Number(await r.redis.memory("USAGE", plain)) / 2);
  });

  it("/mydata shows the variants seen by their ids, not their codes", async () => {
    const seen = new RedisSeenVariants(r.redis, r.keys);
    await seen.remember(U, "daily.message", DAILY[1]!, 21, [DAILY[0]!]);
    await seen.remember(U, "tip", "tip_two", 3, []);
    expect((await r.redis.hget(r.keys.user(U, "seen"), "tip"))!.startsWith("~")).toBe(true);
    const core = buildCore(r.redis, r.prefix);
    const out = await core.services.privacy.userData.export(U);
    expect(out.stored.seen).toEqual({
      type: "hash",
      value: { "daily.message": `${DAILY[1]},${DAILY[0]}`, tip: "tip_two" },
    });
  });

  it("a turn reads the seen variants with its start: no read of their own, and tips still do not repeat", async () => {
    const core = buildCore(r.redis, r.prefix);
    const chat = chatAs(core.engine, U);
    const first = (await chat.say("/tip")).texts.join("\n");
    const monitor = await r.redis.duplicate().monitor();
    const commands: string[][] = [];
    monitor.on("monitor", (_time: string, args: string[], source: string) => {
      if (source !== "lua") commands.push(args);
    });
    // A command the monitor sees after everything before it: the turn's commands are all in.
    const second = (await chat.say("/tip")).texts.join("\n");
    await r.redis.ping("end-of-turn");
    await new Promise<void>((done) => {
      const check = () => (commands.some((c) => c[1] === "end-of-turn") ? done() : setImmediate(check));
      check();
    });
    monitor.disconnect();
    expect(second).not.toBe(first);
    const seenKey = r.keys.user(U, "seen");
    // The begin script carries the seen key; no other command reads it.
    expect(commands.some((c) => c[0] === "evalsha" && c.includes(seenKey) && c.includes(r.keys.user(U, "conv")))).toBe(
      true,
    );
    expect(commands.filter((c) => c.includes(seenKey) && /^h(get|getall|mget)$/i.test(c[0]!))).toEqual([]);
    expect(await new RedisSeenVariants(r.redis, r.keys).recent(U, "tips.tip")).toHaveLength(2);
  });

  it("a failed seen write fails the turn before its state is saved, and the next turn works", async () => {
    // The deployment's dictionary of codes of the wrong type: numbering a new variant id fails.
    await r.redis.set(r.keys.meta("variant-ids"), "not a hash");
    const chat = chatAs(buildCore(r.redis, r.prefix).engine, U);
    const failed = await chat.say("/tip");
    expect(failed.status).toBe("failed");
    expect(await r.redis.exists(r.keys.user(U, "conv"))).toBe(0);
    await r.redis.del(r.keys.meta("variant-ids"));
    const ok = await chat.say("/tip");
    expect(ok.status).toBe("handled");
    expect(await r.redis.exists(r.keys.user(U, "conv"))).toBe(1);
  });
});
