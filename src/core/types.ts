// Channel-neutral message types. Channels turn platform updates into `Incoming` and render
// `Reply` values; the core never sees a platform object except through `raw`. A Reply is plain
// data: scheduled ones travel as BullMQ job data (JSON), so no class, Buffer or function in it.
import type { ChartSpec } from "./chart.js";

export type ChannelName = "telegram" | "whatsapp" | "console";

/** A user is keyed by channel and platform id: `telegram:123`, `whatsapp:27821234567`. */
export type UserKey = `${ChannelName}:${string}`;

export function userKeyOf(channel: ChannelName, platformId: string | number): UserKey {
  return `${channel}:${platformId}`;
}

export function channelOf(user: UserKey): ChannelName {
  return user.slice(0, user.indexOf(":")) as ChannelName;
}

export function platformIdOf(user: UserKey): string {
  return user.slice(user.indexOf(":") + 1);
}

/** A choice the user can tap, or answer by typing its number or its label. */
export interface Choice {
  label: string;
  /** `/command` to run a command, or `<flow>.<step>:<answer>` to answer a flow's question. */
  value: string;
}

interface IncomingBase {
  channel: ChannelName;
  user: UserKey;
  /** The platform's id for this update (Telegram update_id, WhatsApp message id): used to drop redeliveries. */
  updateId: string;
  /** The platform's language hint, if any (Telegram language_code). */
  languageHint?: string;
  /** When the platform says the message was sent (ms since epoch), if known. */
  sentAt?: number;
  /** The raw platform update, for escape hatches only; the core must not depend on its shape. */
  raw?: unknown;
}

export type Incoming =
  | (IncomingBase & { kind: "text"; text: string })
  | (IncomingBase & { kind: "choice"; value: string })
  /** A sticker, photo, voice note, location...: something the bot cannot read. */
  | (IncomingBase & { kind: "unsupported"; what: string });

export type Reply =
  | { kind: "text"; text: string; choices?: Choice[] }
  /** A file to download (the data export); channels without files send `fallbackText`. */
  | { kind: "document"; filename: string; content: string; caption: string; fallbackText: string }
  /**
   * A chart, drawn by the channel: a picture with `caption` (at most 1024 characters shows under
   * it on Telegram and WhatsApp) where pictures can be sent, else `fallbackText`, which says what
   * the caption says with the text chart in it (the console; a picture that failed to draw or upload).
   */
  | { kind: "chart"; spec: ChartSpec; caption: string; fallbackText: string; choices?: Choice[] };

export type ChartReply = Extract<Reply, { kind: "chart" }>;

/** A chart as a channel without its picture sends it: the fallback text, with the chart's choices. */
export function chartAsText(reply: ChartReply): Reply {
  return text(reply.fallbackText, reply.choices);
}

/** The choices a reply offers, whatever its kind. */
export function choicesOf(reply: Reply): Choice[] | undefined {
  return reply.kind === "document" ? undefined : reply.choices;
}

export function text(t: string, choices?: Choice[]): Reply {
  return choices && choices.length > 0 ? { kind: "text", text: t, choices } : { kind: "text", text: t };
}

/** Users grouped by their channel, in the order given. */
export function byChannel(users: readonly UserKey[]): Map<ChannelName, UserKey[]> {
  const by = new Map<ChannelName, UserKey[]>();
  for (const u of users) {
    const list = by.get(channelOf(u));
    if (list) list.push(u);
    else by.set(channelOf(u), [u]);
  }
  return by;
}
