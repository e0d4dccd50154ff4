// Channel-neutral Reply -> Telegram Bot API calls. Plain text (no parse_mode), so nothing a user
// typed can break the markup; choices as an inline keyboard; a chart as a photo with its caption
// (renderChart, once the picture is drawn) or, without a picture, as its text chart.
import type { InlineKeyboardButton } from "grammy/types";
import { chartAsText, text, type ChartReply, type Choice, type Reply } from "../../core/types.js";
import { splitText } from "../text.js";

export const TELEGRAM_TEXT_LIMIT = 4096;
/** A photo's caption: 0-1024 characters (Bot API, sendPhoto). */
export const TELEGRAM_CAPTION_LIMIT = 1024;
const CALLBACK_LIMIT = 64;

export type TelegramCall =
  | { method: "sendMessage"; text: string; keyboard?: InlineKeyboardButton[][] }
  | { method: "sendDocument"; filename: string; content: string; caption: string }
  | { method: "sendPhoto"; png: Uint8Array; caption?: string; keyboard?: InlineKeyboardButton[][] };

/** The calls for a reply, with no picture drawn: a chart goes as its text chart. */
export function renderReply(reply: Reply): TelegramCall[] {
  if (reply.kind === "document")
    return [{ method: "sendDocument", filename: reply.filename, content: reply.content, caption: reply.caption }];
  if (reply.kind === "chart") return renderReply(chartAsText(reply));
  const parts = splitText(reply.text, TELEGRAM_TEXT_LIMIT);
  const keyboard = reply.choices?.length ? keyboardOf(reply.choices) : undefined;
  return parts.map((text, i) =>
    i === parts.length - 1 && keyboard ? { method: "sendMessage", text, keyboard } : { method: "sendMessage", text },
  );
}

/**
 * A chart whose picture was drawn: one photo with the caption and the keyboard under it. A caption
 * too long for a photo is never cut (it may say something the picture does not): the photo goes
 * bare, then the caption as text with the keyboard.
 */
export function renderChart(reply: ChartReply, png: Uint8Array): TelegramCall[] {
  // UTF-16 units, which are never fewer than the characters Telegram counts: a caption within
  // this is within Telegram's limit however it counts emoji.
  if (reply.caption.length <= TELEGRAM_CAPTION_LIMIT) {
    const keyboard = reply.choices?.length ? keyboardOf(reply.choices) : undefined;
    return [
      {
        method: "sendPhoto",
        png,
        ...(reply.caption ? { caption: reply.caption } : {}),
        ...(keyboard ? { keyboard } : {}),
      },
    ];
  }
  return [{ method: "sendPhoto", png }, ...renderReply(text(reply.caption, reply.choices))];
}

/** Two buttons a row when labels are short, one when long; phones are narrow. */
export function keyboardOf(choices: readonly Choice[]): InlineKeyboardButton[][] {
  const rows: InlineKeyboardButton[][] = [];
  let row: InlineKeyboardButton[] = [];
  for (const c of choices) {
    if (Buffer.byteLength(c.value) > CALLBACK_LIMIT)
      throw new Error(`choice value over ${CALLBACK_LIMIT} bytes: ${c.value.slice(0, 20)}…`);
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
