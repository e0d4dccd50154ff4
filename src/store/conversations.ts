// Explicit conversation state: which flow, which step, what was collected, and which choices
// were last offered (so a typed "2" or a typed label can be matched). Versioned like grammY's
// conversations plugin (core/ports/state.ts): state of another envelope version is dropped,
// never misread; the engine checks each flow's own version and data on load.
// It expires, so a half-finished flow does not trap a user who comes back weeks later.
import type { RedisClient } from "./redis.js";
import { STATE_VERSION, type Conversations, type ConversationState } from "../core/ports/state.js";
import type { UserKey } from "../core/types.js";
import type { Keys } from "./keys.js";

/** Stored state, or null when absent, unreadable, or of another version (never misread). */
export function parseState(raw: string | null): ConversationState | null {
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as ConversationState;
    return s.v === STATE_VERSION ? s : null;
  } catch {
    return null;
  }
}

export class RedisConversations implements Conversations {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly ttlSeconds: number,
  ) {}

  async load(user: UserKey): Promise<ConversationState | null> {
    return parseState(await this.redis.get(this.keys.user(user, "conv")));
  }

  async save(user: UserKey, state: Omit<ConversationState, "v">): Promise<void> {
    await this.redis.set(
      this.keys.user(user, "conv"),
      JSON.stringify({ v: STATE_VERSION, ...state }),
      "EX",
      this.ttlSeconds,
    );
  }

  async clear(user: UserKey): Promise<void> {
    await this.redis.del(this.keys.user(user, "conv"));
  }
}
