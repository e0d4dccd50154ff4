// Channel conformance: the same conversation scripts run against the real bot on Telegram (fake
// Bot API), WhatsApp (fake Graph API, signed webhooks) and the console, and must come out the
// same: the same messages (by catalog id, so a randomly picked variant still compares) with the
// same choice labels, step by step. Add a conversation by adding an entry to a test/conformance/*.scripts.ts file. A chart
// compares by its caption's id, as `chart:<id>`: a picture with that caption on Telegram and
// WhatsApp, its text chart (TEXT_CHARTS) on the console. A message that joins several catalog
// messages (a check-in's thanks and its self-care idea) reads as their ids joined with "+".
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { en } from "./helpers/bot.js";
import { openDriver, type Channel } from "./helpers/conformance-drivers.js";
import { eventually, type TestRedis } from "./helpers/redis.js";
import { idOf } from "./helpers/transcripts.js";
import type { Script, Step } from "./conformance/script.js";

/** Every test/conformance/*.scripts.ts file's SCRIPTS, in file-name order. */
const SCRIPTS: Script[] = [];
const here = path.join(path.dirname(fileURLToPath(import.meta.url)), "conformance");
for (const file of readdirSync(here)
  .filter((f) => f.endsWith(".scripts.ts"))
  .sort()) {
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { SCRIPTS: Script[] };
  SCRIPTS.push(...mod.SCRIPTS);
}

/** A chart's text on the console, by catalog id -> the id of the caption it stands for. */
const TEXT_CHARTS: Record<string, string> = {
  "checkin.trend": "charts.mood_caption",
  "progress.summary": "charts.pipeline_caption",
};

/** What the user saw: the message (as a catalog id when it is one) and its choice labels. */
interface Seen {
  id: string;
  labels: string[];
}

const CHANNELS: Channel[] = ["telegram", "whatsapp", "console"];

const opened: TestRedis[] = [];
afterAll(async () => {
  await Promise.all(opened.map((r) => r.cleanup()));
});

/** A message's id as the scripts name it: `chart:<caption id>` for a picture, and for the console's text chart. */
function seenId(channel: Channel, m: { text: string; picture?: boolean }): string {
  const id = idOf(m.text);
  if (m.picture) return `chart:${id}`;
  return channel === "console" && TEXT_CHARTS[id] ? `chart:${TEXT_CHARTS[id]}` : id;
}

const SENTINEL: Step = { say: "/help", replies: 1, expect: ["core.help"] };

async function run(channel: Channel, script: Script): Promise<Seen[][]> {
  const d = await openDriver(channel, opened);
  try {
    const perStep: Seen[][] = [];
    let total = 0;
    const play = async (step: Step): Promise<Seen[]> => {
      if (step.say !== undefined) await d.say(step.say);
      else if (step.press !== undefined) await d.press(en.label(step.press));
      else if (step.tap !== undefined) await d.press(step.tap);
      const want = total + step.replies;
      await eventually(
        () => d.transcript().length >= want,
        10_000,
        `${channel}: ${step.replies} replies to ${step.say ?? step.press ?? step.tap}`,
      );
      const got = d
        .transcript()
        .slice(total, want)
        .map((m) => ({ id: seenId(channel, m), labels: m.labels }));
      if (step.expect)
        expect(
          got.map((g) => g.id),
          `${channel}: ${script.name}`,
        ).toEqual(step.expect);
      total = want;
      return got;
    };
    // A closing /help proves no stray message arrived after the script's last step.
    for (const step of [...script.steps, SENTINEL]) {
      const instead = step.on?.[channel];
      if (!instead) {
        perStep.push(await play(step));
        continue;
      }
      const seenThere: Seen[] = [];
      for (const s of instead) seenThere.push(...(await play(s)));
      const last = seenThere.slice(-step.replies);
      if (step.expect)
        expect(
          last.map((g) => g.id),
          `${channel}: ${script.name} (channel steps end as elsewhere)`,
        ).toEqual(step.expect);
      perStep.push(last);
    }
    expect(d.transcript(), `${channel}: nothing beyond the script`).toHaveLength(total);
    return perStep;
  } finally {
    await d.close();
  }
}

describe("channel conformance", () => {
  for (const script of SCRIPTS) {
    it(`${script.name}: the same on Telegram, WhatsApp and the console`, async () => {
      const [telegram, whatsapp, console] = await Promise.all(CHANNELS.map((c) => run(c, script)));
      expect(whatsapp).toEqual(telegram);
      expect(console).toEqual(telegram);
    });
  }
});
