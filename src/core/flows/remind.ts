// /remind, /reminders, /cancel_reminder, /reapply, and the buttons on a delivered reminder
// (/reminder_done, /snooze). Dates come in plain words (chrono-node, in the user's zone), are
// echoed back, and are saved only after a yes. Everything goes through the Scheduler port.
import { DateTime } from "luxon";
import { done, goTo, type Turn, type TurnContext } from "../context.js";
import type { Flow } from "../flow.js";
import type { DueItem, Scheduler } from "../ports/schedule.js";
import { text, type Choice } from "../types.js";
import type { FlowData } from "../ports/state.js";
import { yesOrNo } from "../intents.js";
import { formatLocal, MAX_REMINDER_TEXT, parseReminder } from "../time.js";
import { menuChoices } from "./menu.js";


const SHORT_MAX = 80;
/** Shown in /reminders (Telegram keyboards and WhatsApp lists stay readable). */
const LIST_MAX = 10;
/** The kinds a user set themselves (a crisis check-in is not listed for cancelling). */
const USER_KINDS = new Set(["reminder", "reapply"]);

function scheduler(ctx: TurnContext): Scheduler {
  return ctx.services.schedule.scheduler;
}

function when(ctx: TurnContext, ms: number): string {
  return formatLocal(ms, ctx.timezone, ctx.profile.locale ?? "en");
}

function saveChoices(ctx: TurnContext, flow: string): Choice[] {
  return [ctx.answer(flow, "confirm", "yes", "rem_save"), ctx.answer(flow, "confirm", "no", "rem_dont")];
}

async function atLimit(ctx: TurnContext, s: Scheduler): Promise<Turn | undefined> {
  const limit = ctx.services.settings.reminderLimit;
  const active = (await s.list(ctx.user)).length;
  return active >= limit ? done(text(ctx.t.text("remind.limit", { limit }), menuChoices(ctx, ["help"]))) : undefined;
}

/** Reads "in 2 weeks call Thandi"; on anything it cannot use, a kind answer and nothing stored. */
function fromWords(ctx: TurnContext, words: string): Turn {
  const p = parseReminder(words, ctx.now, ctx.timezone, { needText: false });
  switch (p.status) {
    case "ok":
      if (!p.what) return goTo("remind", "what", { dueAt: p.dueAt }, text(ctx.t.text("remind.ask_what", { when: when(ctx, p.dueAt) })));
      return confirm(ctx, p.dueAt, p.what);
    case "too_long":
      return goTo("remind", "words", {}, text(ctx.t.text("remind.too_long", { max: p.max })));
    case "past":
      return goTo("remind", "words", {}, text(ctx.t.text("remind.past")));
    default:
      return goTo("remind", "words", {}, text(ctx.t.text("remind.no_date")));
  }
}

function confirm(ctx: TurnContext, dueAt: number, what: string): Turn {
  return goTo("remind", "confirm", { dueAt, what }, text(ctx.t.text("remind.confirm", { when: when(ctx, dueAt), zone: ctx.timezone, what }), saveChoices(ctx, "remind")));
}

async function save(ctx: TurnContext, s: Scheduler, item: Omit<DueItem, "id">): Promise<Turn> {
  if (item.dueAt <= ctx.now) return goTo("remind", "words", {}, text(ctx.t.text("remind.past")));
  const r = await s.add(item);
  if (r.status === "limit_reached") return done(text(ctx.t.text("remind.limit", { limit: r.limit }), menuChoices(ctx, ["help"])));
  return done(text(ctx.t.text("remind.saved", { when: when(ctx, item.dueAt) }), menuChoices(ctx, ["tip", "help"])));
}

function confirmed(ctx: TurnContext, input: { kind: "choice"; answer: string } | { kind: "text"; text: string }): "yes" | "no" | undefined {
  return input.kind === "choice" ? (input.answer === "yes" ? "yes" : "no") : yesOrNo(ctx.t, input.text);
}

function readable(s: string): boolean {
  return /[\p{L}\p{N}]/u.test(s);
}

