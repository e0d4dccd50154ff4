// /goals: target roles, industries, salary range and weekly targets (applications, people to
// contact), and a weekly check-in (scheduled "goals_weekly") that asks how it went and adjusts.
import { done, goTo, type Turn, type TurnContext } from "../context.js";
import type { Flow } from "../flow.js";
import { text, type Reply } from "../types.js";
import type { FlowData } from "../ports/state.js";
import type { Goals } from "../ports/stores.js";
import { menuChoices } from "./menu.js";
import { daysLater, localDate } from "../dates.js";
import { clip } from "../text.js";
import { unpack } from "./care.js";

const F = "goals";
/** The weekly check-in comes on the same weekday, early evening in the user's zone. */
const WEEKLY_HOUR = 17;

function numberFrom(typed: string): number | undefined {
  const m = /\d{1,3}/.exec(typed);
  const n = m ? Number(m[0]) : NaN;
  return n >= 0 && n <= 100 ? n : undefined;
}

function ask(ctx: TurnContext, step: string): Reply {
  const skip = ctx.answer(F, step, "skip", "skip");
  switch (step) {
    case "roles":
      return text(ctx.t.text("goals.ask_roles"), [skip]);
    case "industries":
      return text(ctx.t.text("goals.ask_industries"), [skip]);
    case "salary":
      return text(ctx.t.text("goals.ask_salary"), [skip]);
    case "applications":
      // Numbers in order, so a typed "2" (which picks the 2nd choice) also means 2.
      return text(ctx.t.text("goals.ask_applications"), ["1", "2", "3", "4", "5"].map((n) => ({ label: n, value: `${F}.${step}:${n}` })));
    default:
      return text(ctx.t.text("goals.ask_contacts"), ["1", "2", "3"].map((n) => ({ label: n, value: `${F}.${step}:${n}` })));
  }
}

function summaryText(ctx: TurnContext, g: Goals): string {
  const dash = ctx.t.text("goals.not_set");
  return ctx.t.text("goals.summary", {
    roles: g.roles ?? dash,
    industries: g.industries ?? dash,
    salary: g.salary ?? dash,
    applications: g.applications,
    contacts: g.contacts,
  });
}

/** Applications logged in the last week (from /progress). */
async function appliedThisWeek(ctx: TurnContext): Promise<number> {
  return (await ctx.services.stores.applications.tally(ctx.user, ctx.now)).appliedThisWeek;
}

/** Schedules the next weekly check-in unless one is already waiting (so a retried delivery adds no second one). */
async function scheduleWeekly(ctx: TurnContext, rendering?: string): Promise<{ status: "scheduled" | "exists"; dueAt: number } | { status: "limit_reached"; limit: number }> {
  const waiting = (await ctx.services.schedule.scheduler.list(ctx.user)).find((i) => i.kind === "goals_weekly" && i.id !== rendering && i.dueAt > ctx.now);
  if (waiting) return { status: "exists", dueAt: waiting.dueAt };
  const dueAt = daysLater(ctx.now, ctx.timezone, 7, WEEKLY_HOUR);
  const outcome = await ctx.schedule({ kind: "goals_weekly", dueAt });
  return outcome.status === "scheduled" ? { status: "scheduled", dueAt } : outcome;
}

async function weekly(ctx: TurnContext, how: "good" | "hard"): Promise<Turn> {
  const goals = await ctx.services.stores.goals.get(ctx.user);
  if (!goals) return startSetting(ctx);
  const logged = await appliedThisWeek(ctx);
  const adjust = (raiseOrLower: "raise" | "lower") => [
    ctx.answer(F, "adjust", raiseOrLower, raiseOrLower === "raise" ? "goal_raise" : "goal_lower"),
    ctx.answer(F, "adjust", "keep", "goal_keep"),
  ];
  if (how === "hard") return goTo(F, "adjust", {}, text(ctx.t.text("goals.week_hard")), text(ctx.t.text("goals.ask_lower"), adjust("lower")));
  if (logged >= goals.applications && goals.applications > 0)
    return goTo(F, "adjust", {}, text(ctx.t.text("goals.week_met", { logged })), text(ctx.t.text("goals.ask_raise"), adjust("raise")));
  return done(text(ctx.t.text("goals.week_good"), menuChoices(ctx, ["progress", "tip", "help"])));
}

function startSetting(ctx: TurnContext): Turn {
  return goTo(F, "roles", {}, text(ctx.t.text("goals.intro")), ask(ctx, "roles"));
}

