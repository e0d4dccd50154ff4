// When crisis language appears: stop whatever was going on, show the helplines and a short
// safety plan, say plainly that the bot is not a crisis service. A "no" or "you misunderstood"
// is confirmed kindly, with the helplines kept in reach, never a silent end to the check.
import { done, goTo, type TurnContext } from "../context.js";
import type { Flow } from "../flow.js";
import { text } from "../types.js";
import { compiled, findPhrase } from "../matching.js";
import { sameTimeLater } from "../dates.js";
import { yesOrNo } from "../intents.js";
import { menuChoices } from "./menu.js";

interface Helpline {
  name: string;
  number: string;
  hours?: string;
}

export function helplinesText(ctx: TurnContext): string {
  const lines = ctx.t.dataOf<Helpline[]>("helplines");
  return lines.map((h) => `• ${h.name}: ${h.number}${h.hours ? ` (${h.hours})` : ""}`).join("\n");
}

function checkChoices(ctx: TurnContext) {
  return [
    ctx.answer("crisis", "check", "safe", "crisis_safe"),
    ctx.answer("crisis", "check", "help", "crisis_help"),
    ctx.answer("crisis", "check", "misread", "crisis_misread"),
  ];
}

export const crisis: Flow = {
  name: "crisis",
  commands: ["crisis", "sos"],
  async start(ctx) {
    return goTo(
      "crisis",
      "check",
      {},
      text(ctx.t.text("safety.crisis", { helplines: helplinesText(ctx) })),
      text(ctx.t.text("safety.ask"), checkChoices(ctx)),
    );
  },
  async answer(ctx, step, _data, input) {
    const answer = input.kind === "choice" ? input.answer : classify(ctx, input.text, step);
    if (step === "later") {
      if (answer === "yes") {
        // Tomorrow at the same local time; a user at the reminder limit is told the same (the
        // helplines are what matters here, not the limit).
        await ctx.schedule({ kind: "checkin", dueAt: sameTimeLater(ctx.now, ctx.timezone, 1) });
        return done(text(ctx.t.text("safety.checkin_set"), menuChoices(ctx)));
      }
      return done(text(ctx.t.text("safety.take_care", { helpline: primaryHelpline(ctx) }), menuChoices(ctx)));
    }
    switch (answer) {
      case "help":
        return goTo("crisis", "check", {}, text(ctx.t.text("safety.get_help_now", { helplines: helplinesText(ctx) })), text(ctx.t.text("safety.ask_again"), checkChoices(ctx)));
      case "safe":
      case "misread":
        return goTo(
          "crisis",
          "later",
          {},
          text(ctx.t.text(answer === "safe" ? "safety.glad_safe" : "safety.misread", { helpline: primaryHelpline(ctx) }), [
            ctx.answer("crisis", "later", "yes", "checkin_tomorrow"),
            ctx.answer("crisis", "later", "no", "no_thanks"),
          ]),
        );
      default:
        // Not sure what they meant: stay with them, keep the numbers in reach.
        return goTo("crisis", "check", {}, text(ctx.t.text("safety.still_here", { helpline: primaryHelpline(ctx) }), checkChoices(ctx)));
    }
  },
};

export function primaryHelpline(ctx: TurnContext): string {
  const h = ctx.t.dataOf<Helpline[]>("helplines")[0]!;
  return `${h.name}: ${h.number}`;
}

function classify(ctx: TurnContext, typed: string, step: string): "safe" | "misread" | "help" | "yes" | "no" | undefined {
  const t = ctx.t;
  // Checked before yes/no: "no, you misunderstood" is a misreading, not "no, I'm not safe".
  for (const kind of ["misread", "help", "safe"] as const) {
    if (findPhrase(typed, compiled(t.phrases(`crisis_reply_${kind}`)))) return kind;
  }
  const yn = yesOrNo(t, typed);
  // The check asks "are you safe right now?": a plain "no" means not safe.
  if (step === "check") return yn === "yes" ? "safe" : yn === "no" ? "help" : undefined;
  return yn;
}
