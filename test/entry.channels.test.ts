// Entry points through the real channels: a Telegram deep link's `/start <entry>` (fake Bot
// API) and a WhatsApp click-to-chat link's prefilled text (a signed webhook) open the entry's
// flow after the welcome and consent, and /stats counts the arrivals per entry and channel.
import { describe, expect } from "vitest";
import { entryPoints } from "../src/core/entry.js";
import { type FakeWhatsApp, seen } from "./fakes/whatsapp.js";
import { en } from "./helpers/bot.js";
import { whatsappTest } from "./helpers/fixtures.js";
import { idOf } from "./helpers/transcripts.js";

const ADMIN = 7001;
const it = whatsappTest.override({ withTelegram: true, waEnv: { ADMIN_IDS: `telegram:${ADMIN}` } });

const entry = (id: string) => entryPoints(en).find((e) => e.id === id)!;

/** The user's WhatsApp messages so far, as catalog ids. */
const waIds = (wa: FakeWhatsApp, user: string) => wa.sentTo(user).map((s) => idOf(seen(s).text));

describe("entry points through the real channels", () => {
  it("Telegram: /start rejected welcomes, asks consent, then opens rejection support", async ({ telegram }) => {
    const tg = telegram!;
    expect((await tg.say(7101, "/start rejected", 2)).map(idOf)).toEqual(["core.welcome", "consent.ask"]);
    const after = await tg.tap(7101, "start.consent:yes", 3);
    expect(after.map(idOf)).toEqual(["consent.thanks_yes", "support.first_response", "support.what_next"]);
    // Someone who has been here before goes straight there.
    expect((await tg.say(7101, "/start feedback", 2)).map(idOf)).toEqual(["feedback.intro", "feedback.ask_kind"]);
  });

  it("WhatsApp: the reflection link's exact prefilled text opens the reflection after consent", async ({
    wa,
    write,
    tap,
  }) => {
    const user = "27825550101";
    await write(user, entry("reflect").whatsapp, 2);
    expect(waIds(wa, user)).toEqual(["core.welcome", "consent.ask"]);
    await tap(user, en.label("consent_no"), 3);
    expect(waIds(wa, user).slice(2)).toEqual(["consent.thanks_no", "reflect.intro", "reflect.ask_about"]);
  });

  it("WhatsApp: the text typed differently in case and spacing still counts; other words do not", async ({
    wa,
    write,
    tap,
  }) => {
    const user = "27825550102";
    await write(user, `  ${entry("daily").whatsapp.toUpperCase().replace(/ /g, "  ")} `, 2);
    expect(waIds(wa, user)).toEqual(["core.welcome", "consent.ask"]);
    await tap(user, en.label("consent_yes"), 2);
    // Daily on WhatsApp: Meta's opt-in comes first.
    expect(waIds(wa, user).slice(2)).toEqual(["consent.thanks_yes", "whatsapp.optin"]);
  });

  it("/stats counts arrivals by entry point and channel", async ({ telegram }) => {
    const tg = telegram!;
    const [out] = await tg.say(ADMIN, "/stats");
    expect(out).toContain("Arrivals by entry point");
    expect(out).toContain("• rejected: 1 today, 1 in all (telegram 1)");
    expect(out).toContain("• feedback: 1 today, 1 in all (telegram 1)");
    expect(out).toContain("• reflect: 1 today, 1 in all (whatsapp 1)");
    expect(out).toContain("• daily: 1 today, 1 in all (whatsapp 1)");
    // An unknown payload is no entry and counts nothing.
    await tg.say(7102, "/start nonsense", 2);
    const [again] = await tg.say(ADMIN, "/stats");
    expect(again).not.toContain("nonsense");
  });
});
