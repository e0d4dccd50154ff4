// /privacy, /mydata, /forget: what is kept and why, everything exported, everything deleted.
// POPIA: reflections about mood are special personal information; consent can be given or
// withdrawn here at any time, and withdrawing deletes what was saved under it.
import { DateTime } from "luxon";
import { z } from "zod";
import { done, type Turn, type TurnContext } from "../context.js";
import { defineCommand, defineFlow, goTo } from "../flow.js";
import { yesOrNo } from "../intents.js";
import type { StoredValue, UserDataService, UserExport } from "../ports/privacy.js";
import { text, type Reply } from "../types.js";
import { menuChoices } from "./menu.js";
import { retentionMonths } from "./welcome.js";

function userData(ctx: TurnContext): UserDataService {
  return ctx.services.privacy.userData;
}

function partName(ctx: TurnContext, part: string): string {
  return ctx.t.dataOf<Record<string, string>>("privacy_parts")[part] ?? part;
}

/** How many things a stored part holds: entries of a list, fields of a hash, one for a string. */
function countOf(v: StoredValue): number {
  return v.type === "hash" ? Object.keys(v.value).length : v.type === "string" ? 1 : v.value.length;
}

export const privacy = defineFlow({
  name: "privacy",
  version: 1,
  commands: ["privacy"],
  data: z.object({}),
  async start(ctx): Promise<Turn> {
    const exp = await userData(ctx).export(ctx.user);
    const lines = Object.entries(exp.stored)
      .filter(([part]) => part !== "profile" && part !== "flood")
      .map(([part, v]) => ctx.t.text("privacy.stored_line", { what: partName(ctx, part), count: countOf(v) }));
    if (exp.reminders.length) lines.push(ctx.t.text("privacy.stored_line", { what: partName(ctx, "reminders"), count: exp.reminders.length }));
    const consent = ctx.profile.consent;
    const status = ctx.t.text(consent === "yes" ? "privacy.status_yes" : consent === "no" ? "privacy.status_no" : "privacy.status_unset");
    const toggle = consent === "yes" ? ctx.answer(privacy, "menu", "withdraw", "privacy_withdraw") : ctx.answer(privacy, "menu", "give", "privacy_give");
    return goTo(
      privacy,
      "menu",
      {},
      text(
        ctx.t.text("privacy.overview", {
          months: retentionMonths(ctx),
          inactive: ctx.services.settings.inactiveMonths,
          status,
          stored: lines.length ? lines.map((l) => `• ${l}`).join("\n") : ctx.t.text("privacy.stored_none"),
        }),
        [toggle, ctx.command("mydata", "privacy_export"), ctx.command("forget", "privacy_forget")],
      ),
    );
  },
  steps: {
    menu: {
      expects: "choice",
      async answer(ctx, _data, input): Promise<Turn> {
        const answer = input.kind === "choice" ? input.answer : yesOrNo(ctx.t, input.text);
        if (answer === "give" || (answer === "yes" && ctx.profile.consent !== "yes")) {
          await ctx.services.state.profiles.setConsent(ctx.user, "yes", ctx.now);
          return done(text(ctx.t.text("privacy.give_done", { months: retentionMonths(ctx) }), menuChoices(ctx)));
        }
        if (answer === "withdraw") return goTo(privacy, "withdraw", {}, text(ctx.t.text("privacy.withdraw_ask"), withdrawChoices(ctx)));
        return done(text(ctx.t.text("privacy.kept"), menuChoices(ctx)));
      },
    },
    withdraw: {
      expects: "yes_no",
      async answer(ctx, data, input): Promise<Turn> {
        const answer = input.kind === "choice" ? input.answer : yesOrNo(ctx.t, input.text);
        if (answer === "yes") {
          const count = await userData(ctx).dropSensitive(ctx.user);
          await ctx.services.state.profiles.setConsent(ctx.user, "no", ctx.now);
          return done(text(ctx.t.text("privacy.withdrawn", { count }), menuChoices(ctx)));
        }
        if (answer === "no") return done(text(ctx.t.text("privacy.kept"), menuChoices(ctx)));
        return goTo(privacy, "withdraw", data, text(ctx.t.text("privacy.unclear"), withdrawChoices(ctx)));
      },
    },
  },
});

function withdrawChoices(ctx: TurnContext) {
  return [ctx.answer(privacy, "withdraw", "yes", "withdraw_yes"), ctx.answer(privacy, "withdraw", "no", "keep_it")];
}

export const mydata = defineCommand({
  name: "mydata",
  commands: ["mydata"],
  async start(ctx) {
    const exp = await userData(ctx).export(ctx.user);
    const day = DateTime.fromMillis(ctx.now, { zone: ctx.timezone }).toISODate()!;
    const doc: Reply = {
      kind: "document",
      filename: `bounce-back-my-data-${day}.json`,
      content: JSON.stringify(exp, null, 2),
      caption: ctx.t.text("privacy.export_caption"),
      fallbackText: summarize(ctx, exp),
    };
    return done(doc);
  },
});

