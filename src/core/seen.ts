// The variants a user saw, for one turn (issue 14.3): read from what the turn's start brought (no
// read of its own) and written while the turn goes on (no wait of its own), settled before the
// conversation state is saved, so a failed write still fails the turn as before. Every context of
// one turn (a let-go makes a second) shares it.
import type { SeenSnapshot, SeenVariants } from "./ports/state.js";
import type { UserKey } from "./types.js";

export class TurnSeen {
  /** Lists picked from this turn, so a second pick of the same message sees the first. */
  private readonly picked = new Map<string, string[]>();
  /** The writes, one after another (a second write of a message lands after the first). */
  private writes: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(
    private readonly seen: SeenVariants,
    private readonly user: UserKey,
    private readonly snapshot: SeenSnapshot | undefined,
  ) {}

  async recent(messageId: string): Promise<string[]> {
    return this.picked.get(messageId) ?? (await this.seen.recent(this.user, messageId, this.snapshot));
  }

  /** Starts the write of `variantId` first in the message's list; `settle` waits for it. */
  remember(messageId: string, variantId: string, keep: number, recent: readonly string[]): void {
    this.picked.set(messageId, [variantId, ...recent.filter((x) => x !== variantId)]);
    this.writes = this.writes
      .then(() => this.seen.remember(this.user, messageId, variantId, keep, recent))
      .catch((err: unknown) => {
        this.failure ??= err;
      });
  }

  /** Every write done; throws the first that failed. */
  async settle(): Promise<void> {
    await this.writes;
    if (this.failure !== undefined) throw this.failure;
  }
}
