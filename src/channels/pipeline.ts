// The one way every channel answers a message: the engine decides, the channel sends the replies
// (with its own capped retries: the user is waiting), and when the platform says the user is
// gone (blocked the bot, cannot be reached) the app's one `unreachable` runs: counted, and every
// proactive message stopped. Any other failure is logged as "reply not delivered", never with
// the text. A channel keeps nothing of this logic itself.
import type { Engine, Outcome } from "../core/engine.js";
import { failureOf } from "../core/ports/delivery.js";
import type { Incoming, Reply, UserKey } from "../core/types.js";
import { userRef, type Logger } from "../log.js";

export interface PipelineOptions {
  engine: Pick<Engine, "handle">;
  log: Logger;
  /** The app's one way to count a user who is gone and stop everything proactive for them. */
  unreachable(user: UserKey, reason: string): Promise<void>;
  /** What the channel itself records first, if anything (WhatsApp marks the contact). */
  onGone?(user: UserKey, reason: string): Promise<void>;
}

export class Pipeline {
  constructor(private readonly o: PipelineOptions) {}

  /** Handles one message and sends its replies with `reply`; never rejects for a failed send. */
  async run(incoming: Incoming, reply: (replies: readonly Reply[]) => Promise<void>): Promise<Outcome["status"]> {
    const outcome = await this.o.engine.handle(incoming);
    if (outcome.status === "duplicate") return outcome.status;
    try {
      await reply(outcome.replies);
    } catch (err) {
      const failure = failureOf(err);
      if (failure?.status === "gone") await this.gone(incoming.user, failure.reason);
      this.o.log.warn({ err, user: userRef(incoming.user), channel: incoming.channel }, "reply not delivered");
    }
    return outcome.status;
  }

  /** The user is gone (a refused reply, a WhatsApp `failed` status): recorded, counted, stopped. */
  async gone(user: UserKey, reason: string): Promise<void> {
    await this.o.onGone?.(user, reason);
    await this.o.unreachable(user, reason);
  }
}