export const remind: Flow = {
  name: "remind",
  commands: ["remind"],
  async start(ctx, arg) {
    const s = scheduler(ctx);
    const full = await atLimit(ctx, s);
    if (full) return full;
    if (!arg.trim()) return goTo("remind", "words", {}, text(ctx.t.text("remind.ask")));
    return fromWords(ctx, arg);
  },
  async answer(ctx, step, data, input) {
    const s = scheduler(ctx);
    if (step === "words") return input.kind === "text" ? fromWords(ctx, input.text) : goTo("remind", "words", {}, text(ctx.t.text("remind.ask")));
    if (step === "what") {
      const what = input.kind === "text" ? input.text.trim() : "";
      const dueAt = Number(data.dueAt);
      if ([...what].length > MAX_REMINDER_TEXT) return goTo("remind", "what", data, text(ctx.t.text("remind.too_long", { max: MAX_REMINDER_TEXT })));
      if (!readable(what)) return goTo("remind", "what", data, text(ctx.t.text("remind.no_text")));
      return confirm(ctx, dueAt, what);
    }
    // step "confirm"
    const yn = confirmed(ctx, input);
    if (yn === undefined) return goTo("remind", "confirm", data, text(ctx.t.text("remind.confirm", { when: when(ctx, Number(data.dueAt)), zone: ctx.timezone, what: String(data.what) }), saveChoices(ctx, "remind")));
    if (yn === "no") return done(text(ctx.t.text("remind.not_saved"), menuChoices(ctx, ["help"])));
    return save(ctx, s, { user: ctx.user, kind: "reminder", dueAt: Number(data.dueAt), text: String(data.what) });
  },
  due: {
    async reminder(ctx, item) {
      return [text(ctx.t.text("remind.due", { what: item.text ?? "" }), deliveredChoices(ctx, item))];
    },
    async reapply(ctx, item) {
      const d = item.data ?? {};
      return [text(ctx.t.text("remind.reapply_due", { company: d.company ?? "", role: d.role ?? "", improve: item.text ?? "" }), deliveredChoices(ctx, item))];
    },
    async checkin(ctx) {
      return [text(ctx.t.text("safety.checkin_message"), menuChoices(ctx, ["checkin", "rejected", "help"]))];
    },
  },
};

function deliveredChoices(ctx: TurnContext, item: DueItem): Choice[] {
  return [
    { label: ctx.t.label("rem_done"), value: `/reminder_done ${item.id}` },
    { label: ctx.t.label("rem_again"), value: `/snooze ${item.id}` },
  ];
}

export const reminders: Flow = {
  name: "reminders",
  commands: ["reminders"],
  async start(ctx) {
    const s = scheduler(ctx);
    const items = (await s.list(ctx.user)).filter((i) => USER_KINDS.has(i.kind)).slice(0, LIST_MAX);
    if (items.length === 0) return done(text(ctx.t.text("remind.list_empty"), menuChoices(ctx, ["remind", "help"])));
    const lines = items.map((i, n) => `${n + 1}. ${when(ctx, i.dueAt)}: ${short(describe(i), 60)}`);
    const choices = items.map((i, n) => ({ label: `${ctx.t.label("rem_cancel")} ${n + 1}`, value: `/cancel_reminder ${i.id}` }));
    return done(text(ctx.t.text("remind.list", { zone: ctx.timezone, list: lines.join("\n") }), choices));
  },
};

function describe(i: DueItem): string {
  return i.kind === "reapply" ? `${i.data?.company ?? ""} (${i.data?.role ?? ""})` : (i.text ?? "");
}

