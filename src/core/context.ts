// What a handler gets for one turn of the conversation, and what it gives back.
import type { Catalog } from "../content/catalog.js";
import { chooseVariant } from "../content/variants.js";
import type { DueItem, ScheduleResult } from "./ports/schedule.js";
import type { ConversationState, FlowData, Profile } from "./ports/state.js";
import type { TurnSeen } from "./seen.js";
import type { CoreServices } from "./services.js";
import type { Choice, ChannelName, Reply, UserKey } from "./types.js";
import type { Entities, Reading } from "./understanding.js";

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
  /** The user said they are safe (the concern tier): for a while, concern is not asked about again. */
  saidSafe?: true;
}

export type FlowInput = { kind: "choice"; answer: string } | { kind: "text"; text: string };

/** A flow's name and step names (core/flow.ts, TypedFlow), so a choice can only name a real step. */
export interface StepsOf<S extends string> {
  readonly name: string;
  readonly steps: { readonly [K in S]: unknown };
}

export class TurnContext {
  /** The engine's reading of this turn's text (language, intent, risk), once it has read it. */
  reading: Reading | undefined;

  constructor(
    readonly user: UserKey,
    readonly channel: ChannelName,
    readonly profile: Profile,
    readonly services: CoreServices,
    readonly state: ConversationState | null,
    readonly now: number,
    /** The engine's registered commands: menus offer only these, so nothing leads to a dead end. */
    readonly commands: ReadonlySet<string>,
    /** The turn's seen variants, when the engine runs the turn (read at its start, written before its save). */
    readonly turnSeen?: TurnSeen,
  ) {}

  /** The catalog of the reply language (`locale`), with the default locale's text for any key it lacks. */
  get t(): Catalog {
    return this.services.content.for(this.locale);
  }

  /**
   * The reply language: the one the user chose (/language) while it is enabled; else the
   * platform's hint (Telegram language_code, the WhatsApp number's country) when it names an
   * enabled locale; else DEFAULT_LOCALE. Never switched from what the user writes: that is only
   * offered (flows/language.ts).
   */
  get locale(): string {
    return this.services.content.localeFor(this.profile);
  }

  /** Times, dates, zones, counts and names, read one way in every flow. */
  get entities(): Entities {
    return this.services.understanding.entities;
  }

  get timezone(): string {
    return this.profile.timezone ?? this.services.settings.defaultTimezone;
  }

  get isAdmin(): boolean {
    return this.services.settings.adminIds.has(this.user);
  }

  /** Reflections, moods and journal text are kept only with explicit consent (POPIA). */
  get mayStore(): boolean {
    return this.profile.consent === "yes";
  }

  /** A choice that runs a command. */
  command(name: string, labelId: string): Choice {
    return { label: this.t.label(labelId), value: `/${name}` };
  }

  /** A choice that answers step `step` of `flow` (one of its steps). Values stay far below Telegram's 64-byte limit. */
  answer<S extends string>(flow: StepsOf<S>, step: NoInfer<S>, answer: string, labelId: string): Choice {
    return { label: this.t.label(labelId), value: `${flow.name}.${step}:${answer}` };
  }

  /** Schedules an item for this user; the caller words the outcome ("scheduled" or "limit_reached"). */
  schedule(item: Omit<DueItem, "id" | "user"> & { id?: string }): Promise<ScheduleResult> {
    return this.services.schedule.scheduler.add({ ...item, user: this.user });
  }

  /** A message variant the user has not seen recently; remembers it. */
  async pick(
    messageId: string,
    vars: Record<string, string | number> = {},
    avoidLast?: number,
  ): Promise<{ text: string; variantId: string }> {
    const message = this.t.message(messageId);
    const keep = Math.min(avoidLast ?? message.variants.length - 1, message.variants.length - 1);
    const seen = this.services.state.seen;
    const recent = this.turnSeen ? await this.turnSeen.recent(messageId) : await seen.recent(this.user, messageId);
    const v = chooseVariant(message.variants, recent.slice(0, keep));
    if (keep > 0 && this.turnSeen) this.turnSeen.remember(messageId, v.id, keep, recent);
    else if (keep > 0) await seen.remember(this.user, messageId, v.id, keep, recent);
    return { text: this.t.variantText(messageId, v.id, vars), variantId: v.id };
  }
}

export function done(...replies: Reply[]): Turn {
  return { replies, next: null };
}

export function aside(...replies: Reply[]): Turn {
  return { replies, next: "keep" };
}
