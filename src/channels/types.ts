// What every channel provides: sending replies to a user (for answers and for scheduled
// deliveries), and a start/stop lifecycle. Errors from sending are classified here, once,
// so the delivery queue can decide what to retry (STYLE: retry only what you classified).
import type { ChannelName, Reply } from "../core/types.js";

export interface Channel {
  readonly name: ChannelName;
  /** Sends replies to one user, by platform id. Throws DeliveryError. */
  send(platformId: string, replies: readonly Reply[], options?: SendOptions): Promise<void>;
  start(): Promise<void>;
  /**
   * Stops taking updates and waits for the ones in flight; once `deadline` aborts, gives up on
   * what is still in flight (the caller stops waiting then too).
   */
  stop(deadline?: AbortSignal): Promise<void>;
}

export interface SendOptions {
  /** A proactive message (reminder, daily): WhatsApp may need a template outside the 24-hour window. */
  proactive?: { template: string; params: string[] };
}

export type DeliveryFailure =
  /**
   * The platform asked us to slow down: wait this long, then retry. `scope: "user"` (WhatsApp
   * 131056, 131049) means only this user's messages must wait, not the whole queue.
   */
  | { status: "rate_limited"; retryAfterMs: number; scope?: "channel" | "user" }
  /** The user blocked the bot, deleted their account, or cannot be reached: stop sending to them. */
  | { status: "gone"; reason: string }
  /** Outside WhatsApp's 24-hour window: send a template instead. */
  | { status: "needs_template" }
  /** Network trouble or a 5xx: retry with backoff. */
  | { status: "transient"; reason: string }
  /** Our request was wrong (400...): retrying will not help; alert. */
  | { status: "rejected"; reason: string };

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