export const forget = defineFlow({
  name: "forget",
  version: 1,
  commands: ["forget"],
  data: z.object({}),
  async start(ctx): Promise<Turn> {
    return goTo(forget, "confirm", {}, text(ctx.t.text("privacy.forget_ask"), forgetChoices(ctx)));
  },
  steps: {
    confirm: {
      expects: "yes_no",
      async answer(ctx, data, input): Promise<Turn> {
        const answer = input.kind === "choice" ? input.answer : yesOrNo(ctx.t, input.text);
        if (answer === "yes") {
          await userData(ctx).forget(ctx.user);
          // No buttons: offering choices would save a conversation state, i.e. a key, for a user
          // who just asked to have none.
          return done(text(ctx.t.text("privacy.forgotten")));
        }
        if (answer === "no") return done(text(ctx.t.text("privacy.forget_kept"), menuChoices(ctx)));
        return goTo(forget, "confirm", data, text(ctx.t.text("privacy.unclear")), text(ctx.t.text("privacy.forget_ask"), forgetChoices(ctx)));
      },
    },
  },
});

function forgetChoices(ctx: TurnContext) {
  return [ctx.answer(forget, "confirm", "yes", "forget_yes"), ctx.answer(forget, "confirm", "no", "forget_no")];
}

/** The export as readable text, for channels without files (WhatsApp, the console). */
export function summarize(ctx: TurnContext, exp: UserExport): string {
  const t = ctx.t;
  const when = (ms: number) => (Number.isFinite(ms) ? DateTime.fromMillis(ms, { zone: ctx.timezone }).toFormat("yyyy-LL-dd HH:mm") : "?");
  const out: string[] = [t.text("privacy.summary_head", { date: when(ctx.now) }), ""];
  const profile = exp.stored.profile?.type === "hash" ? exp.stored.profile.value : {};
  const consent = profile.consent === "yes" ? "privacy.consent_yes_word" : profile.consent === "no" ? "privacy.consent_no_word" : "privacy.consent_unset_word";
  out.push(t.text("privacy.summary_profile", { created: when(Number(profile.createdAt)), lastSeen: when(Number(profile.lastSeenAt)), consent: t.text(consent) }));
  const rest = Object.entries(profile).filter(([k]) => !["createdAt", "lastSeenAt", "consent"].includes(k));
  // Times are shown as dates, not as the milliseconds they are stored as.
  for (const [k, v] of rest) out.push(`• ${k}: ${/At$/.test(k) && /^\d{10,}$/.test(String(v)) ? when(Number(v)) : show(v)}`);
  for (const [part, v] of Object.entries(exp.stored)) {
    if (part === "profile" || part === "flood") continue;
    out.push("", t.text("privacy.summary_part", { what: partName(ctx, part), count: countOf(v) }));
    out.push(...(part === "conv" ? conversationItems(v) : itemsOf(v)).map((line) => `• ${line}`));
  }
  out.push("", t.text("privacy.summary_reminders", { count: exp.reminders.length }));
  for (const r of exp.reminders) out.push(`• ${when(r.dueAt)}${r.text ? `: ${r.text}` : ` (${r.kind})`}`);
  out.push(
    "",
    exp.daily ? t.text("privacy.summary_daily_on", { time: exp.daily.time, timezone: exp.daily.timezone }) : t.text("privacy.summary_daily_off"),
    "",
    t.text("privacy.summary_end"),
  );
  return out.join("\n");
}

/** A conversation in progress: what the user has answered so far, not the engine's bookkeeping. */
function conversationItems(v: StoredValue): string[] {
  const state = v.type === "string" && v.value && typeof v.value === "object" ? (v.value as { flow?: unknown; data?: Record<string, unknown> }) : undefined;
  if (!state) return itemsOf(v);
  const answers = Object.entries(state.data ?? {}).filter(([, x]) => x !== undefined && x !== "");
  return [`${String(state.flow ?? "-")}${answers.length ? `: ${answers.map(([k, x]) => `${k}: ${show(x)}`).join(", ")}` : ""}`];
}

function itemsOf(v: StoredValue): string[] {
  switch (v.type) {
    case "string":
      return [show(v.value)];
    case "hash":
      return Object.entries(v.value).map(([k, x]) => `${k}: ${show(x)}`);
    case "list":
    case "set":
      return v.value.map(show);
    case "zset":
      return v.value.map((e) => show(e.member));
    case "stream":
      return v.value.map((e) => show(e.fields));
  }
}

function show(v: unknown): string {
  if (typeof v === "string") return v;
  if (v && typeof v === "object" && !Array.isArray(v)) {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}: ${typeof x === "string" ? x : JSON.stringify(x)}`)
      .join(", ");
  }
  return JSON.stringify(v);
}
