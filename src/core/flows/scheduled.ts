// Everything the bot will send a user on its own, in one place (issue 13, part 1): /reminders
// lists every scheduled item of every kind (reminders, feedback follow-ups, reapply dates, the
// weekly goals check-in, "check on me tomorrow", interview-eve reminders) and the daily boost,
// with its kind, when (in the user's zone) and what. Tapping one offers to cancel it or move it
// a day or a week later; each change is confirmed first. /stop (and STOP, "stop everything")
// ends all of it after one yes, and says how to start again.
import { DateTime } from "luxon";
import { z } from "zod";
import { done, type Turn, type TurnContext } from "../context.js";
import { defineFlow, goTo } from "../flow.js";
import type { DailySubscription, DueItem } from "../ports/schedule.js";
import { clip } from "../text.js";
import { listStep, showPage, withNote } from "../paging.js";
import { formatLocal } from "../time.js";
import { text } from "../types.js";
import { confirmed } from "./remind.js";
import { menuChoices } from "./menu.js";

/** The daily boost's place in the list (a schedule id is never this). */
const DAILY_ID = "daily";
const ACTIONS = ["cancel", "day", "week"] as const;
type Action = (typeof ACTIONS)[number];

/** One line of the list: the daily boost or a scheduled item. */
type Entry = { id: string; kind: string; dueAt: number; what: string };

function kindLabel(ctx: TurnContext, kind: string): string {
  const known = [
    "daily",
    "reminder",
    "followup",
    "reapply",
    "goals_weekly",
    "checkin_after",
    "checkin",
    "interview_eve",
  ];
  return ctx.t.text(`remind.kind_${known.includes(kind) ? kind : "other"}`);
}

/** What an item is about, in the user's words where there are some. */
function whatOf(ctx: TurnContext, i: DueItem): string {
  const d = i.data ?? {};
  switch (i.kind) {
    case "reminder":
      return i.text ?? "";
    case "reapply":
      return [d.company, d.role].filter(Boolean).join(", ");
    case "followup":
    case "interview_eve":
      return d.company ?? "";
    default:
      return "";
  }
}

async function entries(ctx: TurnContext): Promise<{ entries: Entry[]; daily: DailySubscription | undefined }> {
  const [items, daily] = await Promise.all([
    ctx.services.schedule.scheduler.list(ctx.user),
    ctx.services.schedule.daily.status(ctx.user),
  ]);
  const out: Entry[] = items.map((i) => ({ id: i.id, kind: i.kind, dueAt: i.dueAt, what: clip(whatOf(ctx, i), 60) }));
  if (daily)
    out.unshift({
      id: DAILY_ID,
      kind: "daily",
      dueAt: daily.nextAt,
      what: ctx.t.text("remind.daily_what", { time: daily.time }),
    });
  return { entries: out, daily };
}

function when(ctx: TurnContext, ms: number): string {
  return formatLocal(ms, ctx.timezone, ctx.profile.locale ?? "en");
}

function line(ctx: TurnContext, e: Entry): string {
  const head = `${kindLabel(ctx, e.kind)}, ${when(ctx, e.dueAt)}`;
  return e.what ? `${head}: ${e.what}` : head;
}

async function listPage(ctx: TurnContext, page: number): Promise<Turn> {
  const { entries: all } = await entries(ctx);
  const shown = await showPage<Entry>(ctx, page, {
    flow: reminders,
    fetch: async (offset, limit) => ({ total: all.length, items: all.slice(offset, offset + limit) }),
    id: (e) => e.id,
    line: (e) => line(ctx, e),
    button: (e) => kindLabel(ctx, e.kind),
    message: (list) => ctx.t.text("remind.list", { zone: ctx.timezone, list }),
    head: (page, pages, count) => ctx.t.text("remind.list_page", { page, pages, count }),
  });
  return shown ?? done(text(ctx.t.text("remind.list_empty"), menuChoices(ctx, ["remind", "daily", "help"])));
}

async function showItem(ctx: TurnContext, id: string, page: number): Promise<Turn> {
  const e = (await entries(ctx)).entries.find((x) => x.id === id);
  if (!e) return listAgain(ctx, page, "remind.not_found");
  const choices = [
    ctx.answer(reminders, "item", "cancel", e.kind === "daily" ? "rem_stop_daily" : "rem_cancel"),
    ctx.answer(reminders, "item", "day", "rem_day_later"),
    ctx.answer(reminders, "item", "week", "rem_week_later"),
    ctx.answer(reminders, "item", "back", "rem_back"),
  ];
  return goTo(reminders, "item", { page, id }, text(ctx.t.text("remind.item", { item: line(ctx, e) }), choices));
}

async function listAgain(ctx: TurnContext, page: number, noteId: string): Promise<Turn> {
  return withNote(ctx, noteId, await listPage(ctx, page));
}

/** When the entry would come after the move: a day or a week after its current time, in the user's zone. */
function later(ctx: TurnContext, dueAt: number, action: "day" | "week"): number {
  const from = DateTime.fromMillis(Math.max(dueAt, ctx.now), { zone: ctx.timezone });
  return (action === "day" ? from.plus({ days: 1 }) : from.plus({ weeks: 1 })).toMillis();
}