function short(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join("")}…`;
}

/** A command taking a reminder id; ids are short and made by the schedule (`r1a`). */
function idOf(arg: string): string | undefined {
  const id = arg.trim();
  return /^[a-z0-9]{1,16}$/i.test(id) ? id : undefined;
}

/** A one-step command on one of the user's reminders (`/snooze r1a`): the schedule and the id checked once. */
function onReminder(name: string, act: (ctx: TurnContext, s: Scheduler, id: string | undefined) => Promise<Turn>): Flow {
  return {
    name,
    commands: [name],
    async start(ctx, arg) {
      const s = scheduler(ctx);
      return act(ctx, s, idOf(arg));
    },
  };
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
  if (r.status === "limit_reached") return done(text(ctx.t.text("remind.limit", { limit: r.limit }), menuChoices(ctx, ["help"])));
  return done(text(ctx.t.text("remind.snoozed", { when: when(ctx, dueAt) }), menuChoices(ctx, ["help"])));
});

// --- /reapply --------------------------------------------------------------------------

function reapplyWaitChoices(ctx: TurnContext): Choice[] {
  return [ctx.answer("reapply", "wait", "3", "reapply_3m"), ctx.answer("reapply", "wait", "6", "reapply_6m")];
}

export const reapply: Flow = {
  name: "reapply",
  commands: ["reapply"],
  async start(ctx) {
    const s = scheduler(ctx);
    const full = await atLimit(ctx, s);
    if (full) return full;
    return goTo("reapply", "company", {}, text(ctx.t.text("remind.reapply_company")));
  },
  async answer(ctx, step, data, input) {
    const s = scheduler(ctx);
    const again = (d: FlowData, id: string, vars: Record<string, string | number> = {}, choices?: Choice[]) => goTo("reapply", step, d, text(ctx.t.text(id, vars), choices));
    const typed = input.kind === "text" ? input.text.trim() : "";
    switch (step) {
      case "company":
      case "role": {
        if ([...typed].length > SHORT_MAX) return again(data, "remind.reapply_too_long", { max: SHORT_MAX });
        if (!readable(typed)) return again(data, step === "company" ? "remind.reapply_company" : "remind.reapply_role");
        if (step === "company") return goTo("reapply", "role", { ...data, company: typed }, text(ctx.t.text("remind.reapply_role")));
        return goTo("reapply", "wait", { ...data, role: typed }, text(ctx.t.text("remind.reapply_wait"), reapplyWaitChoices(ctx)));
      }
      case "wait": {
        let dueAt: number;
        if (input.kind === "choice") {
          const months = input.answer === "6" ? 6 : 3;
          dueAt = DateTime.fromMillis(ctx.now, { zone: ctx.timezone }).plus({ months }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 }).toMillis();
        } else {
          const p = parseReminder(typed, ctx.now, ctx.timezone, { needText: false });
          if (p.status !== "ok") return again(data, p.status === "past" ? "remind.past" : "remind.no_date", {}, reapplyWaitChoices(ctx));
          dueAt = p.dueAt;
        }
        return goTo("reapply", "improve", { ...data, dueAt }, text(ctx.t.text("remind.reapply_improve")));
      }
      case "improve": {
        if ([...typed].length > MAX_REMINDER_TEXT) return again(data, "remind.reapply_too_long", { max: MAX_REMINDER_TEXT });
        if (!readable(typed)) return again(data, "remind.reapply_improve");
        const d = { ...data, improve: typed };
        return goTo("reapply", "confirm", d, text(ctx.t.text("remind.reapply_confirm", reapplyVars(ctx, d)), saveChoices(ctx, "reapply")));
      }
      default: {
        const yn = confirmed(ctx, input);
        if (yn === undefined) return again(data, "remind.reapply_confirm", reapplyVars(ctx, data), saveChoices(ctx, "reapply"));
        if (yn === "no") return done(text(ctx.t.text("remind.not_saved"), menuChoices(ctx, ["help"])));
        return save(ctx, s, {
          user: ctx.user,
          kind: "reapply",
          dueAt: Number(data.dueAt),
          text: String(data.improve),
          data: { company: String(data.company), role: String(data.role) },
        });
      }
    }
  },
};

function reapplyVars(ctx: TurnContext, d: FlowData): Record<string, string> {
  return { when: when(ctx, Number(d.dueAt)), company: String(d.company), role: String(d.role), improve: String(d.improve) };
}
