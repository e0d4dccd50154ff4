// /remind and the buttons on a delivered reminder (/reminder_done, /snooze).
// Dates come in plain words (chrono-node, in the user's zone), are echoed back, and are saved
// only after a yes. Everything goes through the Scheduler port. /reapply is in reapply.ts, /reminders in scheduled.ts.
import { DateTime } from "luxon";
import { z } from "zod";
import { done, type FlowInput, type StepsOf, type Turn, type TurnContext } from "../context.js";
import { defineCommand, defineFlow, goTo, type Flow } from "../flow.js";
import { yesOrNo } from "../intents.js";
import type { DueItem, Scheduler } from "../ports/schedule.js";
import { clip } from "../text.js";
import { formatLocal, MAX_REMINDER_TEXT } from "../time.js";
import { text, type Choice } from "../types.js";
import { menuChoices } from "./menu.js";

export function scheduler(ctx: TurnContext): Scheduler {
  return ctx.services.schedule.scheduler;
}

export function when(ctx: TurnContext, ms: number): string {
  return formatLocal(ms, ctx.timezone, ctx.locale);
}

export function saveChoices(ctx: TurnContext, flow: StepsOf<"confirm">): Choice[] {
  return [ctx.answer(flow, "confirm", "yes", "rem_save"), ctx.answer(flow, "confirm", "no", "rem_dont")];
}

/** Refused at once, kindly, when the user already has as many reminders as the schedule allows. */
export async function atLimit(ctx: TurnContext): Promise<Turn | undefined> {
  const limit = ctx.services.settings.reminderLimit;
  const active = (await scheduler(ctx).list(ctx.user)).length;
  return active >= limit ? done(text(ctx.t.text("remind.limit", { limit }), menuChoices(ctx, ["help"]))) : undefined;
}

/** Saves an item the user confirmed, unless its time has passed meanwhile. */
export async function save(ctx: TurnContext, item: Omit<DueItem, "id" | "user">): Promise<Turn> {
  if (item.dueAt <= ctx.now) return goTo(remind, "words", {}, text(ctx.t.text("remind.past")));
  const r = await ctx.schedule(item);
  if (r.status === "limit_reached")
    return done(text(ctx.t.text("remind.limit", { limit: r.limit }), menuChoices(ctx, ["help"])));
  return done(text(ctx.t.text("remind.saved", { when: when(ctx, item.dueAt) }), menuChoices(ctx, ["tip", "help"])));
}

export function confirmed(ctx: TurnContext, input: FlowInput): "yes" | "no" | undefined {
  return input.kind === "choice" ? (input.answer === "yes" ? "yes" : "no") : yesOrNo(ctx.t, input.text);
}

export function readable(s: string): boolean {
  return /[\p{L}\p{N}]/u.test(s);
}

export const remind = defineFlow({
  name: "remind",
  version: 1,
  commands: ["remind"],
  // When (UTC ms) and what, as read from the user's words; asked for what is missing.
  data: z.object({ dueAt: z.number().optional(), what: z.string().optional() }),
  async start(ctx, arg): Promise<Turn> {
    const full = await atLimit(ctx);
    if (full) return full;
    if (!arg.trim()) return askWords(ctx);
    return fromWords(ctx, arg);
  },
  steps: {
    /** "in 2 weeks call Thandi", "tomorrow at 9 to follow up". */
    words: {
      expects: "date",
      async answer(ctx, _data, input): Promise<Turn> {
        return input.kind === "text" ? fromWords(ctx, input.text) : askWords(ctx);
      },
    },
    /** The date was clear, the reminder's text was not. */
    what: {
      expects: "free_text",
      async answer(ctx, data, input): Promise<Turn> {
        if (data.dueAt === undefined) return askWords(ctx);
        const what = input.kind === "text" ? input.text.trim() : "";
        if ([...what].length > MAX_REMINDER_TEXT)
          return goTo(remind, "what", data, text(ctx.t.text("remind.too_long", { max: MAX_REMINDER_TEXT })));
        if (!readable(what)) return goTo(remind, "what", data, text(ctx.t.text("remind.no_text")));
        return confirm(ctx, data.dueAt, what);
      },
    },
    confirm: {
      expects: "yes_no",
      async answer(ctx, data, input): Promise<Turn> {
        const { dueAt, what } = data;
        if (dueAt === undefined || what === undefined) return askWords(ctx);
        const yn = confirmed(ctx, input);
        if (yn === undefined) return confirm(ctx, dueAt, what);
        if (yn === "no") return done(text(ctx.t.text("remind.not_saved"), menuChoices(ctx, ["help"])));
        return save(ctx, { kind: "reminder", dueAt, text: what });
      },
    },
  },
  due: {
    async reminder(ctx, item) {
      return [text(ctx.t.text("remind.due", { what: item.text ?? "" }), deliveredChoices(ctx, item))];
    },
    async reapply(ctx, item) {
      const d = item.data ?? {};
      return [
        text(
          ctx.t.text("remind.reapply_due", { company: d.company ?? "", role: d.role ?? "", improve: item.text ?? "" }),
          deliveredChoices(ctx, item),
        ),
      ];
    },
    async checkin(ctx) {
      return [text(ctx.t.text("safety.checkin_message"), menuChoices(ctx, ["checkin", "rejected", "help"]))];
    },
  },
});

