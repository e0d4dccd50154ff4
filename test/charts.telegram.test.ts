// Charts on Telegram, through the real bot (grammY) and the fake Bot API: /checkin's mood trend
// and /progress's counts arrive as photos whose uploaded bytes decode as PNGs of the chart's size,
// with the caption and the keyboard under them; a photo Telegram refuses, a chart that cannot be
// drawn, or a caption too long for a photo still reaches the user, as text.
import { Writable } from "node:stream";
import { decode } from "fast-png";
import pino from "pino";
import { CHART_HEIGHT, CHART_WIDTH } from "../src/charts/render.js";
import { TelegramClient } from "../src/channels/telegram/client.js";
import type { ChartReply } from "../src/core/types.js";
import { FAKE_TOKEN, FakeTelegram, type Call } from "./fakes/telegram.js";
import { L, T } from "./helpers/bot.js";
import { describe, expect, test } from "./helpers/fixtures.js";

const DAY = 24 * 3600 * 1000;
// Monday 9 Nov 2026, 10:00 in Johannesburg.
const it = test.override({ startAt: Date.UTC(2026, 10, 9, 8, 0) });

const keyboardOf = (c: Call) =>
  ((c.params.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined)?.inline_keyboard ?? [])
    .flat()
    .map((b) => b.text);

async function checkIn(tg: FakeTelegram, chat: number, mood: number, sends: number): Promise<Call[]> {
  await tg.say(chat, `/checkin ${mood}`);
  const before = tg.sent(chat).length;
  await tg.tap(chat, "checkin.word:skip", sends);
  return tg.sent(chat).slice(before);
}