export const goals: Flow = {
  name: F,
  commands: ["goals"],
  async start(ctx, arg) {
    // Buttons on the weekly check-in are commands with an argument, valid whenever pressed.
    if (arg === "week_good" || arg === "week_hard") return weekly(ctx, arg === "week_good" ? "good" : "hard");
    const current = await ctx.services.stores.goals.get(ctx.user);
    if (!current || arg === "edit") return startSetting(ctx);
    return goTo(F, "show", {}, text(summaryText(ctx, current)), text(ctx.t.text("goals.ask_change"), [
      ctx.answer(F, "show", "edit", "goal_edit"),
      ctx.answer(F, "show", "weekly", "goal_weekly"),
      ctx.answer(F, "show", "ok", "goal_fine"),
    ]));
  },

  async answer(ctx, step, data, input) {
    const d: FlowData = { ...data };
    const { typed, answer, before } = unpack(ctx, input);
    switch (step) {
      case "show":
        if (answer === "edit") return startSetting(ctx);
        if (answer === "weekly") return offerWeekly(ctx, []);
        return done(text(ctx.t.text("goals.keep_going"), menuChoices(ctx, ["progress", "tip", "help"])));
      case "roles":
      case "industries":
      case "salary":
        if (typed) d[step] = clip(typed, 80);
        return goTo(F, step === "roles" ? "industries" : step === "industries" ? "salary" : "applications", d, ...before,
          ask(ctx, step === "roles" ? "industries" : step === "industries" ? "salary" : "applications"));
      case "applications":
      case "contacts": {
        const n = answer !== undefined ? Number(answer) : numberFrom(typed!);
        if (n === undefined || Number.isNaN(n)) return goTo(F, step, d, text(ctx.t.text("goals.number_please")), ask(ctx, step));
        d[step] = n;
        if (step === "applications") return goTo(F, "contacts", d, ask(ctx, "contacts"));
        const g: Goals = {
          roles: typeof d.roles === "string" ? d.roles : undefined,
          industries: typeof d.industries === "string" ? d.industries : undefined,
          salary: typeof d.salary === "string" ? d.salary : undefined,
          applications: Number(d.applications),
          contacts: n,
          updatedAt: ctx.now,
        };
        await ctx.services.stores.goals.save(ctx.user, g);
        return offerWeekly(ctx, [text(ctx.t.text("goals.saved")), text(summaryText(ctx, g))]);
      }
      case "weekly": {
        if (answer !== "yes") return done(text(ctx.t.text("goals.no_weekly"), menuChoices(ctx, ["progress", "tip", "help"])));
        const r = await scheduleWeekly(ctx);
        const msg =
          r.status === "limit_reached"
            ? ctx.t.text("reflect.reminder_limit", { limit: r.limit })
            : ctx.t.text("goals.weekly_set", { date: localDate(r.dueAt, ctx.timezone) });
        return done(text(msg, menuChoices(ctx, ["progress", "tip", "help"])));
      }
      case "adjust": {
        const goalsNow = await ctx.services.stores.goals.get(ctx.user);
        if (!goalsNow || answer === "keep" || answer === undefined) return done(text(ctx.t.text("goals.kept"), menuChoices(ctx, ["progress", "tip", "help"])));
        const g: Goals =
          answer === "lower"
            ? { ...goalsNow, applications: Math.max(1, Math.ceil(goalsNow.applications / 2)), contacts: Math.max(1, Math.ceil(goalsNow.contacts / 2)), updatedAt: ctx.now }
            : { ...goalsNow, applications: goalsNow.applications + 1, updatedAt: ctx.now };
        await ctx.services.stores.goals.save(ctx.user, g);
        return done(text(ctx.t.text("goals.adjusted", { applications: g.applications, contacts: g.contacts }), menuChoices(ctx, ["progress", "tip", "help"])));
      }
      default:
        return done(text(ctx.t.text("core.not_understood"), menuChoices(ctx)));
    }
  },

  due: {
    async goals_weekly(ctx, item) {
      const g = await ctx.services.stores.goals.get(ctx.user);
      if (!g) return [];
      const logged = await appliedThisWeek(ctx);
      // The next check-in is planned now, so the weekly rhythm survives without the user acting.
      await scheduleWeekly(ctx, item.id);
      return [
        text(ctx.t.text("goals.weekly_due", { applications: g.applications, contacts: g.contacts, logged }), [
          ctx.command("goals week_good", "week_good"),
          ctx.command("goals week_hard", "week_hard"),
          ctx.command("progress", "menu_progress"),
        ]),
      ];
    },
  },
};

function offerWeekly(ctx: TurnContext, before: Reply[]): Turn {
  return goTo(F, "weekly", {}, ...before, text(ctx.t.text("goals.ask_weekly"), [
    ctx.answer(F, "weekly", "yes", "yes"),
    ctx.answer(F, "weekly", "no", "no_thanks"),
  ]));
}
