// With the real conversation flows storing data: what a user gives in /checkin reaches /mydata,
// and /forget removes every trace of it.
import type { RunningApp } from "../src/app.js";
import type { Incoming, Reply } from "../src/core/types.js";
import { expect, it } from "./helpers/fixtures.js";
import { tracesOf } from "./helpers/userscan.js";

let seq = 0;

const USER = "telegram:424242" as const;
async function send(bot: RunningApp, m: { text: string } | { value: string }): Promise<Reply[]> {
  const base = { channel: "telegram" as const, user: USER, updateId: `f${++seq}` };
  const inc: Incoming =
    "text" in m ? { ...base, kind: "text", text: m.text } : { ...base, kind: "choice", value: m.value };
  const out = await bot.engine.handle(inc);
  if (out.status !== "handled") throw new Error(`not handled: ${out.status}`);
  return out.replies;
}

it("a mood given in /checkin is in /mydata, and gone after /forget", async ({ redis: r, bot }) => {
  await send(bot, { text: "/start" });
  await send(bot, { value: "start.consent:yes" });
  await send(bot, { text: "/checkin 4" });
  await send(bot, { text: "hopeful but tired" });
  expect(await r.redis.zcard(r.keys.user(USER, "moods"))).toBe(1);

  // The readable summary first, then the whole export as a file.
  const replies = await send(bot, { text: "/mydata" });
  const doc = replies.find((r) => r.kind === "document");
  if (doc?.kind !== "document") throw new Error("no document");
  const data = JSON.parse(doc.content);
  expect(data.stored.moods.value[0].member).toMatchObject({ mood: 4, word: "hopeful but tired" });
  // The readable summary (the first reply) names it too.
  expect(replies[0]?.kind === "text" ? replies[0].text : "").toContain("hopeful but tired");

  await send(bot, { text: "/forget" });
  await send(bot, { value: "forget.confirm:yes" });
  expect(await tracesOf(r, USER)).toEqual([]);
});
