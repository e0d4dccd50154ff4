// Charts on WhatsApp, through the real bot and the fake Graph API (signed webhooks): a chart is
// uploaded first (multipart to /media; the fake keeps the bytes, which must decode as a PNG of the
// chart's size), then sent by that media id: as the reply buttons' header image when its choices
// fit buttons, else as an image followed by its list. An upload that keeps failing, or an image
// message Meta refuses, sends the text chart instead and loses nothing. And the console prints
// the text chart.
import { PassThrough } from "node:stream";
import { decode } from "fast-png";
import { describe, expect, it } from "vitest";
import { CHART_HEIGHT, CHART_WIDTH } from "../src/charts/render.js";
import { seen } from "./fakes/whatsapp.js";
import { startTestBot, L, T } from "./helpers/bot.js";
import { whatsappTest, type Write } from "./helpers/fixtures.js";
import { eventually, testRedis } from "./helpers/redis.js";

/** A user who has answered the consent question (yes, by its number). */
async function consented(write: Write, user: string): Promise<void> {
  await write(user, "/start", 2);
  await write(user, "1", 1);
}

function png(bytes: Buffer) {
  const image = decode(bytes);
  return { width: image.width, height: image.height };
}

describe("charts on WhatsApp", () => {
  const it = whatsappTest;
  it("uploads the mood trend's PNG, then sends the reply buttons with that image as their header", async ({
    wa,
    write,
    redis,
  }) => {
    const user = "27825550101";
    await consented(write, user);
    await write(user, "/checkin 4", 1);
    const uploadsBefore = wa.uploads.length;
    const sends = await write(user, "no word today", 2);
    const upload = wa.uploads.slice(uploadsBefore)[0]!;
    expect(upload).toMatchObject({ type: "image/png", fileType: "image/png", filename: "chart.png" });
    expect(png(upload.bytes)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect(sends.map((s) => s.payload.type)).toEqual(["text", "interactive"]);
    const chart = seen(sends[1]!);
    expect(chart).toMatchObject({ style: "buttons", image: upload.id, text: T("charts.mood_caption", { weeks: 4 }) });
    expect(chart.labels).toEqual([L("menu_tip"), L("menu_goals"), L("menu_help")]);
    // Nothing more: two messages in all, the upload before the message that shows it.
    expect(wa.sentTo(user)).toHaveLength(wa.sentTo(user).indexOf(sends[1]!) + 1);
    expect(upload.at).toBeLessThanOrEqual(sends[1]!.at);
  });

  it("a chart with more choices than buttons hold: the image, then the caption with its list (three messages in all)", async ({
    wa,
    write,
    redis,
  }) => {
    const user = "27825550102";
    await consented(write, user);
    await write(user, "/checkin 2", 1);
    const sends = await write(user, "tired", 3);
    const upload = wa.uploads.at(-1)!;
    expect(sends.map((s) => seen(s).style)).toEqual(["text", "image", "list"]);
    expect(seen(sends[1]!)).toMatchObject({ image: upload.id, text: "" });
    expect(seen(sends[2]!)).toMatchObject({ text: T("charts.mood_caption", { weeks: 4 }) });
    expect(seen(sends[2]!).labels[0]).toBe(L("menu_wellbeing"));
  });

  it("/progress: the pipeline as an image with its caption", async ({ wa, write }) => {
    const user = "27825550103";
    await write(user, "I applied to Shoprite", 2);
    const sends = await write(user, "/progress", 3);
    const upload = wa.uploads.at(-1)!;
    expect(png(upload.bytes)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect(sends[0]!.payload).toEqual(
      expect.objectContaining({
        type: "image",
        image: { id: upload.id, caption: T("charts.pipeline_caption", { week: 1 }) },
      }),
    );
    expect(seen(sends[2]!)).toMatchObject({ text: T("progress.ask_log"), style: "list" });
  });

  it("an upload that keeps failing (500) sends the text chart, with its buttons, and loses nothing; the next chart is a picture again", async ({
    wa,
    write,
    redis,
  }) => {
    const user = "27825550104";
    await consented(write, user);
    await write(user, "/checkin 3", 1);
    const uploads = wa.uploads.length;
    const refused = wa.refusedUploads.length;
    wa.fail({ code: 500, edge: "media", times: 3 });
    const sends = await write(user, "okay", 2);
    // The reply's three tries, then the text: no picture was stored or sent.
    expect(wa.refusedUploads.length - refused).toBe(3);
    expect(wa.uploads.length).toBe(uploads);
    const fallback = seen(sends[1]!);
    expect(fallback.style).toBe("buttons");
    expect(fallback.text.startsWith(T("checkin.trend", { chart: "" }))).toBe(true);
    expect(fallback.text).toContain("███░░ 3.0");
    expect(fallback.labels).toEqual([L("menu_tip"), L("menu_goals"), L("menu_help")]);
    expect(sends.some((s) => s.payload.type === "image" || seen(s).image)).toBe(false);
    // The mood was kept, and the buttons answer.
    expect(await redis.redis.zcard(redis.keys.user(`whatsapp:${user}`, "moods"))).toBe(1);
    await write(user, "/checkin 4", 1);
    const next = await write(user, "better", 2);
    expect(seen(next[1]!).image).toBe(wa.uploads.at(-1)!.id);
  });

  it("one failed upload is retried within the reply, and the picture still arrives", async ({ wa, write }) => {
    const user = "27825550105";
    await write(user, "I applied to Pep", 2);
    const refused = wa.refusedUploads.length;
    wa.fail({ code: 500, edge: "media", times: 1 });
    const sends = await write(user, "/progress", 3);
    expect(wa.refusedUploads.length - refused).toBe(1);
    expect(seen(sends[0]!)).toMatchObject({ style: "image", image: wa.uploads.at(-1)!.id });
  });

  it("an image message Meta refuses (400) goes as the text chart", async ({ wa, write }) => {
    const user = "27825550106";
    await write(user, "I applied to Clicks", 2);
    wa.fail({ code: 100, to: user, type: "image" });
    const sends = await write(user, "/progress", 3);
    expect(wa.refused.filter((s) => s.to === user).map((s) => s.payload.type)).toEqual(["image"]);
    expect(seen(sends[0]!).text).toBe(
      T("progress.summary", { applied: 1, interviews: 0, rejections: 0, offers: 0, week: 1 }),
    );
    expect(sends.map((s) => s.payload.type)).toEqual(["text", "text", "interactive"]);
  });
});

describe("charts on the console", () => {
  it("prints the text chart, with its choices numbered, and no caption", async () => {
    const redis = await testRedis();
    const input = new PassThrough();
    const output = new PassThrough();
    let out = "";
    output.on("data", (c: Buffer) => (out += c.toString("utf8")));
    const consoleBot = await startTestBot({ redis, consoleIO: { input, output } });
    try {
      input.write("1\n/checkin 5\n");
      await eventually(() => out.includes(T("checkin.ask_word")), 10_000, "the word question");
      input.write("1\n"); // the only choice: skip
      await eventually(() => out.includes("█████ 5.0"), 10_000, "the text chart");
      const block = out.slice(out.lastIndexOf("\nbot> "));
      expect(block.startsWith(`\nbot> ${T("checkin.trend", { chart: "" })}`)).toBe(true);
      expect(block).toContain(`1) ${L("menu_tip")}`);
      expect(out).not.toContain(T("charts.mood_caption", { weeks: 4 }));
    } finally {
      await consoleBot.stop();
      await redis.cleanup();
    }
  });
});
