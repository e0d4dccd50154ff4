// Explicit conversation state: which flow, which step, what was collected, and which choices
// were last offered (so a typed "2" or a typed label can be matched). Versioned like grammY's
// conversations plugin: after a deploy that changes the shape, old state is dropped, never
// misread. It expires, so a half-finished flow does not trap a user who comes back weeks later.
import type { Redis } from "ioredis";
import type { Choice, UserKey } from "../core/types.js";
import type { Keys } from "./keys.js";

export const STATE_VERSION = 1;

export type FlowData = Record<string, string | number | boolean | string[] | undefined>;

export interface ConversationState {
  v: number;
  /** The flow in progress, or null when only a menu was offered. */
  flow: string | null;
  step: string;
  data: FlowData;
  offered: Choice[];
  updatedAt: number;
}

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

export class Conversations {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly ttlSeconds: number,
  ) {}

  async load(user: UserKey): Promise<ConversationState | null> {
    return parseState(await this.redis.get(this.keys.user(user, "conv")));
  }

  async save(user: UserKey, state: Omit<ConversationState, "v">): Promise<void> {
    await this.redis.set(this.keys.user(user, "conv"), JSON.stringify({ v: STATE_VERSION, ...state }), "EX", this.ttlSeconds);
  }

  async clear(user: UserKey): Promise<void> {
    await this.redis.del(this.keys.user(user, "conv"));
  }
}
