// The reflection through the real bot (grammY) and the fake Telegram Bot API, state in real
// Redis: buttons, typed answers, skipping, /cancel, a command in the middle, a restart of the
// bot in the middle (the flow resumes), and an expired flow.
import { onTestFinished } from "vitest";
import type { FakeTelegram } from "./fakes/telegram.js";
import { startTestBot, L, T } from "./helpers/bot.js";
import { describe, expect, it } from "./helpers/fixtures.js";
import { eventually } from "./helpers/redis.js";

type Button = { text: string; callback_data: string };

/** Sends something and waits for `n` more messages to the chat; returns their texts. */
async function exchange(tg: FakeTelegram, chat: number, send: () => void, n: number): Promise<string[]> {
  const before = tg.texts(chat).length;
  send();
  await eventually(() => tg.texts(chat).length >= before + n, 5000, `${n} replies`);
  return tg.texts(chat).slice(before, before + n);
}

function buttons(tg: FakeTelegram, chat: number): Button[] {
  const withKeyboard = tg.sent(chat).filter((c) => c.params.reply_markup);
  const last = withKeyboard.at(-1);
  return last ? (last.params.reply_markup as { inline_keyboard: Button[][] }).inline_keyboard.flat() : [];
}

function press(tg: FakeTelegram, chat: number, label: string): () => void {
  const b = buttons(tg, chat).find((x) => x.text === label);
  if (!b)
    throw new Error(
      `no button "${label}" among ${buttons(tg, chat)
        .map((x) => x.text)
        .join(", ")}`,
    );
  return () => tg.press(chat, b.callback_data);
}

async function consent(tg: FakeTelegram, chat: number) {
  await exchange(tg, chat, () => tg.text(chat, "/start"), 2);
  await exchange(tg, chat, press(tg, chat, L("consent_yes")), 1);
}

describe("/reflect over Telegram", () => {
  it("runs with buttons and typed answers, survives a restart in the middle, and saves the journal entry", async ({
    telegram: tg,
    redis: r,
    bot,
  }) => {
    const chat = 701;
    await consent(tg, chat);
    expect(await exchange(tg, chat, () => tg.text(chat, "/reflect"), 2)).toEqual([
      T("reflect.intro"),
      T("reflect.ask_about"),
    ]);
    expect(await exchange(tg, chat, () => tg.text(chat, "Receptionist at Netcare"), 1)).toEqual([
      T("reflect.ask_prepared"),
    ]);
    expect(buttons(tg, chat).map((b) => b.text)).toEqual([L("yes"), L("partly"), L("not_really"), L("skip")]);
    expect(await exchange(tg, chat, press(tg, chat, L("partly")), 1)).toEqual([T("reflect.ask_skills")]);

    // Restart: stop the bot, start a new one on the same Redis prefix; the reflection resumes.
    await bot.stop();
    const again = await startTestBot({ redis: r, telegram: tg });
    onTestFinished(() => again.stop());
    expect(await exchange(tg, chat, press(tg, chat, L("yes")), 1)).toEqual([T("reflect.ask_connected")]);
    expect(await exchange(tg, chat, () => tg.text(chat, "3"), 1)).toEqual([T("reflect.ask_differently")]); // typed "3" = Not really
    expect(await exchange(tg, chat, press(tg, chat, L("skip")), 1)).toEqual([T("reflect.offer_writing")]);
    expect(await exchange(tg, chat, press(tg, chat, L("skip")), 2)).toEqual([
      `${T("reflect.summary", { well: T("reflect.area_skills"), practise: `${T("reflect.area_prepared")}, ${T("reflect.area_connected")}` })}\n\n${T("reflect.perspective")}`,
      T("reflect.ask_next"),
    ]);
    expect(await exchange(tg, chat, press(tg, chat, L("step_research")), 1)).toEqual([
      T("reflect.ask_remind", { step: T("reflect.step_research") }),
    ]);
    const end = await exchange(tg, chat, press(tg, chat, L("no_reminder")), 2);
    expect(end).toEqual([T("reflect.saved"), T("reflect.closing")]);
    const saved = await r.redis.lrange(r.keys.user(`telegram:${chat}`, "journal"), 0, -1);
    expect(JSON.parse(saved[0]!)).toMatchObject({
      company: "Netcare",
      role: "Receptionist",
      prepared: "partly",
      skills: "yes",
      connected: "no",
    });
    // Every callback fits Telegram's 64 bytes.
    for (const c of tg.sent(chat)) {
      const kb = c.params.reply_markup as { inline_keyboard?: Button[][] } | undefined;
      for (const b of kb?.inline_keyboard?.flat() ?? [])
        expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
    }
  });

  it("/cancel and a command in the middle, then an expired flow's button", async ({ telegram: tg, redis: r }) => {
    const chat = 702;
    await exchange(tg, chat, () => tg.text(chat, "/reflect"), 2);
    await exchange(tg, chat, press(tg, chat, L("skip")), 1);
    expect(await exchange(tg, chat, () => tg.text(chat, "/cancel"), 1)).toEqual([T("core.cancelled")]);

    await exchange(tg, chat, () => tg.text(chat, "/reflect"), 2);
    const checkin = await exchange(tg, chat, () => tg.text(chat, "/checkin"), 1);
    expect(checkin).toEqual([T("checkin.ask_mood")]);

    await exchange(tg, chat, () => tg.text(chat, "/reflect"), 2);
    const skip = press(tg, chat, L("skip"));
    await r.redis.del(r.keys.user(`telegram:${chat}`, "conv")); // what the TTL does after CONVERSATION_TTL_HOURS
    expect(await exchange(tg, chat, skip, 1)).toEqual([T("core.expired_button")]);
  });
});
