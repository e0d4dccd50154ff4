// Channel conformance: the same conversation scripts run against the real bot on Telegram (fake
// Bot API), WhatsApp (fake Graph API, signed webhooks) and the console, and must come out the
// same: the same messages (by catalog id, so a randomly picked variant still compares) with the
// same choice labels, step by step. Add a conversation by adding an entry to SCRIPTS. A chart
// compares by its caption's id, as `chart:<id>`: a picture with that caption on Telegram and
// WhatsApp, its text chart (TEXT_CHARTS) on the console. A message that joins several catalog
// messages (a check-in's thanks and its self-care idea) reads as their ids joined with "+".
import { afterAll, describe, expect, it } from "vitest";
import { en } from "./helpers/bot.js";
import { openDriver, type Channel } from "./helpers/conformance-drivers.js";
import { eventually, type TestRedis } from "./helpers/redis.js";
import { idOf } from "./helpers/transcripts.js";

interface Step {
  /** Words the user types (the same on every channel). */
  say?: string;
  /** A choice the user takes, by label id: a button on Telegram, a button or list row on WhatsApp, its number on the console. */
  press?: string;
  /** A choice by its label as shown, for labels built from data ("Cancel 1" in /reminders). */
  tap?: string;
  /** How many messages the bot answers with. */
  replies: number;
  /** The catalog ids of those messages, in order (checked on every channel). */
  expect?: string[];
  /**
   * A channel where the platform itself needs more from the user (WhatsApp's opt-in before
   * daily messages): there this step is played as these steps instead. Each is checked against
   * its own `expect`; what is compared with the other channels is the last `replies` messages
   * they produce, so the step must end where it ends elsewhere.
   */
  on?: Partial<Record<Channel, Step[]>>;
}

interface Script {
  name: string;
  /** Every script opens with `/start` (the console types it by itself when it opens). */
  steps: Step[];
}

const START: Step = { say: "/start", replies: 2, expect: ["core.welcome", "consent.ask"] };

export const SCRIPTS: Script[] = [
  {
    name: "welcome and consent",
    steps: [START, { press: "consent_yes", replies: 1, expect: ["consent.thanks_yes"] }],
  },
  {
    name: "rejection support",
    steps: [
      START,
      { press: "consent_no", replies: 1, expect: ["consent.thanks_no"] },
      { say: "they rejected me today", replies: 2, expect: ["support.first_response", "support.what_next"] },
    ],
  },
  {
    name: "a tip, and another",
    steps: [
      START,
      { press: "consent_yes", replies: 1 },
      { say: "/tip", replies: 1, expect: ["tips.tip"] },
      { press: "another_tip", replies: 1, expect: ["tips.tip"] },
    ],
  },
  {
    name: "an unknown message",
    steps: [START, { press: "consent_yes", replies: 1 }, { say: "qwerty zxcvb", replies: 1, expect: ["core.not_understood"] }],
  },
  {
    name: "a typed number answers a choice",
    steps: [START, { say: "2", replies: 1, expect: ["consent.thanks_no"] }],
  },
  {
    name: "commands as plain words",
    steps: [
      START,
      { say: "Help", replies: 1, expect: ["core.help"] },
      { say: "tip", replies: 1, expect: ["tips.tip"] },
      { say: "cancel", replies: 1, expect: ["core.nothing_to_cancel"] },
    ],
  },
  {
    name: "/cancel leaves the conversation",
    steps: [START, { say: "/cancel", replies: 1, expect: ["core.cancelled"] }, { say: "/cancel", replies: 1, expect: ["core.nothing_to_cancel"] }],
  },
  {
    name: "the reflection, through to a next step",
    steps: [
      START,
      { press: "consent_yes", replies: 1 },
      { say: "/reflect", replies: 2, expect: ["reflect.intro", "reflect.ask_about"] },
      { say: "Acme, analyst", replies: 1, expect: ["reflect.ask_prepared"] },
      { press: "partly", replies: 1, expect: ["reflect.ask_skills"] },
      { press: "yes", replies: 1, expect: ["reflect.ask_connected"] },
      { press: "not_really", replies: 1, expect: ["reflect.ask_differently"] },
      { say: "ask about the team", replies: 1, expect: ["reflect.offer_writing"] },
      { press: "skip", replies: 3, expect: ["reflect.summary+reflect.summary_differently", "reflect.perspective", "reflect.ask_next"] },
      { press: "step_research", replies: 1, expect: ["reflect.ask_remind"] },
    ],
  },
  {
    name: "subscribing to the daily boost, and stopping it",
    steps: [
      START,
      { press: "consent_yes", replies: 1 },
      {
        say: "/daily",
        replies: 1,
        expect: ["daily.ask_time"],
        // Meta requires an explicit opt-in before a business sends unprompted messages.
        on: {
          whatsapp: [
            { say: "/daily", replies: 1, expect: ["whatsapp.optin"] },
            { press: "wa_optin_yes", replies: 2, expect: ["whatsapp.optin_yes", "daily.ask_time"] },
          ],
        },
      },
      { press: "daily_0730", replies: 1, expect: ["daily.subscribed"] },
      { say: "/daily", replies: 1, expect: ["daily.status"] },
      { press: "daily_stop", replies: 1, expect: ["daily.stopped"] },
    ],
  },
  {
    name: "a mood check-in, its trend as a chart",
    steps: [
      START,
      { press: "consent_yes", replies: 1 },
      { say: "/checkin 4", replies: 1, expect: ["checkin.ask_word"] },
      { press: "skip", replies: 2, expect: ["checkin.thanks_high+checkin.care_high", "chart:charts.mood_caption"] },
      { press: "menu_tip", replies: 1, expect: ["tips.tip"] },
    ],
  },
  {
    name: "progress logged, and its counts as a chart",
    steps: [
      START,
      { press: "consent_yes", replies: 1 },
      { say: "I applied to Shoprite", replies: 2, expect: ["progress.logged_applied", "progress.what_next"] },
      { say: "/progress", replies: 3, expect: ["chart:charts.pipeline_caption", "progress.network", "progress.ask_log"] },
    ],
  },
  {
    name: "a reminder set with /remind and cancelled from /reminders",
    steps: [
      START,
      { press: "consent_yes", replies: 1 },
      { say: "/remind tomorrow 9am call Acme", replies: 1, expect: ["remind.confirm"] },
      { press: "rem_save", replies: 1, expect: ["remind.saved"] },
      { say: "/reminders", replies: 1, expect: ["remind.list"] },
      { tap: `${en.label("rem_cancel")} 1`, replies: 1, expect: ["remind.cancelled"] },
      { say: "/reminders", replies: 1, expect: ["remind.list_empty"] },
    ],
  },
];

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
      await eventually(() => d.transcript().length >= want, 10_000, `${channel}: ${step.replies} replies to ${step.say ?? step.press ?? step.tap}`);
      const got = d.transcript().slice(total, want).map((m) => ({ id: seenId(channel, m), labels: m.labels }));
      if (step.expect) expect(got.map((g) => g.id), `${channel}: ${script.name}`).toEqual(step.expect);
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
      if (step.expect) expect(last.map((g) => g.id), `${channel}: ${script.name} (channel steps end as elsewhere)`).toEqual(step.expect);
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
