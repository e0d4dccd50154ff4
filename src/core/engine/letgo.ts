// Letting a waiting flow go when a message clearly means something else, and offering it back.
// Which intents may take a message away from a step (LET_GO), what each flow's own topic is (its
// answer, never a new topic), the flow set aside as `paused`, and the "Shall we go back to your
// <flow>?" offer that ends the new topic's turn. docs/understanding.md, "In the conversation".
import { TurnContext, type Turn } from "../context.js";
import type { Carried } from "../conversation.js";
import type { Expectation } from "../flow.js";
import { FREE_TEXT_LET_GO_CONFIDENCE, LET_GO_CONFIDENCE } from "../intents.js";
import type { ConversationState, PausedPosition } from "../ports/state.js";
import { text as textReply, type Choice } from "../types.js";
import type { IntentId, Reading } from "../understanding.js";

/** Choice values of the "Shall we go back?" offer (handled by the engine itself). */
export const RESUME_BACK = "core.resume:back";
export const RESUME_DROP = "core.resume:drop";

/** Intents that may take a message away from a step waiting for a choice, yes/no, a time, a number or a name. */
const LET_GO: ReadonlySet<IntentId> = new Set([
  "stop",
  "help",
  "rejected",
  "remind",
  "daily",
  "language",
  "feedback",
  "reflect",
]);
/** A step that takes any words lets go only for these (and crisis, checked before). */
const LET_GO_FREE_TEXT: ReadonlySet<IntentId> = new Set(["stop", "help", "rejected", "remind"]);
/**
 * What a flow is about: a message of its own topic is its answer, not a new one (a reminder
 * request inside /remind; talk of the rejection inside the reflection on it, or inside the
 * request for feedback on it).
 */
const OWN_TOPIC: Readonly<Record<string, readonly IntentId[]>> = {
  remind: ["remind"],
  daily: ["daily"],
  feedback: ["feedback", "rejected"],
  reflect: ["reflect", "rejected"],
  language: ["language"],
  // Notes on an application talk about applying, interviews, offers and rejections.
  applications: ["rejected", "applied", "interview", "offer"],
  progress: ["rejected", "applied", "interview", "offer"],
  offer: ["offer"],
  practice: ["interview"],
};

/** The safety flows: never let go of, never paused (nobody is offered "back" to a crisis check). */
export const SAFETY_FLOWS: ReadonlySet<string> = new Set(["crisis", "concern"]);

/**
 * The intent a message clearly means instead of answering the waiting step of `flow`, if any.
 * `fits`: whether the text fits what the step asks for (then only a free-text step may let go).
 */
export function letGoIntent(flow: string, expects: Expectation, fits: boolean, reading: Reading): IntentId | undefined {
  const { id, confidence } = reading.intent;
  if (OWN_TOPIC[flow]?.includes(id)) return undefined;
  if (expects === "free_text") {
    return LET_GO_FREE_TEXT.has(id) && confidence >= FREE_TEXT_LET_GO_CONFIDENCE ? id : undefined;
  }
  return !fits && LET_GO.has(id) && confidence >= LET_GO_CONFIDENCE ? id : undefined;
}

/** Where a stored conversation stood, to be offered back. */
export function positionOf(s: ConversationState): PausedPosition {
  const fv = s.fv !== undefined ? { fv: s.fv } : {};
  return { flow: s.flow!, ...fv, step: s.step, data: s.data, ...(s.asked ? { asked: s.asked } : {}) };
}

/** The state with its flow set aside as `paused`: the turn runs as if no flow waited. */
export function setAside(s: ConversationState): ConversationState {
  const safe = s.safeAt !== undefined ? { safeAt: s.safeAt } : {};
  const kept = SAFETY_FLOWS.has(s.flow!) ? s.paused : positionOf(s);
  const paused = kept ? { paused: kept } : {};
  return { v: s.v, flow: null, step: "", data: {}, offered: [], updatedAt: s.updatedAt, ...paused, ...safe };
}

/**
 * The context for a new topic with the waiting flow set aside as `paused` (it is offered back
 * later: `carry.paused` is set, except for a safety flow). The reading of the turn goes along.
 */
export function moveAside(ctx: TurnContext, inFlow: ConversationState, carry: Carried): TurnContext {
  if (!SAFETY_FLOWS.has(inFlow.flow!)) carry.paused = positionOf(inFlow);
  const moved = new TurnContext(
    ctx.user,
    ctx.channel,
    ctx.profile,
    ctx.services,
    setAside(inFlow),
    ctx.now,
    ctx.commands,
    ctx.turnSeen,
  );
  moved.reading = ctx.reading;
  return moved;
}

/** A flow's title for "Shall we go back to your reflection?" (messages/<locale>/core.yaml, data.flow_titles). */
function titleOf(ctx: TurnContext, flow: string): string {
  for (const t of [ctx.t, ctx.services.content.for(undefined)]) {
    try {
      const titles = t.dataOf<Record<string, string>>("flow_titles");
      const title = Object.hasOwn(titles, flow) ? titles[flow] : titles.default;
      if (title) return title;
    } catch {
      // A catalog without titles: the default locale's.
    }
  }
  return flow;
}

/**
 * The turn with "Shall we go back to your <flow>?" (or, for a stale state, "Welcome back, we
 * were in the middle of...") at its end: a message of its own while the turn has fewer than
 * three, else joined to the last text message (its buttons replaced). Undefined when it cannot
 * be placed (three messages, the last not text).
 */
export function withResumeOffer(ctx: TurnContext, turn: Turn, flow: string, stale: boolean): Turn | undefined {
  const words = ctx.t.text(stale ? "core.resume_stale" : "core.resume_offer", { flow: titleOf(ctx, flow) });
  const choices: Choice[] = [
    { label: ctx.t.label("go_back"), value: RESUME_BACK },
    { label: ctx.t.label(stale ? "start_fresh" : "no_thanks"), value: RESUME_DROP },
  ];
  if (turn.replies.length < 3) return { ...turn, replies: [...turn.replies, textReply(words, choices)] };
  const last = turn.replies[turn.replies.length - 1]!;
  if (last.kind !== "text") return undefined;
  return { ...turn, replies: [...turn.replies.slice(0, -1), textReply(`${last.text}\n\n${words}`, choices)] };
}
