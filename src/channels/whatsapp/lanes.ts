// How the WhatsApp channel takes the events of a webhook body: each user's messages in order (one
// lane, a promise chain, per user), a few at a time, per body and overall, so one body of 2,000
// messages cannot start 2,000 conversations and their Graph API calls at once. At shutdown, what
// was accepted (Meta was told 200) is finished, or counted and abandoned at the deadline.
import pLimit, { type LimitFunction } from "p-limit";
import { type Logger, userRef } from "../../log.js";
import type { WhatsAppEvent } from "./inbound.js";

export type MessageEvent = Extract<WhatsAppEvent, { kind: "message" }>;
export type StatusEvent = Extract<WhatsAppEvent, { kind: "status" }>;

export interface LaneHandlers {
  message: (e: MessageEvent) => Promise<void>;
  status: (e: StatusEvent) => Promise<void>;
}

export class UserLanes {
  /** One promise chain per user: their messages are answered in the order they wrote them. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly slots: LimitFunction;

  constructor(
    private readonly log: Logger,
    private readonly handlers: LaneHandlers,
    private readonly concurrency?: { overall: number; perBody: number },
  ) {
    this.slots = pLimit(concurrency?.overall ?? 32);
  }

  /** Takes the events of one webhook call. Resolves when all of them are handled; never rejects. */
  async handle(events: readonly WhatsAppEvent[]): Promise<void> {
    const body = pLimit(this.concurrency?.perBody ?? 8);
    // A body slot first, then an overall one: one large body holds at most perBody of the overall slots.
    const run = (task: () => Promise<void>) => body(() => this.slots(task));
    const work: Promise<void>[] = [];
    for (const e of events) {
      if (e.kind === "status")
        work.push(
          run(() => this.handlers.status(e)).catch((err) =>
            this.log.error({ err }, "whatsapp: status handling failed"),
          ),
        );
      // The user's chain waits for their previous message before it asks for a slot: order kept, no slot
      // held while waiting.
      else work.push(this.enqueue(e.platformId, () => run(() => this.handlers.message(e))));
    }
    await Promise.all(work);
  }

  private enqueue(platformId: string, task: () => Promise<void>): Promise<void> {
    const prev = this.chains.get(platformId) ?? Promise.resolve();
    const next = prev
      .then(task)
      .catch((err) =>
        this.log.error({ err, user: userRef(`whatsapp:${platformId}`) }, "whatsapp: message handling failed"),
      );
    this.chains.set(platformId, next);
    void next.finally(() => {
      if (this.chains.get(platformId) === next) this.chains.delete(platformId);
    });
    return next;
  }

  /**
   * Finishes every event already accepted, or as many as the `deadline` allows; what is left then
   * is logged (counted, never its content) and abandoned.
   */
  async drain(deadline?: AbortSignal): Promise<void> {
    const passed = new Promise<void>((resolve) => {
      if (deadline?.aborted) resolve();
      deadline?.addEventListener("abort", () => resolve(), { once: true });
    });
    while (this.chains.size > 0 && !deadline?.aborted)
      await Promise.race([Promise.allSettled([...this.chains.values()]), passed]);
    if (this.chains.size > 0)
      this.log.warn(
        { users: this.chains.size, queued: this.slots.pendingCount },
        "whatsapp: messages still being handled at the shutdown deadline were abandoned",
      );
  }
}
