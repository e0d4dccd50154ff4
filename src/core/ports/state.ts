// What the engine keeps per user between turns, and the repositories it keeps it in: the
// profile, the conversation state (versioned), the variants a user saw, inbound dedup and the
// flood limit. src/store/ implements them on Redis; the core knows only these shapes.
import type { Choice, UserKey } from "../types.js";

export type Consent = "yes" | "no";

export interface Profile {
  user: UserKey;
  createdAt: number;
  lastSeenAt: number;
  /** The reply language the user chose (/language); unset until they choose. */
  locale?: string;
  /** The platform's language hint (Telegram language_code, the WhatsApp number's country), as last sent. */
  languageHint?: string;
  timezone?: string;
  /** Consent to store reflections, moods and journal text (special personal information). */
  consent?: Consent;
  consentAt?: number;
  /** Set when the profile was created by this very message. */
  isNew: boolean;
  /** The daily boost's local time ("07:30") while subscribed. */
  daily?: string;
  /** The daily boost is paused until then (ms). */
  dailyPause?: number;
  /** When the user opted in to WhatsApp messages outside the 24-hour window (ms). */
  waOptIn?: number;
  /** Languages already offered to switch to ("zu", "af", or "za" for the South African list), once each. */
  langOffered: string[];
}

/** The profile fields flows and the schedule may write, as they are stored (one hash field each). */
export interface ProfileFields {
  createdAt?: number;
  lastSeenAt?: number;
  locale?: string;
  timezone?: string;
  daily?: string;
  dailyPause?: number;
  waOptIn?: number;
  /** Comma-separated. */
  langOffered?: string;
  consent?: Consent;
  consentAt?: number;
}

export interface Profiles {
  get(user: UserKey): Promise<Profile | null>;
  set(user: UserKey, fields: ProfileFields): Promise<void>;
  unset(user: UserKey, ...fields: (keyof ProfileFields)[]): Promise<void>;
  setConsent(user: UserKey, consent: Consent, now: number): Promise<void>;
}

/**
 * The envelope's version: after a deploy that changes the envelope itself, every stored state
 * is dropped, never misread (grammY's conversations plugin does the same). A change to one
 * flow's steps or data bumps that flow's own `version` instead (core/flow.ts), which leaves the
 * other flows' conversations alone.
 */
export const STATE_VERSION = 1;

/** What a flow collected so far, as stored (JSON). Each flow reads it through its own schema. */
export type FlowData = Record<string, unknown>;

export interface ConversationState {
  v: number;
  /** The flow in progress, or null when only a menu was offered. */
  flow: string | null;
  /** The version of that flow the state was written by (absent in states from before: 1). */
  fv?: number;
  step: string;
  data: FlowData;
  offered: Choice[];
  updatedAt: number;
  /**
   * The question the current step last asked (its text and buttons), so the engine can ask it
   * again when the user comes back to the step (absent in states from before: the flow restarts).
   */
  asked?: AskedQuestion;
  /** A flow position left for another topic (a let-go, a stale state), which "go back" resumes. */
  paused?: PausedPosition;
  /** When the user last said they are safe at the concern tier's "are you safe?" (ms). */
  safeAt?: number;
}

export interface AskedQuestion {
  text: string;
  choices?: Choice[];
}

export interface PausedPosition {
  flow: string;
  fv?: number;
  step: string;
  data: FlowData;
  asked?: AskedQuestion;
  /** Whether "Shall we go back?" was offered already (it is offered once; its button keeps working). */
  offered?: boolean;
}

/** Explicit conversation state, one per user, expiring (so a half-finished flow traps nobody). */
export interface Conversations {
  load(user: UserKey): Promise<ConversationState | null>;
  save(user: UserKey, state: Omit<ConversationState, "v">): Promise<void>;
  clear(user: UserKey): Promise<void>;
}

/**
 * The start of every turn in one round trip: the update deduplicated, the flood limit counted,
 * the profile created or touched, the state loaded. A repeat (`fresh` false) still touches.
 */
export interface Turns {
  begin(user: UserKey, now: number, o?: TurnStartOptions): Promise<TurnStart>;
}

export interface TurnStartOptions {
  /** The platform's id of the update, remembered so a redelivery is dropped (absent: not checked). */
  update?: { channel: string; id: string };
  /** Count the message against the per-user flood limit (false for the operator's terminal). */
  flood?: boolean;
  languageHint?: string;
}

export interface TurnStart {
  fresh: boolean;
  verdict: FloodVerdict;
  profile: Profile;
  state: ConversationState | null;
  /** The user's seen-variants record as stored, read with the rest (no read of its own in the turn). */
  seen?: SeenSnapshot;
}

/** A user's seen-variants record as the store keeps it (message id -> its stored value); opaque to the core. */
export type SeenSnapshot = Readonly<Record<string, string>>;

/** Which variants of a message a user saw recently, so tips and daily messages do not repeat. */
export interface SeenVariants {
  /** From `snapshot` when the turn's start brought it, else read. */
  recent(user: UserKey, messageId: string, snapshot?: SeenSnapshot): Promise<string[]>;
  /** Puts `variantId` first; takes the list just read with `recent` (one read, one write a pick). */
  remember(user: UserKey, messageId: string, variantId: string, keep: number, recent: readonly string[]): Promise<void>;
}

/** Platforms deliver at least once: an update id seen before is dropped. */
export interface Dedup {
  /** True the first time an update id is seen, false for every repeat. */
  firstSeen(channel: string, updateId: string): Promise<boolean>;
  /** Forgets an update so a redelivery is processed again (handling failed midway). */
  release(channel: string, updateId: string): Promise<void>;
}

/** ok: go on; note: over the limit, say so once; quiet: over the limit, say nothing. */
export type FloodVerdict = "ok" | "note" | "quiet";

/** The per-user inbound limit, checked before anything else is loaded. */
export interface FloodGuard {
  check(user: UserKey, now: number): Promise<FloodVerdict>;
}
