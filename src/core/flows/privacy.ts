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

/** The parts /privacy counts, in words (`privacy.stored_<part>`); the rest is the bot's bookkeeping. */
const VISIBLE_PARTS = ["journal", "moods", "goals", "apps"] as const;

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
    // What a person would call their data, counted in words; the engine's own bookkeeping
    // (conversation state, tips seen, counters, job marks) is in /mydata's file, not here.
    const lines = VISIBLE_PARTS.flatMap((part) => {
      const v = exp.stored[part];
      const count = v ? countOf(v) : 0;
      return count > 0 ? [ctx.t.text(`privacy.stored_${part}`, { count })] : [];
    });
    if (exp.reminders.length) lines.push(ctx.t.text("privacy.stored_reminders", { count: exp.reminders.length }));
    if (exp.daily) lines.push(ctx.t.text("privacy.stored_daily", { time: exp.daily.time }));
    const consent = ctx.profile.consent;
    const status = ctx.t.text(
      consent === "yes" ? "privacy.status_yes" : consent === "no" ? "privacy.status_no" : "privacy.status_unset",
    );
    const toggle =
      consent === "yes"
        ? ctx.answer(privacy, "menu", "withdraw", "privacy_withdraw")
        : ctx.answer(privacy, "menu", "give", "privacy_give");
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
        if (answer === "withdraw")
          return goTo(privacy, "withdraw", {}, text(ctx.t.text("privacy.withdraw_ask"), withdrawChoices(ctx)));
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
    // The readable version first; then everything, exactly as stored, as a file to keep.
    const doc: Reply = {
      kind: "document",
      filename: `bounce-back-my-data-${day}.json`,
      content: JSON.stringify(exp, null, 2),
      caption: ctx.t.text("privacy.export_caption"),
      fallbackText: ctx.t.text("privacy.export_no_file"),
    };
    return done(text(summarize(ctx, exp)), doc);
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
        return goTo(
          forget,
          "confirm",
          data,
          text(ctx.t.text("privacy.unclear")),
          text(ctx.t.text("privacy.forget_ask"), forgetChoices(ctx)),
        );
      },
    },
  },
});

function forgetChoices(ctx: TurnContext) {
  return [ctx.answer(forget, "confirm", "yes", "forget_yes"), ctx.answer(forget, "confirm", "no", "forget_no")];
}

/**
 * The export as a person would read it: sections in plain words, dates in their own zone, the
 * bot's bookkeeping named but not dumped. The file beside it has everything, exactly as stored.
 */
export function summarize(ctx: TurnContext, exp: UserExport): string {
  const t = ctx.t;
  const zone = exp.daily?.timezone ?? ctx.timezone;
  const when = (ms: number) =>
    Number.isFinite(ms) && ms > 0
      ? DateTime.fromMillis(ms, { zone }).setLocale(t.locale).toFormat("d LLL yyyy, HH:mm")
      : "?";
  const fields = t.dataOf<Record<string, string>>("privacy_fields");
  const profile = exp.stored.profile?.type === "hash" ? exp.stored.profile.value : {};
  const consent =
    profile.consent === "yes"
      ? "privacy.consent_yes_word"
      : profile.consent === "no"
        ? "privacy.consent_no_word"
        : "privacy.consent_unset_word";
  const out: string[] = [t.text("privacy.summary_head", { date: when(ctx.now) }), ""];
  out.push(
    t.text("privacy.summary_profile", {
      created: when(Number(profile.createdAt)),
      lastSeen: when(Number(profile.lastSeenAt)),
      consent: t.text(consent),
      zone,
    }),
  );
  if (exp.daily) {
    out.push(
      exp.daily.pausedUntil
        ? t.text("privacy.summary_daily_paused", { time: exp.daily.time, until: when(exp.daily.pausedUntil) })
        : t.text("privacy.summary_daily_on", { time: exp.daily.time }),
    );
  } else out.push(t.text("privacy.summary_daily_off"));

  const bookkeeping: string[] = [];
  for (const [part, v] of Object.entries(exp.stored)) {
    if (part === "profile") continue;
    if (!(VISIBLE_PARTS as readonly string[]).includes(part)) {
      bookkeeping.push(partName(ctx, part));
      continue;
    }
    out.push("", t.text("privacy.summary_part", { what: partName(ctx, part), count: countOf(v) }));
    out.push(...entriesOf(v).map((e) => `• ${readable(e, when, fields)}`));
  }
  if (exp.reminders.length) {
    out.push("", t.text("privacy.summary_reminders", { count: exp.reminders.length }));
    const kinds = t.dataOf<Record<string, string>>("privacy_kinds");
    for (const r of exp.reminders) out.push(`• ${when(r.dueAt)}: ${r.text ?? kinds[r.kind] ?? r.kind}`);
  }
  if (bookkeeping.length) out.push("", t.text("privacy.summary_bookkeeping", { what: bookkeeping.join(", ") }));
  out.push("", t.text("privacy.summary_end"));
  return out.join("\n");
}

/** The entries of a stored part, each a value as stored (an object where it was JSON). */
function entriesOf(v: StoredValue): unknown[] {
  switch (v.type) {
    case "string":
      return [v.value];
    case "hash":
      return Object.entries(v.value).map(([k, x]) => (x && typeof x === "object" ? x : { [k]: x }));
    case "list":
    case "set":
      return v.value;
    case "zset":
      return v.value.map((e) => e.member);
    case "stream":
      return v.value.map((e) => e.fields);
  }
}

/** One entry in words: its date first (in the user's zone), then its fields by their plain names. */
function readable(entry: unknown, when: (ms: number) => string, fields: Record<string, string>): string {
  if (!entry || typeof entry !== "object" || Array.isArray(entry)) return show(entry);
  const e = entry as Record<string, unknown>;
  // `n` and `v` are the store's own uniqueness and version marks, not something the user said.
  const rest = Object.entries(e).filter(([k, x]) => !["at", "n", "v"].includes(k) && x !== undefined && x !== "");
  const body = rest
    .map(([k, x]) => {
      const isTime = /At$/.test(k) && Number.isFinite(Number(x));
      const value = isTime ? when(Number(x)) : typeof x === "string" ? x : JSON.stringify(x);
      return `${fields[k] ?? k}: ${value}`;
    })
    .join("; ");
  const at = Number(e.at);
  return Number.isFinite(at) && at > 0 ? `${when(at)} – ${body}` : body;
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