function askWords(ctx: TurnContext): Turn {
  return goTo(remind, "words", {}, text(ctx.t.text("remind.ask")));
}

/**
 * Reads "in 2 weeks call Thandi", "tomorrow at 7 in the morning to call Sipho" (ctx.entities.reminder,
 * the one reader of reminders); on anything it cannot use, a kind answer and nothing stored.
 */
function fromWords(ctx: TurnContext, words: string): Turn {
  const p = ctx.entities.reminder(words, ctx.now, ctx.timezone, { needText: false });
  switch (p.status) {
    case "ok":
      if (!p.what)
        return goTo(
          remind,
          "what",
          { dueAt: p.dueAt },
          text(ctx.t.text("remind.ask_what", { when: when(ctx, p.dueAt) })),
        );
      return confirm(ctx, p.dueAt, p.what);
    case "too_long":
      return goTo(remind, "words", {}, text(ctx.t.text("remind.too_long", { max: p.max })));
    case "past":
      return goTo(remind, "words", {}, text(ctx.t.text("remind.past")));
    default:
      return goTo(remind, "words", {}, text(ctx.t.text("remind.no_date")));
  }
}

function confirm(ctx: TurnContext, dueAt: number, what: string): Turn {
  return goTo(
    remind,
    "confirm",
    { dueAt, what },
    text(ctx.t.text("remind.confirm", { when: when(ctx, dueAt), zone: ctx.timezone, what }), saveChoices(ctx, remind)),
  );
}

function deliveredChoices(ctx: TurnContext, item: DueItem): Choice[] {
  return [
    { label: ctx.t.label("rem_done"), value: `/reminder_done ${item.id}` },
    { label: ctx.t.label("rem_again"), value: `/snooze ${item.id}` },
  ];
}

/** A command taking a reminder id; ids are short and made by the schedule (`r1a`). */
function idOf(arg: string): string | undefined {
  const id = arg.trim();
  return /^[a-z0-9]{1,16}$/i.test(id) ? id : undefined;
}

/** A one-step command on one of the user's reminders (`/snooze r1a`): the schedule and the id checked once. */
function onReminder(
  name: string,
  act: (ctx: TurnContext, s: Scheduler, id: string | undefined) => Promise<Turn>,
): Flow {
  return defineCommand({ name, commands: [name], start: (ctx, arg) => act(ctx, scheduler(ctx), idOf(arg)) });
}

export const cancelReminder = onReminder("cancel_reminder", async (ctx, s, id) => {
  const ok = id ? await s.cancel(ctx.user, id) : false;
  return done(text(ctx.t.text(ok ? "remind.cancelled" : "remind.not_found"), menuChoices(ctx, ["help"])));
});

export const reminderDone = onReminder("reminder_done", async (ctx, s, id) => {
  if (id) await s.cancel(ctx.user, id);
  return done(text(ctx.t.text("remind.done"), menuChoices(ctx, ["tip", "help"])));
});

export const snooze = onReminder("snooze", async (ctx, s, id) => {
  const item = id ? await s.get(ctx.user, id) : undefined;
  if (!item) return done(text(ctx.t.text("remind.not_found"), menuChoices(ctx, ["help"])));
  const dueAt = DateTime.fromMillis(ctx.now, { zone: ctx.timezone }).plus({ weeks: 1 }).toMillis();
  await s.cancel(ctx.user, item.id);
  const r = await s.add({ user: ctx.user, kind: item.kind, dueAt, text: item.text, data: item.data });
  if (r.status === "limit_reached")
    return done(text(ctx.t.text("remind.limit", { limit: r.limit }), menuChoices(ctx, ["help"])));
  return done(text(ctx.t.text("remind.snoozed", { when: when(ctx, dueAt) }), menuChoices(ctx, ["help"])));
});
