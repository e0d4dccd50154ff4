// A scripted week of a job seeker, driven through the real conversation engine on real Redis
// with a fake clock: arriving from a channel post's link, rejection support, the reflection,
// the daily boost as it arrives each morning, a feedback request and its follow-up, practical
// help when money gets tight, applications, the journal. Prints the transcript as Markdown for
// docs/sample-week.md. Writes under a random prefix and deletes it after.
//   REDIS_URL=redis://127.0.0.1:6379 npm run sample-week > docs/sample-week.body.md
// Variants are picked at random, so openings and daily messages differ between runs.
import { randomBytes } from "node:crypto";
import { DateTime } from "luxon";
import { Redis } from "ioredis";
import { choicesOf, type Reply, type UserKey } from "../src/core/types.js";
import type { DueItem } from "../src/core/ports/schedule.js";
import { buildCore } from "../test/helpers/engine.js";

const ZONE = "Africa/Johannesburg";

function show(replies: Reply[]): void {
  for (const r of replies) {
    // A file (the data export) shows as its caption; a chart as the terminal shows it.
    const words = r.kind === "text" ? r.text : r.kind === "chart" ? r.fallbackText : `📎 ${r.filename}: ${r.caption}`;
    console.log(
      words
        .split("\n")
        .flatMap((l) => wrap(l, 116))
        .map((l) => `> ${l}`)
        .join("\n"),
    );
    const choices = choicesOf(r);
    if (choices?.length) console.log(`> ${choices.map((c) => `[${c.label}]`).join(" ")}`);
    console.log(">");
  }
}

/** A long line cut at spaces, so the Markdown stays within the docs' 120 characters. */
function wrap(line: string, width: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    const cut = rest.lastIndexOf(" ", width);
    if (cut <= 0) break;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut + 1);
  }
  return [...out, rest];
}

async function main(): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  const prefix = `week${randomBytes(4).toString("hex")}`;
  let now = DateTime.fromISO("2026-11-23T09:00", { zone: ZONE }).toMillis(); // a Monday morning
  const { engine, schedule } = buildCore(redis, prefix, { clock: { now: () => now } });
  const user: UserKey = "console:thandi";
  let n = 0;
  let offered: { label: string; value: string }[] = [];
  const when = (ms: number, format = "cccc d LLLL, HH:mm") => DateTime.fromMillis(ms, { zone: ZONE }).toFormat(format);

  const turn = async (what: string, label?: string) => {
    const choice = label ? offered.find((c) => c.label === label) : undefined;
    if (label && !choice) throw new Error(`"${label}" was not offered (${offered.map((c) => c.label).join(", ")})`);
    console.log(choice ? `**You tap:** ${label}\n` : `**You:** ${what}\n`);
    const out = await engine.handle(
      choice
        ? { channel: "console", user, updateId: `w${n++}`, kind: "choice", value: choice.value }
        : { channel: "console", user, updateId: `w${n++}`, kind: "text", text: what },
    );
    if (out.status !== "handled") throw new Error(`turn "${what}": ${out.status}`);
    if (out.replies.length > 3) throw new Error(`turn "${what}" sent ${out.replies.length} messages`);
    show(out.replies);
    const last = [...out.replies].reverse().find((r) => choicesOf(r)?.length);
    offered = (last && choicesOf(last)) ?? [];
  };

  /** Everything the bot sends by itself until `until`, in order: daily boosts and scheduled items. */
  const proactive = async (until: number) => {
    for (;;) {
      const items = (await schedule.index.list(user)).filter((i) => i.dueAt <= until);
      const dailyAt = await schedule.index.dailyAt(user);
      const next: DueItem | undefined = [
        ...items,
        ...(dailyAt !== undefined && dailyAt <= until ? [{ id: "daily", user, kind: "daily", dueAt: dailyAt }] : []),
      ].sort((a, b) => a.dueAt - b.dueAt)[0];
      if (!next) break;
      now = next.dueAt;
      const what = next.kind === "daily" ? "the daily boost" : `a scheduled ${next.kind}`;
      console.log(`*${when(now)}: ${what} arrives*\n`);
      const replies = (await engine.renderDue(next)) ?? [];
      show(replies);
      const last = [...replies].reverse().find((r) => choicesOf(r)?.length);
      offered = (last && choicesOf(last)) ?? offered;
      if (next.kind === "daily") {
        const after = await schedule.daily.nextAfterDelivery(user, next.dueAt);
        if (after !== undefined) await schedule.index.setDaily(user, after);
      } else await schedule.index.cancel(user, next.id);
    }
    now = Math.max(now, until);
  };

  const day = async (iso: string, title: string) => {
    const at = DateTime.fromISO(iso, { zone: ZONE }).toMillis();
    await proactive(at);
    now = at;
    console.log(`## ${when(now)}: ${title}\n`);
  };

  try {
    await day("2026-11-23T09:00", "she taps the support link in a job-opportunities channel's post");
    await turn("/start rejected");
    await turn("", "Yes, keep my notes");
    await turn("", "Reflect on it");
    await turn("Cashier at Shoprite");
    await turn("", "Partly");
    await turn("", "Not really");
    await turn("", "Yes");
    await turn("I'd talk about handling cash at my aunt's spaza shop");
    await turn("", "Skip");
    await turn("", "Write 3 examples");
    await turn("", "Tomorrow");
    await turn("/daily 7:30");

    await day("2026-11-24T08:30", "the morning after");
    await turn("/checkin");
    await turn("2");
    await turn("tired");
    await turn("/feedback");
    await turn("", "I had an interview");
    await turn("Shoprite");
    await turn("Cashier");
    await turn("Mr Mokoena");
    await turn("", "In 5 work days");

    await day("2026-11-25T19:00", "money gets tight");
    await turn("I'm so stressed, I can't pay rent and I have no money for transport");
    await turn("", "Practical help");
    await turn("", "SRD grant");
    await turn("", "Data-free job sites");

    await day("2026-11-26T12:30", "applying again");
    await turn("I applied to Pick n Pay for cashier");
    await turn("I applied to Clicks for sales assistant");
    await turn("/progress");

    await day("2026-11-27T09:00", "an interview, and practice");
    await turn("I got an interview at Pick n Pay");
    await turn("", "Practise now");
    await turn("", "Retail or shop");
    await turn("I helped my aunt at her spaza shop and I counted the cash every evening");
    await turn("/reminders");

    await day("2026-11-28T10:00", "Saturday: looking back");
    await turn("/journal");

    await day("2026-11-30T16:00", "the call she was waiting for");
    await turn("I got the job at Pick n Pay!!! 🎉");
    await turn("/privacy");
    await turn("/daily 19:00"); // evenings suit her better now: the greeting follows the clock

    await day("2026-12-01T10:00", "Tuesday: the feedback follow-up has come");
    await turn("/help");
    console.log("Still scheduled at the end of the week:\n");
    for (const i of await schedule.index.list(user)) {
      console.log(`- ${i.kind} on ${when(i.dueAt, "ccc d LLL HH:mm")}${i.text ? ` ("${i.text}")` : ""}`);
    }
    const dailyAt = await schedule.index.dailyAt(user);
    if (dailyAt) console.log(`- the daily boost, next on ${when(dailyAt, "ccc d LLL HH:mm")}`);
  } finally {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
}

await main();
