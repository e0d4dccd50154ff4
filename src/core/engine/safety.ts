// The safety tiers, read before anything else on every text in every flow: crisis language stops
// whatever was going on, ambiguous distress is asked "are you safe right now?", and after the
// user said "I'm safe" one helpline line stays in reach instead of asking again.
// docs/architecture.md, "Safety"; docs/understanding.md, "In the conversation".
import type { Turn, TurnContext } from "../context.js";
import { primaryHelpline } from "../flows/crisis.js";
import { text as textReply } from "../types.js";
import type { Reading } from "../understanding.js";

/** After "I'm safe" at the concern tier, concern-level messages are not asked about again for this long. */
export const SAFE_FOR_MS = 30 * 60 * 1000;

/** A letter of the Latin script (any accent) or a digit: text the model was trained to read. */
const LATIN_OR_DIGIT = /[\p{Script=Latin}\p{Nd}]/u;

/**
 * Whether the model can read this text: emoji alone or another script ("😭😭😭", Arabic) gets
 * readings it cannot back ("offer", "concern"), so only the crisis tier acts on them.
 */
export function readable(text: string): boolean {
  return LATIN_OR_DIGIT.test(text);
}

/** What one text calls for: the crisis answer, "are you safe?", a helpline line kept in reach, or nothing. */
export type Tier = "crisis" | "ask_safe" | "in_reach" | "none";

export interface TierInput {
  /** An operator writing inside an operator-only flow (a broadcast draft) composes for others. */
  composing: boolean;
  /** Inside the crisis or concern check every text is theirs to answer: not asked "are you safe?" on top. */
  inSafety: boolean;
  readable: boolean;
  /** When the user last said "I'm safe", if lately (within SAFE_FOR_MS). */
  safeAt: number | undefined;
  /** Whether the text is more likely a bare answer than distress (asked only for a concern-level reading). */
  answerShaped: () => boolean;
}

/** The safety tier of a reading; crisis wins over everything but an operator's draft. */
export function tierOf(reading: Reading, o: TierInput): Tier {
  if (!o.composing && reading.risk.level === "crisis") return "crisis";
  const concern = !o.composing && !o.inSafety && o.readable && reading.risk.level === "concern";
  if (!concern || o.answerShaped()) return "none";
  return o.safeAt === undefined ? "ask_safe" : "in_reach";
}

/** One helpline line joined to the last text message, for a concern-level message after "I'm safe". */
export function withLineInReach(ctx: TurnContext, turn: Turn): Turn {
  const line = ctx.t.text("safety.in_reach", { helpline: primaryHelpline(ctx) });
  for (let i = turn.replies.length - 1; i >= 0; i--) {
    const r = turn.replies[i]!;
    if (r.kind !== "text") continue;
    const replies = [...turn.replies];
    replies[i] = textReply(`${r.text}\n\n${line}`, r.choices);
    return { ...turn, replies };
  }
  return turn.replies.length < 3 ? { ...turn, replies: [...turn.replies, textReply(line)] } : turn;
}
