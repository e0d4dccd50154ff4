// Telegram update -> channel-neutral Incoming.
import type { Update } from "grammy/types";
import { userKeyOf, type Incoming } from "../../core/types.js";

export function toIncoming(update: Update): Incoming | undefined {
  const updateId = String(update.update_id);
  if (update.callback_query) {
    const q = update.callback_query;
    const base = {
      channel: "telegram" as const,
      user: userKeyOf("telegram", q.from.id),
      updateId,
      languageHint: q.from.language_code,
      raw: update,
    };
    return q.data !== undefined
      ? { ...base, kind: "choice", value: q.data }
      : { ...base, kind: "unsupported", what: "game" };
  }
  const m = update.message;
  // Only private chats: the bot holds personal conversations, never group ones.
  if (!m || !m.from || m.chat.type !== "private") return undefined;
  const base = {
    channel: "telegram" as const,
    user: userKeyOf("telegram", m.from.id),
    updateId,
    languageHint: m.from.language_code,
    sentAt: m.date * 1000,
    raw: update,
  };
  if (typeof m.text === "string") return { ...base, kind: "text", text: m.text };
  const what = m.sticker
    ? "sticker"
    : m.photo
      ? "photo"
      : m.voice
        ? "voice"
        : m.document
          ? "document"
          : m.location
            ? "location"
            : "other";
  return { ...base, kind: "unsupported", what };
}
