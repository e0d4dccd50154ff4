// The real bot (grammY, runner, auto-retry) talking HTTP to a fake Bot API, state in real Redis.
import { NOT_UNDERSTOOD } from "./helpers/language.js";
import { en } from "./helpers/bot.js";
import { help } from "./helpers/messages.js";
import { describe, expect, it } from "./helpers/fixtures.js";
import { eventually } from "./helpers/redis.js";

const firstLine = (id: string) => en.text(id).split("\n")[0]!;

describe("telegram end to end", () => {
  it("registers its commands at start", async ({ telegram: tg }) => {
    const call = await eventually(() => tg.calls.find((c) => c.method === "setMyCommands"));
    const names = (call.params.commands as { command: string }[]).map((c) => c.command);
    expect(names).toContain("rejected");
    expect(names).toContain("tip");
    expect(names.every((n) => /^[a-z0-9_]{1,32}$/.test(n))).toBe(true);
  });

  it("welcomes, asks consent with buttons, and takes a button press", async ({ telegram: tg, redis: r }) => {
    tg.text(501, "/start");
    await eventually(() => tg.texts(501).length >= 2);
    expect(tg.texts(501)[0]).toContain(firstLine("core.welcome"));
    const consent = tg.sent(501)[1]!;
    const keyboard = (
      consent.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat();
    expect(keyboard.map((b) => b.text)).toEqual([en.label("consent_yes"), en.label("consent_no")]);

    tg.press(501, keyboard[0]!.callback_data);
    await eventually(() => tg.texts(501).length >= 3);
    expect(tg.texts(501)[2]).toBe(en.text("consent.thanks_yes"));
    expect(tg.calls.some((c) => c.method === "answerCallbackQuery")).toBe(true);
    expect(await r.redis.hget(r.keys.user("telegram:501", "profile"), "consent")).toBe("yes");
  });

  it("answers a plain-words rejection with support and next steps", async ({ telegram: tg }) => {
    tg.text(502, "they rejected me today");
    await eventually(() => tg.texts(502).length >= 2);
    const variants = en.message("support.first_response").variants.map((v) => v.text);
    expect(variants).toContain(tg.texts(502)[0]);
    expect(tg.texts(502)[1]).toBe(en.text("support.what_next"));
  });

  it("answers an unknown message kindly, with the menu", async ({ telegram: tg }) => {
    tg.text(503, "qwerty zxcvb");
    await eventually(() => tg.texts(503).length >= 1);
    expect(tg.texts(503)[0]).toBe(NOT_UNDERSTOOD);
    expect(tg.sent(503)[0]!.params.reply_markup).toBeDefined();
  });

  it("answers the same update delivered twice only once", async ({ telegram: tg }) => {
    const u = tg.text(504, "/tip");
    await eventually(() => tg.texts(504).length >= 1);
    tg.push({ ...u });
    tg.text(504, "/help"); // a later update proves the repeat was consumed, not just slow
    await eventually(() => tg.texts(504).length >= 2);
    expect(tg.texts(504)).toHaveLength(2);
    expect(tg.texts(504)[1]).toBe(help());
  });

  it("waits out a 429 with retry_after and delivers the answer once", async ({ telegram: tg }) => {
    tg.fail({
      method: "sendMessage",
      code: 429,
      description: "Too Many Requests: retry after 1",
      retryAfter: 1,
      chats: ["505"],
    });
    tg.text(505, "/help");
    await eventually(() => tg.texts(505).length >= 1, 10_000);
    const refused = tg.calls.filter((c) => c.method === "!sendMessage");
    expect(refused).toHaveLength(1);
    expect(tg.texts(505)).toEqual([help()]);
    // The retry waited out retry_after (1 s), measured at the fake between the two requests.
    expect(tg.sent(505)[0]!.at - refused[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it("handles bad input without crashing", async ({ telegram: tg, bot }) => {
    const big = "a".repeat(10_000);
    tg.text(506, "");
    tg.text(506, big);
    tg.text(506, "😭😭😭");
    tg.text(506, "لقد رفضوني");
    tg.push({
      message: {
        message_id: 9,
        date: 0,
        chat: { id: 506, type: "private", first_name: "U" },
        from: { id: 506, is_bot: false, first_name: "U" },
        sticker: { file_id: "x" },
      } as never,
    });
    tg.press(506, "reflect.prepared:yes"); // a button from a conversation that no longer exists
    await eventually(() => tg.texts(506).length >= 6, 10_000);
    const texts = tg.texts(506);
    expect(texts[0]).toBe(en.text("core.empty"));
    expect(texts[1]).toBe(en.text("core.too_long", { max: 4000 }));
    expect(texts[2]).toBe(NOT_UNDERSTOOD);
    expect(texts[3]).toBe(NOT_UNDERSTOOD);
    expect(texts[4]).toBe(en.text("core.unsupported"));
    expect(texts[5]).toBe(en.text("core.expired_button"));
    // The bot is still alive and answering.
    tg.text(506, "/tip");
    await eventually(() => tg.texts(506).length >= 7);
  });
});
