// What a handler gets for one turn of the conversation, and what it gives back.
import type { Catalog, Content } from "../content/catalog.js";
import { chooseVariant } from "../content/variants.js";
import type { Clock } from "./clock.js";
import type { Conversations, ConversationState, FlowData, Profile, Profiles, SeenVariants, Turns } from "./ports/state.js";
import type { Choice, ChannelName, Reply, UserKey } from "./types.js";

/**
 * Services the core uses. Optional ones are added by later parts of the house (schedule,
 * journal...); a flow that needs one and finds it missing says so kindly.
 */
export interface CoreServices {
  content: Content;
  profiles: Profiles;
  conversations: Conversations;
  turns: Turns;
  seen: SeenVariants;
  clock: Clock;
  defaultTimezone: string;
  adminIds: ReadonlySet<string>;
  maxMessageChars: number;
  /** Extension point: later modules (schedule, journal, goals...) hang their services here. */
  ext: Record<string, unknown>;
}

export interface FlowPosition {
  flow: string;
  step: string;
  data: FlowData;
}

/**
 * What a handler returns. `next`:
 * - a position: the conversation continues there;
 * - null: the conversation is over (a menu may still be offered);
 * - "keep": leave the current position untouched (an aside, like /tip in the middle of a flow).
 */
export interface Turn {
  replies: Reply[];
  next: FlowPosition | null | "keep";
}

export type FlowInput = { kind: "choice"; answer: string } | { kind: "text"; text: string };

export class TurnContext {
  constructor(
    readonly user: UserKey,
    readonly channel: ChannelName,
    readonly profile: Profile,
    readonly services: CoreServices,
    readonly state: ConversationState | null,
    readonly now: number,
  ) {}

  get t(): Catalog {
    return this.services.content.for(this.profile.locale);
  }

  get timezone(): string {
    return this.profile.timezone ?? this.services.defaultTimezone;
  }

  get isAdmin(): boolean {
    return this.services.adminIds.has(this.user);
  }

  /** A choice that runs a command. */
  command(name: string, labelId: string): Choice {
    return { label: this.t.label(labelId), value: `/${name}` };
  }

  /** A choice that answers step `step` of flow `flow`. Values stay far below Telegram's 64-byte limit. */
  answer(flow: string, step: string, answer: string, labelId: string): Choice {
    return { label: this.t.label(labelId), value: `${flow}.${step}:${answer}` };
  }

  /** A message variant the user has not seen recently; remembers it. */
  async pick(messageId: string, vars: Record<string, string | number> = {}, avoidLast?: number): Promise<{ text: string; variantId: string }> {
    const message = this.t.message(messageId);
    const keep = Math.min(avoidLast ?? message.variants.length - 1, message.variants.length - 1);
    const recent = await this.services.seen.recent(this.user, messageId);
    const v = chooseVariant(message.variants, recent.slice(0, keep));
    if (keep > 0) await this.services.seen.remember(this.user, messageId, v.id, keep, recent);
    return { text: this.t.variantText(messageId, v.id, vars), variantId: v.id };
  }
}

export function done(...replies: Reply[]): Turn {
  return { replies, next: null };
}

export function aside(...replies: Reply[]): Turn {
  return { replies, next: "keep" };
}

export function goTo(flow: string, step: string, data: FlowData, ...replies: Reply[]): Turn {
  return { replies, next: { flow, step, data } };
}

export type { Conversations };
