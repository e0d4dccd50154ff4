// Sending to a user, as the schedule, retention and the channels' shared pipeline see it: a
// `Sender` per channel, and every send error classified once into a `DeliveryFailure`, so
// whoever sends retries only what it understands (STYLE: retry only what you classified).
// The channels (src/channels/) implement `Sender`; nothing here knows a platform.
import type { ChannelName, Reply } from "../types.js";

/**
 * What kind of message the user did not just ask for. Platforms that restrict such messages
 * (WhatsApp, outside its 24-hour window) map a kind to what they allow (an approved template).
 */
export type ProactiveKind = "daily" | "reminder" | "broadcast" | "inactivity";

export interface SendOptions {
  /** A proactive message, with the short parameters a template may carry (first line, the operator's text). */
  proactive?: { kind: ProactiveKind; params: string[] };
}

export interface Sender {
  readonly name: ChannelName;
  /** Sends replies to one user, by platform id, without retrying. Throws DeliveryError. */
  send(platformId: string, replies: readonly Reply[], options?: SendOptions): Promise<void>;
}

export type DeliveryFailure =
  /**
   * The platform asked us to slow down: wait this long, then retry. `scope: "user"` (WhatsApp
   * 131056, 131049) means only this user's messages must wait, not the whole queue.
   */
  | { status: "rate_limited"; retryAfterMs: number; scope?: "channel" | "user" }
  /** The user blocked the bot, deleted their account, or cannot be reached: stop sending to them. */
  | { status: "gone"; reason: string }
  /** Outside WhatsApp's 24-hour window with no template for the kind; `setting` names what to configure. */
  | { status: "needs_template"; setting?: string }
  /** Network trouble or a 5xx: retry with backoff. */
  | { status: "transient"; reason: string }
  /** Our request was wrong (400...): retrying will not help; alert. */
  | { status: "rejected"; reason: string };

/** The one error a `Sender` throws: the failure, classified where it happened, with its cause. */
export class DeliveryError extends Error {
  override name = "DeliveryError";
  constructor(
    readonly channel: ChannelName,
    readonly failure: DeliveryFailure,
    options?: { cause?: unknown },
  ) {
    super(`${channel}: ${failure.status}${"reason" in failure ? ` (${failure.reason})` : ""}`, options);
  }
}

/** The failure a send threw, when it was classified; undefined for anything else. */
export function failureOf(err: unknown): DeliveryFailure | undefined {
  return err instanceof DeliveryError ? err.failure : undefined;
}
