// Channel conformance: the same conversation scripts run against the real bot on Telegram (fake
// Bot API), WhatsApp (fake Graph API, signed webhooks) and the console, and must come out the
// same: the same messages (by catalog id, so a randomly picked variant still compares) with the
// same choice labels, step by step. Add a conversation by adding an entry to SCRIPTS. A chart
// compares by its caption's id, as `chart:<id>`: a picture with that caption on Telegram and
// WhatsApp, its text chart (TEXT_CHARTS) on the console. A message that joins several catalog
// messages (a check-in's thanks and its self-care idea) reads as their ids joined with "+".
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../src/app.js";
import { FakeTelegram } from "./fakes/telegram.js";
import { FakeWhatsApp, buttonReply, choiceIds, listReply, postWebhook, seen, textMessage, whatsappEnv } from "./fakes/whatsapp.js";
import { en, startTestBot } from "./helpers/bot.js";
import { eventually, testRedis, type TestRedis } from "./helpers/redis.js";

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
      { press: "skip", replies: 2, expect: ["checkin.thanks_high+checkin.care_high", "chart:checkin.chart_caption"] },
      { press: "menu_tip", replies: 1, expect: ["tips.tip"] },
    ],
  },
  {
    name: "progress logged, and its counts as a chart",
    steps: [
      START,
      { press: "consent_yes", replies: 1 },
      { say: "I applied to Shoprite", replies: 2, expect: ["progress.logged_applied", "progress.what_next"] },
      { say: "/progress", replies: 3, expect: ["chart:progress.chart_caption", "progress.network", "progress.ask_log"] },
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
  "checkin.trend": "checkin.chart_caption",
  "progress.summary": "progress.chart_caption",
};

/** What the user saw: the message (as a catalog id when it is one) and its choice labels. */
interface Seen {
  id: string;
  labels: string[];
}

interface Driver {
  say(words: string): Promise<void>;
  press(label: string): Promise<void>;
  /** Everything the bot sent so far, as text and labels; `picture` for a photo or image and its caption. */
  transcript(): { text: string; labels: string[]; picture?: boolean }[];
  close(): Promise<void>;
}

type Channel = "telegram" | "whatsapp" | "console";
const CHANNELS: Channel[] = ["telegram", "whatsapp", "console"];

const opened: TestRedis[] = [];
afterAll(async () => {
  await Promise.all(opened.map((r) => r.cleanup()));
});

async function open(channel: Channel): Promise<Driver> {
  const redis = await testRedis();
  opened.push(redis);
  if (channel === "telegram") {
    const tg = await new FakeTelegram().start();
    const bot = await startTestBot({ redis, telegram: tg });
    const chat = 9001;
    const sends = () => tg.sent(chat).filter((c) => c.method === "sendMessage" || c.method === "sendPhoto");
    return {
      async say(words) {
        tg.text(chat, words);
      },
      async press(label) {
        const button = sends()
          .flatMap((c) => ((c.params.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] })?.inline_keyboard ?? []).flat())
          .reverse()
          .find((b) => b.text === label);
        if (!button) throw new Error(`telegram: no button "${label}"`);
        tg.press(chat, button.callback_data);
      },
      transcript: () =>
        sends().map((c) => ({
          text: String(c.params.text ?? c.params.caption ?? ""),
          labels: ((c.params.reply_markup as { inline_keyboard?: { text: string }[][] })?.inline_keyboard ?? []).flat().map((b) => b.text),
          picture: c.method === "sendPhoto",
        })),
      close: () => closeAll(bot, () => tg.stop()),
    };
  }
  if (channel === "whatsapp") {
    const wa = await new FakeWhatsApp().start();
    const bot = await startTestBot({ redis, env: whatsappEnv(wa) });
    const user = "27825550001";
    const hint = en.text("whatsapp.numbered_hint");
    return {
      async say(words) {
        expect((await postWebhook(bot.httpPort!, textMessage(user, words))).status).toBe(200);
      },
      async press(label) {
        const send = [...wa.sentTo(user)].reverse().find((s) => seen(s).labels.includes(label));
        if (!send) throw new Error(`whatsapp: no button or row "${label}"`);
        const view = seen(send);
        const id = choiceIds(send)[view.labels.indexOf(label)]!;
        const payload = view.style === "buttons" ? buttonReply(user, id, label) : listReply(user, id, label);
        expect((await postWebhook(bot.httpPort!, payload)).status).toBe(200);
      },
      transcript: () =>
        wa.sentTo(user).map((s) => {
          const view = seen(s);
          return { ...unnumber(view, hint), picture: view.image !== undefined };
        }),
      close: () => closeAll(bot, () => wa.stop()),
    };
  }
  const input = new PassThrough();
  const output = new PassThrough();
  let out = "";
  output.on("data", (c: Buffer) => (out += c.toString("utf8")));
  const bot = await startTestBot({ redis, consoleIO: { input, output } });
  let typedStart = false;
  const driver: Driver = {
    async say(words) {
      // The console opens with `/start` by itself; the script's first `/start` is that one.
      if (words === "/start" && !typedStart) {
        typedStart = true;
        return;
      }
      input.write(`${words}\n`);
    },
    async press(label) {
      const last = driver.transcript().reverse().find((m) => m.labels.includes(label));
      if (!last) throw new Error(`console: no numbered choice "${label}"`);
      input.write(`${last.labels.indexOf(label) + 1}\n`);
    },
    transcript: () => parseConsole(out),
    close: () => closeAll(bot),
  };
  return driver;
}