async function askConfirm(ctx: TurnContext, id: string, action: Action, page: number): Promise<Turn> {
  const e = (await entries(ctx)).entries.find((x) => x.id === id);
  if (!e) return listAgain(ctx, page, "remind.not_found");
  const vars = { item: line(ctx, e), when: action === "cancel" ? "" : when(ctx, later(ctx, e.dueAt, action)) };
  const ask =
    action === "cancel"
      ? e.kind === "daily"
        ? "remind.confirm_stop_daily"
        : "remind.confirm_cancel"
      : "remind.confirm_move";
  return goTo(
    reminders,
    "confirm",
    { page, id, action },
    text(ctx.t.text(ask, vars), [
      ctx.answer(reminders, "confirm", "yes", "yes"),
      ctx.answer(reminders, "confirm", "no", "no"),
    ]),
  );
}

async function apply(ctx: TurnContext, id: string, action: Action, page: number): Promise<Turn> {
  const { scheduler, daily } = ctx.services.schedule;
  const { entries: all, daily: sub } = await entries(ctx);
  const e = all.find((x) => x.id === id);
  if (!e) return listAgain(ctx, page, "remind.not_found");
  if (e.kind === "daily" && sub) {
    if (action === "cancel") {
      await daily.unsubscribe(ctx.user);
      return listAgain(ctx, page, "remind.daily_stopped");
    }
    // The daily boost moves by pausing it: it comes back at its own time after the pause.
    const paused = await daily.pause(ctx.user, later(ctx, sub.pausedUntil ?? ctx.now, action));
    return done(
      text(ctx.t.text("remind.moved", { when: when(ctx, paused?.nextAt ?? ctx.now) }), [
        ctx.command("reminders", "rem_list"),
      ]),
    );
  }
  if (action === "cancel") {
    const ok = await scheduler.cancel(ctx.user, id);
    return listAgain(ctx, page, ok ? "remind.cancelled" : "remind.not_found");
  }
  const moved = await scheduler.move(ctx.user, id, later(ctx, e.dueAt, action));
  if (!moved) return listAgain(ctx, page, "remind.not_found");
  return done(
    text(ctx.t.text("remind.moved", { when: when(ctx, moved.dueAt) }), [ctx.command("reminders", "rem_list")]),
  );
}

const isAction = (s: string): s is Action => (ACTIONS as readonly string[]).includes(s);

/** `page` of the list; `id` of the item open; `action` waiting for its yes. */
const Data = z.object({
  page: z.number().int().min(0).optional(),
  id: z.string().max(32).optional(),
  action: z.enum(ACTIONS).optional(),
});
type Data = z.infer<typeof Data>;

export const reminders = defineFlow({
  name: "reminders",
  version: 2,
  commands: ["reminders"],
  data: Data,
  async start(ctx): Promise<Turn> {
    return listPage(ctx, 0);
  },
  steps: {
    list: listStep<Data>((ctx, page) => ({
      page: (n) => listPage(ctx, n),
      open: (id) => showItem(ctx, id, page),
      close: () => done(text(ctx.t.text("remind.list_closed"), menuChoices(ctx, ["remind", "help"]))),
    })),
    item: {
      expects: "choice",
      async answer(ctx, data, input): Promise<Turn> {
        const page = data.page ?? 0;
        const answer = input.kind === "choice" ? input.answer : "";
        if (!data.id || answer === "back" || !isAction(answer)) return listPage(ctx, page);
        return askConfirm(ctx, data.id, answer, page);
      },
    },
    confirm: {
      expects: "yes_no",
      async answer(ctx, data, input): Promise<Turn> {
        const page = data.page ?? 0;
        if (!data.id || !data.action) return listPage(ctx, page);
        const yn = confirmed(ctx, input);
        if (yn === undefined) return askConfirm(ctx, data.id, data.action, page);
        if (yn === "no") return listAgain(ctx, page, "remind.unchanged");
        return apply(ctx, data.id, data.action, page);
      },
    },
  },
});

/** Stops the daily boost and every scheduled item; returns how many things were stopped. */
export async function stopEverything(ctx: TurnContext): Promise<number> {
  const { scheduler, daily } = ctx.services.schedule;
  const wasDaily = await daily.unsubscribe(ctx.user);
  const items = await scheduler.removeAllFor(ctx.user);
  return items + (wasDaily ? 1 : 0);
}

export const stop = defineFlow({
  name: "stop",
  version: 1,
  commands: ["stop"],
  data: z.object({}),
  async start(ctx): Promise<Turn> {
    const { entries: all, daily } = await entries(ctx);
    if (all.length === 0) return done(text(ctx.t.text("remind.stop_nothing"), menuChoices(ctx, ["help"])));
    const items = all.length - (daily ? 1 : 0);
    const id = daily ? (items > 0 ? "remind.stop_ask_both" : "remind.stop_ask_daily") : "remind.stop_ask_items";
    return goTo(
      stop,
      "confirm",
      {},
      text(ctx.t.text(id, { count: items }), [
        ctx.answer(stop, "confirm", "yes", "stop_yes"),
        ctx.answer(stop, "confirm", "no", "stop_no"),
      ]),
    );
  },
  steps: {
    confirm: {
      expects: "yes_no",
      async answer(ctx, _data, input): Promise<Turn> {
        const yn = confirmed(ctx, input);
        if (yn === undefined) return stop.start(ctx, "");
        if (yn === "no")
          return done(
            text(ctx.t.text("remind.stop_kept"), [ctx.command("reminders", "rem_list"), ...menuChoices(ctx, ["help"])]),
          );
        await stopEverything(ctx);
        return done(text(ctx.t.text("remind.stop_done"), menuChoices(ctx, ["daily", "remind", "help"])));
      },
    },
  },
});
