// The fake Bot API in its own process, so the bot under test has a core to itself on a
// 2-core machine. Counts sendMessage calls per chat; answers "stats" over IPC.
import { FakeTelegram } from "../../test/fakes/telegram.js";

const fake = await new FakeTelegram().start();
const perChat = new Map<string, number>();
let count = 0;
let first = 0;
let last = 0;
const times: number[] = [];
fake.onCall = (call) => {
  if (call.method !== "sendMessage") return;
  const chat = String(call.params.chat_id);
  perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
  count++;
  if (!first) first = call.at;
  last = call.at;
  if (times.length < 200_000) times.push(call.at);
};
// Don't keep every call's params: a 100,000-message run would hold them all.
const calls = fake.calls;
setInterval(() => calls.splice(0), 1000).unref();
process.on("message", (m: { type: string; user?: number; text?: string }) => {
  // An inbound message from a user (the soak benchmark's stream); no answer over IPC.
  if (m.type === "text") return void fake.text(m.user!, m.text!);
  if (m.type === "stats") {
    let twice = 0;
    for (const n of perChat.values()) if (n > 1) twice++;
    const cpu = process.cpuUsage();
    process.send!({
      type: "stats",
      count,
      unique: perChat.size,
      twice,
      first,
      last,
      times: m.type === "stats" ? times : [],
      cpuMs: (cpu.user + cpu.system) / 1000,
    });
  } else if (m.type === "reset") {
    perChat.clear();
    count = first = last = 0;
    times.length = 0;
    process.send!({ type: "reset" });
  }
});
process.send!({ type: "ready", url: fake.url });
