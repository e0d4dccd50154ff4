// The middle tier of safety (issue 12): a message with ambiguous distress ("I can't do this
// anymore") is asked about gently, "are you safe right now?", with one free helpline in reach,
// instead of the whole crisis page. "I need help now" leads to the crisis answer; "I'm safe" and
// "just venting" get a kind note, and the engine remembers it for a while (SAFE_FOR_MS in
// core/engine.ts) so the user is not asked again on every heavy message.
import { z } from "zod";
import { done, type Turn, type TurnContext } from "../context.js";
import { defineFlow, goTo } from "../flow.js";
import { yesOrNo } from "../intents.js";
import { compiled, findPhrase } from "../matching.js";
import { text } from "../types.js";
import { crisis, primaryHelpline } from "./crisis.js";
import { menuChoices } from "./menu.js";

function choices(ctx: TurnContext) {
  return [
    ctx.answer(concern, "check", "safe", "concern_safe"),
    ctx.answer(concern, "check", "help", "concern_help"),
    ctx.answer(concern, "check", "venting", "concern_venting"),
  ];
}

export const concern = defineFlow({
  name: "concern",
  version: 1,
  // Reached only from the engine's safety check, never by a command.
  commands: [],
  data: z.object({}),
  async start(ctx): Promise<Turn> {
    const ask = ctx.t.text("safety.concern_ask", { helpline: primaryHelpline(ctx) });
    return goTo(concern, "check", {}, text(ask, choices(ctx)));
  },
  steps: {
    check: {
      expects: "choice",
      async answer(ctx, _data, input): Promise<Turn> {
        const helpline = primaryHelpline(ctx);
        const answerOf = input.kind === "choice" ? input.answer : classify(ctx, input.text);
        switch (answerOf) {
          case "help":
            return crisis.start(ctx, "");
          case "safe":
          case "venting": {
            const id = answerOf === "safe" ? "safety.concern_safe" : "safety.concern_venting";
            return { ...done(text(ctx.t.text(id, { helpline }), menuChoices(ctx))), saidSafe: true };
          }
          default:
            // Not sure what they meant: stay with them, the line and the buttons in reach.
            return goTo(concern, "check", {}, text(ctx.t.text("safety.still_here", { helpline }), choices(ctx)));
        }
      },
    },
  },
});

function classify(ctx: TurnContext, typed: string): "safe" | "help" | "venting" | undefined {
  const t = ctx.t;
  if (findPhrase(typed, compiled(t.phrases("crisis_reply_help")))) return "help";
  if (findPhrase(typed, compiled(t.phrases("concern_reply_venting")))) return "venting";
  if (findPhrase(typed, compiled(t.phrases("crisis_reply_safe")))) return "safe";
  // "Are you safe?": a plain yes is safe, a plain no asks for help.
  const read = ctx.reading?.intent.id;
  const yn = yesOrNo(t, typed) ?? (read === "yes" || read === "no" ? read : undefined);
  return yn === "yes" ? "safe" : yn === "no" ? "help" : undefined;
}