async function closeAll(bot: RunningApp, after?: () => Promise<void>): Promise<void> {
  await bot.stop();
  await after?.();
}

/** The console prints `bot> text` with continuation lines indented, then `     1) label` lines. */
function parseConsole(out: string): { text: string; labels: string[] }[] {
  return out
    .split("\nbot> ")
    .slice(1)
    .map((block) => {
      const lines = block.replace(/\n$/, "").split("\n");
      const labels: string[] = [];
      while (lines.length > 1 && /^ {5}\d+\) /.test(lines.at(-1)!)) labels.unshift(lines.pop()!.replace(/^ {5}\d+\) /, ""));
      return { text: lines.map((l, i) => (i === 0 ? l : l.replace(/^ {5}/, ""))).join("\n"), labels };
    });
}

/** WhatsApp's last fallback is numbered text: read the labels back from it. */
function unnumber(v: { text: string; labels: string[] }, hint: string): { text: string; labels: string[] } {
  if (v.labels.length > 0 || !v.text.endsWith(`\n\n${hint}`)) return { text: v.text, labels: v.labels };
  const lines = v.text.slice(0, -hint.length - 2).split("\n");
  const labels: string[] = [];
  while (lines.length && /^\d+\. /.test(lines.at(-1)!)) labels.unshift(lines.pop()!.replace(/^\d+\. /, ""));
  return { text: lines.join("\n").replace(/\n\n$/, ""), labels };
}

// Texts back to catalog ids: exact texts first, then texts whose placeholders were filled.
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const MATCHERS = en
  .allMessages()
  .flatMap((m) => m.variants.map((v) => ({ id: m.id, text: v.text, re: new RegExp(`^${escape(v.text).replace(/\\\{[a-zA-Z][a-zA-Z0-9_]*\\\}/g, "[\\s\\S]*?")}$`) })))
  // Exact texts first; among templates the most specific (most literal text) first, so a
  // loose one like "{what}: {value}" never claims a text another template fits better.
  .sort((a, b) => Number(a.text.includes("{")) - Number(b.text.includes("{")) || literal(b.text) - literal(a.text));

function literal(t: string): number {
  return t.replace(/\{[a-zA-Z][a-zA-Z0-9_]*\}/g, "").length;
}

function matchOf(text: string): { id: string; score: number } | undefined {
  const m = MATCHERS.find((x) => x.text === text || x.re.test(text));
  return m && { id: m.id, score: literal(m.text) };
}

/**
 * The reading of a text as one catalog message or as several joined by blank lines that matches
 * the most literal text: a loose template ("{what}: {count}") may fit a whole joined message,
 * but the messages it joins fit it far better.
 */
function idOf(text: string): string {
  return bestReading(text.split("\n\n"))?.ids.join("+") ?? text;
}

function bestReading(paragraphs: string[]): { ids: string[]; score: number } | undefined {
  if (paragraphs.length === 0) return { ids: [], score: 0 };
  let best: { ids: string[]; score: number } | undefined;
  for (let n = paragraphs.length; n >= 1; n--) {
    const head = matchOf(paragraphs.slice(0, n).join("\n\n"));
    const rest = head && bestReading(paragraphs.slice(n));
    if (head && rest && (!best || head.score + rest.score > best.score)) best = { ids: [head.id, ...rest.ids], score: head.score + rest.score };
  }
  return best;
}

/** A message's id as the scripts name it: `chart:<caption id>` for a picture, and for the console's text chart. */
function seenId(channel: Channel, m: { text: string; picture?: boolean }): string {
  const id = idOf(m.text);
  if (m.picture) return `chart:${id}`;
  return channel === "console" && TEXT_CHARTS[id] ? `chart:${TEXT_CHARTS[id]}` : id;
}

const SENTINEL: Step = { say: "/help", replies: 1, expect: ["core.help"] };

async function run(channel: Channel, script: Script): Promise<Seen[][]> {
  const d = await open(channel);
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
