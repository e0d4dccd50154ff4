// Whether a typed text answers what the waiting step asks for. A text that fits its step is the
// step's answer whatever the model reads in it (no let-go), and a bare answer ("7:30", "yes",
// "2") is not taken for distress at the concern tier: the model has seen little of such texts.
import type { TurnContext } from "../context.js";
import type { Expectation } from "../flow.js";
import { commandWordsOf, yesOrNo } from "../intents.js";
import { normalize } from "../matching.js";
import type { Reading } from "../understanding.js";

/** Whether typed text fits what the waiting step asks for (then it is the answer, whatever its intent). */
export function fits(ctx: TurnContext, expects: Expectation, text: string, reading: Reading): boolean {
  switch (expects) {
    case "yes_no":
      return reading.intent.id === "yes" || reading.intent.id === "no" || yesOrNo(ctx.t, text) !== undefined;
    case "time":
      return ctx.entities.timeOfDay(text) !== undefined;
    case "number":
      return ctx.entities.count(text) !== undefined;
    case "date":
      return ctx.entities.reminder(text, ctx.now, ctx.timezone, { needText: false }).status !== "no_date";
    case "company":
    case "role":
    case "person":
      return ctx.entities.plausible(text, expects);
    case "choice":
      // A typed number or label of an offered choice was taken before this is asked.
      return false;
    case "free_text":
      return true;
  }
}

/**
 * Whether a concern-level reading is more likely the model misreading a bare answer: a slash
 * command, a bare number or time ("seven", "7:30", "2 people": short texts the risk head has
 * seen little of), or exactly what a waiting step asks for (yes/no, a time, a number, a date).
 * Only the concern tier is skipped for these, never the crisis answer. `expects`: what the
 * waiting step asks for, if a flow waits; `reading`: this turn's reading of `text`.
 */
export function answerShaped(
  ctx: TurnContext,
  expects: Expectation | undefined,
  text: string,
  reading: Reading,
): boolean {
  if (text.startsWith("/")) return true;
  // A whole message that is a command word ("stop everything", "help"): the user is using the bot.
  if (commandWordsOf(ctx.t).has(normalize(text))) return true;
  const words = text.split(/\s+/).length;
  const e = ctx.entities;
  if (words <= 3 && (e.count(text) !== undefined || e.timeOfDay(text) !== undefined)) return true;
  if (expects === "yes_no") return yesOrNo(ctx.t, text) !== undefined;
  const structured = expects === "time" || expects === "number" || expects === "date";
  return structured && fits(ctx, expects, text, reading);
}
