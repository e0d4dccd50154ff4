// The platform's language hint through the real channels: Telegram's language_code through
// grammY and the fake Bot API, and the WhatsApp number's country through signed webhooks and the
// fake Graph API; the bot started with LOCALES=en,af,zu.
import { help } from "./helpers/messages.js";
import { describe, expect, it } from "vitest";
import { guessLanguage, parseWebhook } from "../src/channels/whatsapp/inbound.js";
import { loadContent } from "../src/content/content.js";
import { type FakeWhatsApp, WA, postWebhook, seen, textMessage } from "./fakes/whatsapp.js";
import { MESSAGES_DIR } from "./helpers/bot.js";
import { whatsappTest } from "./helpers/fixtures.js";
import { eventually } from "./helpers/redis.js";

const content = loadContent(MESSAGES_DIR, "en", ["en", "af", "zu"]);
const [en, af, zu] = [content.for("en"), content.for("af"), content.for("zu")];
const LOCALES = { LOCALES: "en,af,zu" };
const channelsTest = whatsappTest.override({ withTelegram: true, waEnv: LOCALES });

describe("the WhatsApp number's country as a hint", () => {
  it.each([
    ["27821234567", "en-ZA"],
    ["26650123456", "st-LS"],
    ["26771234567", "tn-BW"],
    ["447700900123", "en-GB"],
    ["15551234567", "en-US"],
  ])("%s -> %s", (from, hint) => {
    const { events } = parseWebhook(textMessage(from, "hi") as Record<string, unknown>, WA.phoneNumberId);
    const e = events[0]!;
    expect(e.kind === "message" && e.incoming.languageHint).toBe(hint);
  });

  it("reads a business-scoped id's country when there is no number; nothing from an unknown country", () => {
    expect(guessLanguage({ userId: "ZA.1234567" })).toBe("en-ZA");
    expect(guessLanguage({ userId: "LS.1234567" })).toBe("st-LS");
    expect(guessLanguage({ waId: "99912345" })).toBeUndefined();
    expect(guessLanguage({})).toBeUndefined();
  });
});

describe("through the real channels", () => {
  const it = channelsTest;
  const waTexts = (wa: FakeWhatsApp, to: string) => wa.sentTo(to).map((s) => seen(s).text);

  it("Telegram: language_code zu is answered in isiZulu, af in Afrikaans, fr in English", async ({
    telegram,
    redis: r,
  }) => {
    const tg = telegram!;
    const cases: [number, string, string][] = [
      [9101, "zu", help(zu)],
      [9102, "af", help(af)],
      [9103, "fr", help()],
    ];
    for (const [id, code, expected] of cases) {
      tg.text(id, "/help", { from: { id, is_bot: false, first_name: "T", language_code: code } } as never);
      await eventually(() => tg.texts(id).length >= 1, 15_000, `a reply to ${id}`);
      expect(tg.texts(id)[0]).toBe(expected);
      expect((await r.redis.hgetall(r.keys.user(`telegram:${id}`, "profile"))).languageHint).toBe(code);
    }
  });

  it("WhatsApp +27: English, with the choice of languages offered once", async ({ wa, bot, redis: r }) => {
    const user = "27820009901";
    const offer = en.text("language.offer_choose", { others: "Afrikaans and isiZulu" });
    expect((await postWebhook(bot.httpPort!, textMessage(user, "/tip"))).status).toBe(200);
    await eventually(() => waTexts(wa, user).length >= 2, 15_000, "tip and offer").catch((e) => {
      throw new Error(`${e}: ${JSON.stringify(waTexts(wa, user))}`);
    });
    expect(waTexts(wa, user)[1]).toBe(offer);
    expect((await r.redis.hgetall(r.keys.user(`whatsapp:${user}`, "profile"))).languageHint).toBe("en-ZA");
    expect((await postWebhook(bot.httpPort!, textMessage(user, "/help"))).status).toBe(200);
    await eventually(() => waTexts(wa, user).length >= 3, 15_000, "help");
    expect(waTexts(wa, user)[2]).toBe(help());
    expect(waTexts(wa, user)).toHaveLength(3);
  });

  it("WhatsApp +266 (Lesotho): Sesotho is not enabled, so English, and no South African offer", async ({ wa, bot }) => {
    const user = "26650009902";
    expect((await postWebhook(bot.httpPort!, textMessage(user, "/help"))).status).toBe(200);
    await eventually(() => waTexts(wa, user).length >= 1, 15_000, "help");
    expect(waTexts(wa, user)).toEqual([help()]);
  });
});
