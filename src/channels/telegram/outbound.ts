// Channel-neutral Reply -> Telegram Bot API calls. Plain text (no parse_mode), so nothing a user
// typed can break the markup; choices as an inline keyboard.
import type { InlineKeyboardButton } from "grammy/types";
import type { Choice, Reply } from "../../core/types.js";
import { splitText } from "../text.js";

export const TELEGRAM_TEXT_LIMIT = 4096;
const CALLBACK_LIMIT = 64;

export type TelegramCall =
  | { method: "sendMessage"; text: string; keyboard?: InlineKeyboardButton[][] }
  | { method: "sendDocument"; filename: string; content: string; caption: string };

export function renderReply(reply: Reply): TelegramCall[] {
  if (reply.kind === "document") return [{ method: "sendDocument", filename: reply.filename, content: reply.content, caption: reply.caption }];
  const parts = splitText(reply.text, TELEGRAM_TEXT_LIMIT);
  const keyboard = reply.choices?.length ? keyboardOf(reply.choices) : undefined;
  return parts.map((text, i) => (i === parts.length - 1 && keyboard ? { method: "sendMessage", text, keyboard } : { method: "sendMessage", text }));
}

/** Two buttons a row when labels are short, one when long; phones are narrow. */
export function keyboardOf(choices: readonly Choice[]): InlineKeyboardButton[][] {
  const rows: InlineKeyboardButton[][] = [];
  let row: InlineKeyboardButton[] = [];
  for (const c of choices) {
    if (Buffer.byteLength(c.value) > CALLBACK_LIMIT) throw new Error(`choice value over ${CALLBACK_LIMIT} bytes: ${c.value.slice(0, 20)}…`);
    const button = { text: c.label, callback_data: c.value };
    if (c.label.length > 14) {
      if (row.length) rows.push(row);
      rows.push([button]);
      row = [];
    } else {
      row.push(button);
      if (row.length === 2) {
        rows.push(row);
        row = [];
      }
    }
  }
  if (row.length) rows.push(row);
  return rows;
}
