// Where a conversation stands between turns. On the way in, the stored state is read back
// through its flow: a state in a flow that no longer exists, written by another version of its
// flow, or whose data no longer fits the flow's schema, is dropped (as if it had expired), and
// every other flow's conversations are untouched. On the way out, the state a turn leaves: the
// flow's position with its version, or only the choices offered, or nothing at all.
import type { FlowInput, Turn, TurnContext } from "./context.js";
import { lastChoices } from "./choices.js";
import type { Flow } from "./flow.js";
import type { AskedQuestion, ConversationState, PausedPosition } from "./ports/state.js";
import type { Choice, Reply } from "./types.js";

/** A stored conversation's step, ready to take the user's input. */
export type Resume = (ctx: TurnContext, input: FlowInput) => Promise<Turn>;

export type Fitted =
  | { status: "none"; state: ConversationState | null }
  | { status: "in_flow"; state: ConversationState; resume: Resume }
  /** The stored state did not fit its flow: read as no state, and cleared when the turn is saved. */
  | { status: "dropped"; state: null; stored: ConversationState };

export function fit(stored: ConversationState | null, flows: ReadonlyMap<string, Flow>): Fitted {
  if (!stored?.flow) return { status: "none", state: stored };
  // States from before versions were stored have none: they were written by version 1.
  const resume = flows.get(stored.flow)?.resume(stored.fv ?? 1, stored.step, stored.data);
  return resume ? { status: "in_flow", state: stored, resume } : { status: "dropped", state: null, stored };
}

/** What the engine itself keeps across turns, beside the flow's position (see engine.ts). */
export interface Carried {
  paused?: PausedPosition;
  safeAt?: number;
}

/** The state to save after a turn, or null when nothing is left to keep. */
export function stateAfter(
  prev: ConversationState | null,
  turn: Turn,
  now: number,
  versionOf: (flow: string) => number,
  carry: Carried = {},
): Omit<ConversationState, "v"> | null {
  const offered = lastChoices(turn.replies);
  let base: Omit<ConversationState, "v"> | null;
  if (turn.next === "keep") {
    if (prev) base = { ...prev, offered: offered ?? prev.offered, updatedAt: now };
    else base = offered ? menuOnly(offered, now) : null;
  } else if (turn.next === null) base = offered ? menuOnly(offered, now) : null;
  else {
    const { flow, step, data } = turn.next;
    const asked = askedIn(turn.replies);
    base = { flow, fv: versionOf(flow), step, data, offered: offered ?? [], updatedAt: now };
    if (asked) base.asked = asked;
  }
  if (!base && !carry.paused && carry.safeAt === undefined) return null;
  // The engine's own fields come from `carry` alone, never from the previous state.
  const { paused: _paused, safeAt: _safeAt, ...rest } = base ?? menuOnly([], now);
  const paused = carry.paused ? { paused: carry.paused } : {};
  return { ...rest, ...paused, ...(carry.safeAt !== undefined ? { safeAt: carry.safeAt } : {}) };
}

/** The question a turn left the user with: its last text message and that message's buttons. */
export function askedIn(replies: readonly Reply[]): AskedQuestion | undefined {
  for (let i = replies.length - 1; i >= 0; i--) {
    const r = replies[i]!;
    if (r.kind === "text") return r.choices?.length ? { text: r.text, choices: r.choices } : { text: r.text };
  }
  return undefined;
}

/**
 * After a proactive message: its choices remembered, so typing "1" answers the reminder's
 * buttons too; whatever flow was in progress stays where it was. Undefined: nothing offered.
 */
export function withOffered(
  prev: ConversationState | null,
  replies: readonly Reply[],
  now: number,
): Omit<ConversationState, "v"> | undefined {
  const offered = lastChoices(replies);
  if (!offered) return undefined;
  return { ...(prev ?? menuOnly([], now)), offered, updatedAt: now };
}

function menuOnly(offered: Choice[], at: number): Omit<ConversationState, "v"> {
  return { flow: null, step: "", data: {}, offered, updatedAt: at };
}