describe("charts on Telegram", () => {
  it("a check-in after a few weeks of moods sends the trend as a PNG photo with its caption and keyboard", async ({
    telegram: tg,
    clock,
  }) => {
    const chat = 7101;
    await tg.say(chat, "/start", 2);
    await tg.say(chat, "1"); // consent: yes
    for (const mood of [2, 3]) {
      await checkIn(tg, chat, mood, 2);
      clock.advance(7 * DAY);
    }
    const sends = await checkIn(tg, chat, 4, 2);
    expect(sends.map((c) => c.method)).toEqual(["sendMessage", "sendPhoto"]);
    const [photo] = tg.photos(chat).slice(-1);
    const image = decode(photo!.png);
    expect({ width: image.width, height: image.height }).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect(photo!.caption).toBe(T("charts.mood_caption", { weeks: 4 }));
    expect(keyboardOf(photo!.call)).toEqual([L("menu_tip"), L("menu_goals"), L("menu_help")]);
    // The picture replaced the text chart: no message carries it.
    expect(tg.texts(chat).some((t) => t.includes("░"))).toBe(false);
    // Three weeks of moods draw differently from one: the picture follows the data.
    const first = tg.photos(chat)[0]!;
    expect(Buffer.compare(first.png, photo!.png)).not.toBe(0);
  });

  it("/progress sends the applications pipeline as a photo, then the networking idea and the log buttons", async ({
    telegram: tg,
  }) => {
    const chat = 7102;
    await tg.say(chat, "I applied to Shoprite", 2);
    await tg.say(chat, "I got an interview at Shoprite", 2);
    const before = tg.sent(chat).length;
    await tg.say(chat, "/progress", 3);
    const sends = tg.sent(chat).slice(before);
    expect(sends.map((c) => c.method)).toEqual(["sendPhoto", "sendMessage", "sendMessage"]);
    const [photo] = tg.photos(chat);
    expect(decode(photo!.png)).toMatchObject({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect(photo!.caption).toBe(T("charts.pipeline_caption", { week: 1 }));
    expect(String(sends[2]!.params.text)).toBe(T("progress.ask_log"));
  });

  it("a photo that meets a 502 is tried again and arrives whole", async ({ telegram: tg }) => {
    const chat = 7104;
    await tg.say(chat, "I applied to Pep", 2);
    tg.fail({ method: "sendPhoto", code: 502, description: "Bad Gateway", chats: [String(chat)] });
    await tg.say(chat, "/progress", 3);
    expect(tg.calls.filter((c) => c.method === "!sendPhoto")).toHaveLength(1);
    // The retry uploads the same bytes again (the fake refuses a photo without them).
    expect(tg.photos(chat)).toHaveLength(1);
    expect(decode(tg.photos(chat)[0]!.png)).toMatchObject({ width: CHART_WIDTH, height: CHART_HEIGHT });
  });

  it("a photo Telegram refuses (400) goes as the text chart, keyboard and all", async ({ telegram: tg }) => {
    const chat = 7103;
    await tg.say(chat, "/start", 2);
    await tg.say(chat, "1");
    tg.fail({
      method: "sendPhoto",
      code: 400,
      description: "Bad Request: IMAGE_PROCESS_FAILED",
      chats: [String(chat)],
      times: Infinity,
    });
    const sends = await checkIn(tg, chat, 3, 2);
    expect(tg.calls.some((c) => c.method === "!sendPhoto")).toBe(true);
    expect(sends.map((c) => c.method)).toEqual(["sendMessage", "sendMessage"]);
    const text = String(sends[1]!.params.text);
    expect(text.startsWith(T("checkin.trend", { chart: "" }))).toBe(true);
    expect(text).toContain("███░░ 3.0");
    expect(keyboardOf(sends[1]!)).toEqual([L("menu_tip"), L("menu_goals"), L("menu_help")]);
  });
});

describe("the Telegram client with a chart", () => {
  const chart: ChartReply = {
    kind: "chart",
    spec: { kind: "pipeline", title: "Your search so far", stages: [{ label: "Applications", count: 3 }] },
    caption: "📊 Applications in the last 7 days: 3.",
    fallbackText: "📊 Your search so far\n• Applications: 3",
    choices: [{ label: "Tip", value: "/tip" }],
  };

  async function withClient(
    o: { picture?: ConstructorParameters<typeof TelegramClient>[0]["picture"] },
    act: (client: TelegramClient, tg: FakeTelegram) => Promise<void>,
  ) {
    const tg = await new FakeTelegram().start();
    const logs: string[] = [];
    const log = pino({ level: "info" }, new Writable({ write: (c, _e, cb) => (logs.push(String(c)), cb()) }));
    try {
      await act(
        new TelegramClient({ token: FAKE_TOKEN, apiRoot: tg.url, abandon: new AbortController().signal, log, ...o }),
        tg,
      );
    } finally {
      await tg.stop();
    }
    return logs;
  }

  it("sends the text chart with the keyboard when the chart cannot be drawn, and says so in the log without its words", async () => {
    const logs = await withClient(
      { picture: async () => ({ status: "text_only", text: "", cause: new Error("renderer binary missing") }) },
      async (client, tg) => {
        await client.reply("42", [chart]);
        expect(tg.sent(42).map((c) => c.method)).toEqual(["sendMessage"]);
        expect(tg.texts(42)).toEqual([chart.fallbackText]);
        expect(keyboardOf(tg.sent(42)[0]!)).toEqual(["Tip"]);
      },
    );
    expect(logs.join("")).toContain("the chart could not be drawn");
    expect(logs.join("")).not.toContain("Applications");
  });

  it("never cuts a caption too long for a photo: the photo, then the caption as text with the keyboard", async () => {
    const long = `${"A long caption. ".repeat(70)}The end.`;
    await withClient({}, async (client, tg) => {
      await client.reply("43", [{ ...chart, caption: long }]);
      const sends = tg.sent(43);
      expect(sends.map((c) => c.method)).toEqual(["sendPhoto", "sendMessage"]);
      expect(sends[0]!.params.caption).toBeUndefined();
      expect(decode(tg.photos(43)[0]!.png)).toMatchObject({ width: CHART_WIDTH, height: CHART_HEIGHT });
      expect(sends[1]!.params.text).toBe(long);
      expect(keyboardOf(sends[1]!)).toEqual(["Tip"]);
    });
  });
});
