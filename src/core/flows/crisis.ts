// When crisis language appears: stop whatever was going on, show the helplines and a short
// safety plan, say plainly that the bot is not a crisis service. A "no" or "you misunderstood"
// is confirmed kindly, with the helplines kept in reach, never a silent end to the check.
import { z } from "zod";
import { done, type Turn, type TurnContext } from "../context.js";
import { defineFlow, goTo } from "../flow.js";
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
    ctx.answer(crisis, "check", "safe", "crisis_safe"),
    ctx.answer(crisis, "check", "help", "crisis_help"),
    ctx.answer(crisis, "check", "misread", "crisis_misread"),
  ];
}

export const crisis = defineFlow({
  name: "crisis",
  version: 1,
  commands: ["crisis", "sos"],
  data: z.object({}),
  async start(ctx): Promise<Turn> {
    return goTo(
      crisis,
      "check",
      {},
      text(ctx.t.text("safety.crisis", { helplines: helplinesText(ctx) })),
      text(ctx.t.text("safety.ask"), checkChoices(ctx)),
    );
  },
  steps: {
    /** "Are you safe right now?" */
    check: {
      expects: "choice",
      async answer(ctx, _data, input): Promise<Turn> {
        switch (input.kind === "choice" ? input.answer : classify(ctx, input.text, "check")) {
          case "help":
            return goTo(
              crisis,
              "check",
              {},
              text(ctx.t.text("safety.get_help_now", { helplines: helplinesText(ctx) })),
              text(ctx.t.text("safety.ask_again"), checkChoices(ctx)),
            );
          case "safe":
            return offerCheckin(ctx, "safety.glad_safe");
          case "misread":
            return offerCheckin(ctx, "safety.misread");
          default:
            // Not sure what they meant: stay with them, keep the numbers in reach.
            return goTo(
              crisis,
              "check",
              {},
              text(ctx.t.text("safety.still_here", { helpline: primaryHelpline(ctx) }), checkChoices(ctx)),
            );
        }
      },
    },
    /** "Shall I check in with you tomorrow?" */
    later: {
      expects: "yes_no",
      async answer(ctx, _data, input): Promise<Turn> {
        const answer = input.kind === "choice" ? input.answer : classify(ctx, input.text, "later");
        if (answer !== "yes")
          return done(text(ctx.t.text("safety.take_care", { helpline: primaryHelpline(ctx) }), menuChoices(ctx)));
        // Tomorrow at the same local time; a user at the reminder limit is told the same (the
        // helplines are what matters here, not the limit).
        await ctx.schedule({ kind: "checkin", dueAt: sameTimeLater(ctx.now, ctx.timezone, 1) });
        return done(text(ctx.t.text("safety.checkin_set"), menuChoices(ctx)));
      },
    },
  },
});

function offerCheckin(ctx: TurnContext, messageId: "safety.glad_safe" | "safety.misread"): Turn {
  return goTo(
    crisis,
    "later",
    {},
    text(ctx.t.text(messageId, { helpline: primaryHelpline(ctx) }), [
      ctx.answer(crisis, "later", "yes", "checkin_tomorrow"),
      ctx.answer(crisis, "later", "no", "no_thanks"),
    ]),
  );
}

export function primaryHelpline(ctx: TurnContext): string {
  const h = ctx.t.dataOf<Helpline[]>("helplines")[0]!;
  return `${h.name}: ${h.number}`;
}

function classify(
  ctx: TurnContext,
  typed: string,
  step: "check" | "later",
): "safe" | "misread" | "help" | "yes" | "no" | undefined {
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
