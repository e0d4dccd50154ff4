// /start and /help: who the bot is, what it can do, and consent before anything personal is kept.
import { done, goTo, type TurnContext } from "../context.js";
import type { Flow } from "../flow.js";
import { text } from "../types.js";
import { yesOrNo } from "../intents.js";
import { menuChoices, menuStartingWith } from "./menu.js";

function consentQuestion(ctx: TurnContext) {
  return text(ctx.t.text("consent.ask", { months: retentionMonths(ctx) }), [
    ctx.answer("start", "consent", "yes", "consent_yes"),
    ctx.answer("start", "consent", "no", "consent_no"),
  ]);
}

export function retentionMonths(ctx: TurnContext): number {
  return ctx.services.settings.retentionMonths;
}

export const start: Flow = {
  name: "start",
  commands: ["start"],
  async start(ctx, arg) {
    const welcome = text(ctx.t.text("core.welcome"));
    // `/start rejected` (a link in a channel post) puts rejection support first in the menu.
    if (ctx.profile.consent === undefined) return goTo("start", "consent", { first: deepLink(arg) }, welcome, consentQuestion(ctx));
    return done(text(ctx.t.text("core.welcome"), menuStartingWith(ctx, deepLink(arg))));
  },
  async answer(ctx, step, data, input) {
    if (step !== "consent") return done(text(ctx.t.text("core.not_understood"), menuChoices(ctx)));
    const answer = input.kind === "choice" ? input.answer : yesOrNo(ctx.t, input.text);
    if (answer === undefined) return goTo("start", "consent", data, text(ctx.t.text("consent.unclear")), consentQuestion(ctx));
    await ctx.services.state.profiles.setConsent(ctx.user, answer === "yes" ? "yes" : "no", ctx.now);
    const first = typeof data.first === "string" ? data.first : "";
    return done(text(ctx.t.text(answer === "yes" ? "consent.thanks_yes" : "consent.thanks_no"), menuStartingWith(ctx, first)));
  },
};

function deepLink(arg: string): string {
  return /^[a-z_]{1,32}$/.test(arg) ? arg : "";
}

export const help: Flow = {
  name: "help",
  commands: ["help", "menu"],
  async start(ctx) {
    return done(text(ctx.t.text("core.help"), menuChoices(ctx)));
  },
};

export const cancel: Flow = {
  name: "cancel",
  commands: ["cancel"],
  async start(ctx) {
    const wasBusy = Boolean(ctx.state?.flow);
    return done(text(ctx.t.text(wasBusy ? "core.cancelled" : "core.nothing_to_cancel"), menuChoices(ctx)));
  },
};
