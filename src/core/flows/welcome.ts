// /start and /help: who the bot is, what it can do, and consent before anything personal is kept.
import { z } from "zod";
import { done, type Turn, type TurnContext } from "../context.js";
import { defineCommand, defineFlow, goTo } from "../flow.js";
import { ROUTE_CONFIDENCE, yesOrNo } from "../intents.js";
import { rejected } from "./support.js";
import { text } from "../types.js";
import type { Catalog } from "../../content/catalog.js";
import { entryById } from "../entry.js";
import { countArrival, entryFlow, startEntry } from "./entry.js";
import { menuChoices, menuStartingWith } from "./menu.js";

export function retentionMonths(ctx: TurnContext): number {
  return ctx.services.settings.retentionMonths;
}

function deepLink(arg: string): string {
  return /^[a-z_]{1,32}$/.test(arg) ? arg : "";
}

export const start = defineFlow({
  name: "start",
  version: 1,
  commands: ["start"],
  // `first`: the command a deep link (`/start rejected`) puts first in the menu after consent.
  data: z.object({ first: z.string().optional() }),
  async start(ctx, arg): Promise<Turn> {
    const welcome = text(ctx.t.text("core.welcome"));
    // `/start rejected` (an entry point's link in a channel post): the arrival is counted, and the
    // entry's flow opens, after the welcome and consent for someone new (entry.ts).
    const entry = arg ? entryById(ctx.services.content.for(undefined), arg) : undefined;
    if (entry) await countArrival(ctx, entry);
    const first = entry?.command ?? deepLink(arg);
    if (ctx.profile.consent === undefined) return goTo(start, "consent", { first }, welcome, consentQuestion(ctx));
    const flow = entryFlow(ctx, first);
    if (flow) return startEntry(ctx, flow);
    return done(text(ctx.t.text("core.welcome"), menuStartingWith(ctx, first)));
  },
  steps: {
    consent: {
      expects: "yes_no",
      async answer(ctx, data, input): Promise<Turn> {
        const answer = input.kind === "choice" ? input.answer : yesOrNo(ctx.t, input.text);
        // Consent never blocks first use: words of hurt get support first, consent stays unset
        // (nothing is stored until it is given) and is asked again by /start or /privacy.
        // A clear rejection ("I didn't get the job") has already been let go by the engine.
        const meant = ctx.reading?.intent;
        const hurt = (meant?.id === "distress" || meant?.id === "rejected") && meant.confidence >= ROUTE_CONFIDENCE;
        if (answer === undefined && hurt) {
          return rejected.start(ctx, "");
        }
        if (answer === undefined)
          return goTo(start, "consent", data, text(ctx.t.text("consent.unclear")), consentQuestion(ctx));
        await ctx.services.state.profiles.setConsent(ctx.user, answer === "yes" ? "yes" : "no", ctx.now);
        const thanks = ctx.t.text(answer === "yes" ? "consent.thanks_yes" : "consent.thanks_no");
        const flow = entryFlow(ctx, data.first ?? "");
        if (flow) return startEntry(ctx, flow, [text(thanks)]);
        return done(
          text(
            ctx.t.text(answer === "yes" ? "consent.thanks_yes" : "consent.thanks_no"),
            menuStartingWith(ctx, data.first ?? ""),
          ),
        );
      },
    },
  },
});

function consentQuestion(ctx: TurnContext) {
  return text(ctx.t.text("consent.ask", { months: retentionMonths(ctx) }), [
    ctx.answer(start, "consent", "yes", "consent_yes"),
    ctx.answer(start, "consent", "no", "consent_no"),
  ]);
}

export const help = defineCommand({
  name: "help",
  commands: ["help", "menu"],
  async start(ctx) {
    return done(text(helpText(ctx.t, ctx.commands), menuChoices(ctx)));
  },
});

/**
 * One line per group of registered commands ("/goals, /progress – ..."), from `help_lines` in the
 * catalog, in its order. A command the engine does not run is left out, so /help never offers a
 * dead end; test/messages.help.test.ts fails when a public command has neither a line nor a place
 * in `help_hidden` (button targets and aliases).
 */
export function helpText(t: Catalog, commands: ReadonlySet<string>): string {
  const lines = Object.entries(t.dataOf<Record<string, string>>("help_lines")).flatMap(([group, line]) => {
    const shown = group.split(" ").filter((c) => commands.has(c));
    return shown.length ? [`${shown.map((c) => `/${c}`).join(", ")} – ${line}`] : [];
  });
  return t.text("core.help", { lines: lines.join("\n") });
}

export const cancel = defineCommand({
  name: "cancel",
  commands: ["cancel"],
  async start(ctx) {
    const wasBusy = Boolean(ctx.state?.flow);
    return done(text(ctx.t.text(wasBusy ? "core.cancelled" : "core.nothing_to_cancel"), menuChoices(ctx)));
  },
});
