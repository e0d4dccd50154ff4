// With the real conversation flows storing data: what a user gives in /checkin reaches /mydata,
// and /forget removes every trace of it.
import { afterEach, beforeEach, expect, it } from "vitest";
import type { RunningApp } from "../src/app.js";
import type { Incoming, Reply } from "../src/core/types.js";
import { startTestBot } from "./helpers/bot.js";
import { testRedis, type TestRedis } from "./helpers/redis.js";
import { tracesOf } from "./helpers/userscan.js";

let r: TestRedis;
let bot: RunningApp;
let seq = 0;
beforeEach(async () => {
  r = await testRedis();
  bot = await startTestBot({ redis: r });
});
afterEach(async () => {
  await bot.stop();
  await r.cleanup();
});

const USER = "telegram:424242" as const;
async function send(m: { text: string } | { value: string }): Promise<Reply[]> {
  const base = { channel: "telegram" as const, user: USER, updateId: `f${++seq}` };
  const inc: Incoming = "text" in m ? { ...base, kind: "text", text: m.text } : { ...base, kind: "choice", value: m.value };
  const out = await bot.engine.handle(inc);
  if (out.status !== "handled") throw new Error(`not handled: ${out.status}`);
  return out.replies;
}

it("a mood given in /checkin is in /mydata, and gone after /forget", async () => {
  await send({ text: "/start" });
  await send({ value: "start.consent:yes" });
  await send({ text: "/checkin 4" });
  await send({ text: "hopeful-and-tired" });
  expect(await r.redis.zcard(r.keys.user(USER, "moods"))).toBe(1);

  const [doc] = await send({ text: "/mydata" });
  if (doc?.kind !== "document") throw new Error("no document");
  const data = JSON.parse(doc.content);
  expect(data.stored.moods.value[0].member).toMatchObject({ mood: 4, word: "hopeful-and-tired" });
  expect(doc.fallbackText).toContain("hopeful-and-tired");

  await send({ text: "/forget" });
  await send({ value: "forget.confirm:yes" });
  expect(await tracesOf(r, USER)).toEqual([]);
});
