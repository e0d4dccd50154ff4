// Prints a real sample conversation, driven through the conversation engine, for the README:
// rejection -> comfort -> reflect -> next step -> feedback -> goal -> reminder arriving.
// Needs a Redis (REDIS_URL, default redis://127.0.0.1:6379); writes under a random prefix and
// deletes it after. What was scheduled lands in the real due index, and is printed at the end.
//   REDIS_URL=redis://127.0.0.1:6379 npx tsx scripts/sample-conversation.ts
import { randomBytes } from "node:crypto";
import { DateTime } from "luxon";
import { Redis } from "ioredis";
import { choicesOf, type Reply, type UserKey } from "../src/core/types.js";
import { buildCore } from "../test/helpers/engine.js";

const ZONE = "Africa/Johannesburg";

function show(replies: Reply[]): void {
  for (const r of replies) {
    if (r.kind === "document") continue;
    // A chart as the terminal shows it: its text chart.
    const words = r.kind === "chart" ? r.fallbackText : r.text;
    console.log(
      words
        .split("\n")
        .map((l) => `> ${l}`)
        .join("\n"),
    );
    if (r.choices?.length) console.log(`> ${r.choices.map((c) => `[${c.label}]`).join(" ")}`);
    console.log(">");
  }
}

async function main(): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  const prefix = `sample${randomBytes(4).toString("hex")}`;
  let now = DateTime.fromISO("2026-11-24T10:00", { zone: ZONE }).toMillis(); // a Tuesday morning
  const { engine, services, schedule } = buildCore(redis, prefix, { clock: { now: () => now } });
  const user: UserKey = "console:sample";
  let n = 0;
  let offered: { label: string; value: string }[] = [];

  const turn = async (what: string, label?: string) => {
    const choice = label ? offered.find((c) => c.label === label) : undefined;
    if (label && !choice) throw new Error(`"${label}" was not offered`);
    console.log(choice ? `**You tap:** ${label}\n` : `**You:** ${what}\n`);
    const out = await engine.handle(
      choice
        ? { channel: "console", user, updateId: `s${n++}`, kind: "choice", value: choice.value }
        : { channel: "console", user, updateId: `s${n++}`, kind: "text", text: what },
    );
    if (out.status !== "handled") throw new Error(`turn ${what} ${out.status}`);
    show(out.replies);
    const last = [...out.replies].reverse().find((r) => choicesOf(r)?.length);
    offered = (last && choicesOf(last)) ?? [];
  };

  try {
    await services.state.turns.begin(user, now);
    await services.state.profiles.setConsent(user, "yes", now);
    await turn("I didn't get the job at Capitec 😞");
    await turn("", "Reflect on it");
    await turn("Client consultant at Capitec");
    await turn("", "Not really");
    await turn("", "Yes");
    await turn("kind of, I was nervous");
    await turn("I'd explain how I handled angry customers at my last job");
    await turn("", "Skip");
    await turn("", "Research companies");
    await turn("", "Tomorrow");
    await turn("", "Ask for feedback");
    await turn("", "I had an interview");
    await turn("Capitec");
    await turn("Client consultant");
    await turn("Ms Dlamini");
    await turn("", "In 5 work days");
    await turn("/goals");
    await turn("Client service or admin");
    await turn("Banking, retail");
    await turn("", "Skip");
    await turn("", "3");
    await turn("2");
    await turn("", "Yes");
    const scheduled = await schedule.index.list(user);
    const followup = scheduled.find((i) => i.kind === "followup")!;
    now = followup.dueAt;
    console.log(
      `*${DateTime.fromMillis(now, { zone: ZONE }).toFormat("cccc d LLLL, HH:mm")}: the follow-up reminder arrives*\n`,
    );
    show((await engine.renderDue(followup)) ?? []);
    console.log("Scheduled during this conversation:");
    for (const i of scheduled)
      console.log(
        `- ${i.kind} at ${DateTime.fromMillis(i.dueAt, { zone: ZONE }).toFormat("ccc d LLL HH:mm")}${i.text ? ` ("${i.text}")` : ""}`,
      );
  } finally {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
}

void main();
