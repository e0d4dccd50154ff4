// /goals: target roles, industries, salary range and weekly targets (applications, people to
// contact), and a weekly check-in (scheduled "goals_weekly") that asks how it went and adjusts.
import { z } from "zod";
import { done, type FlowInput, type Turn, type TurnContext } from "../context.js";
import { daysLater, localDate } from "../dates.js";
import { defineFlow, goTo, type Step } from "../flow.js";
import type { Goals } from "../ports/stores.js";
import { clip } from "../text.js";
import { text, type Reply } from "../types.js";
import type { Slot } from "../understanding.js";
import { unpack } from "./care.js";
import { menuChoices } from "./menu.js";

/** The weekly check-in comes on the same weekday, early evening in the user's zone. */
const WEEKLY_HOUR = 17;

const Data = z.object({
  roles: z.string().optional(),
  industries: z.string().optional(),
  salary: z.string().optional(),
  applications: z.number().int().min(0).max(100).optional(),
});
type Data = z.infer<typeof Data>;
type Asked = "roles" | "industries" | "salary" | "applications" | "contacts";

export const goals = defineFlow({
  name: "goals",
  version: 1,
  commands: ["goals"],
  data: Data,
  async start(ctx, arg): Promise<Turn> {
    // Buttons on the weekly check-in are commands with an argument, valid whenever pressed.
    if (arg === "week_good" || arg === "week_hard") return weekly(ctx, arg === "week_good" ? "good" : "hard");
    const current = await ctx.services.stores.goals.get(ctx.user);
    if (!current || arg === "edit") return startSetting(ctx);
    return goTo(
      goals,
      "show",
      {},
      text(summaryText(ctx, current)),
      text(ctx.t.text("goals.ask_change"), [
        ctx.answer(goals, "show", "edit", "goal_edit"),
        ctx.answer(goals, "show", "weekly", "goal_weekly"),
        ctx.answer(goals, "show", "ok", "goal_fine"),
      ]),
    );
  },
  steps: {
    /** The goals shown: change them, a weekly check-in, or fine as they are. */
    show: {
      expects: "choice",
      async answer(ctx, _data, input): Promise<Turn> {
        const answer = input.kind === "choice" ? input.answer : undefined;
        if (answer === "edit") return startSetting(ctx);
        if (answer === "weekly") return offerWeekly(ctx, []);
        return done(text(ctx.t.text("goals.keep_going"), menuChoices(ctx, ["progress", "tip", "help"])));
      },
    },
    // What each free-text answer must look like (ctx.entities.plausible): a job title, an
    // industry (named like a company: a few words, not a sentence about the user), any words.
    roles: words("roles", "industries", "role"),
    industries: words("industries", "salary", "company"),
    salary: words("salary", "applications", "free"),
    applications: {
      expects: "number",
      async answer(ctx, data, input): Promise<Turn> {
        const n = numberOf(ctx, input);
        if (n === undefined)
          return goTo(goals, "applications", data, text(ctx.t.text("goals.number_please")), ask(ctx, "applications"));
        return goTo(goals, "contacts", { ...data, applications: n }, ask(ctx, "contacts"));
      },
    },
    contacts: {
      expects: "number",
      async answer(ctx, data, input): Promise<Turn> {
        const n = numberOf(ctx, input);
        if (n === undefined)
          return goTo(goals, "contacts", data, text(ctx.t.text("goals.number_please")), ask(ctx, "contacts"));
        const g: Goals = {
          roles: data.roles,
          industries: data.industries,
          salary: data.salary,
          applications: data.applications ?? 0,
          contacts: n,
          updatedAt: ctx.now,
        };
        await ctx.services.stores.goals.save(ctx.user, g);
        return offerWeekly(ctx, [text(ctx.t.text("goals.saved")), text(summaryText(ctx, g))]);
      },
    },
    weekly: {
      expects: "yes_no",
      async answer(ctx, _data, input): Promise<Turn> {
        if (input.kind !== "choice" || input.answer !== "yes")
          return done(text(ctx.t.text("goals.no_weekly"), menuChoices(ctx, ["progress", "tip", "help"])));
        const r = await scheduleWeekly(ctx);
        const msg =
          r.status === "limit_reached"
            ? ctx.t.text("reflect.reminder_limit", { limit: r.limit })
            : ctx.t.text("goals.weekly_set", { date: localDate(r.dueAt, ctx.timezone) });
        return done(text(msg, menuChoices(ctx, ["progress", "tip", "help"])));
      },
    },
    /** After a weekly check-in: raise or lower the targets, or keep them. */
    adjust: {
      expects: "choice",
      async answer(ctx, _data, input): Promise<Turn> {
        const answer = input.kind === "choice" ? input.answer : undefined;
        const now = await ctx.services.stores.goals.get(ctx.user);
        if (!now || (answer !== "raise" && answer !== "lower"))
          return done(text(ctx.t.text("goals.kept"), menuChoices(ctx, ["progress", "tip", "help"])));
        const g: Goals =
          answer === "lower"
            ? {
                ...now,
                applications: Math.max(1, Math.ceil(now.applications / 2)),
                contacts: Math.max(1, Math.ceil(now.contacts / 2)),
                updatedAt: ctx.now,
              }
            : { ...now, applications: now.applications + 1, updatedAt: ctx.now };
        await ctx.services.stores.goals.save(ctx.user, g);
        return done(
          text(
            ctx.t.text("goals.adjusted", { applications: g.applications, contacts: g.contacts }),
            menuChoices(ctx, ["progress", "tip", "help"]),
          ),
        );
      },
    },
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
});

/**
 * A free-text goal (roles, industries, salary), or skipped; then the next question. Words that
 * cannot be that answer ("hi", "remind me tomorrow at 9 to call Thandi", a question) are not
 * stored: the question is asked again, kindly.
 */
function words(step: "roles" | "industries" | "salary", next: Asked, slot: Slot): Step<Data> {
  return {
    expects: slot === "role" ? "role" : slot === "company" ? "company" : "free_text",
    checksNames: true,
    async answer(ctx, data, input): Promise<Turn> {
      const { typed, before } = unpack(ctx, input);
      if (typed !== undefined && !ctx.entities.plausible(typed, slot)) {
        return goTo(goals, step, data, ...before, text(ctx.t.text(`goals.unclear_${step}`)), ask(ctx, step));
      }
      return goTo(goals, next, typed ? { ...data, [step]: clip(typed, 80) } : data, ...before, ask(ctx, next));
    },
  };
}

/** A tapped number, or a count typed in digits or words ("2 people", "five"), 0 to 100. */
function numberOf(ctx: TurnContext, input: FlowInput): number | undefined {
  const n = ctx.entities.count(input.kind === "choice" ? input.answer : input.text);
  return n !== undefined && n >= 0 && n <= 100 ? n : undefined;
}

function ask(ctx: TurnContext, step: Asked): Reply {
  const skip = ctx.answer(goals, step, "skip", "skip");
  // Numbers in order, so a typed "2" (which picks the 2nd choice) also means 2.
  const numbers = (ns: string[]) => ns.map((n) => ({ label: n, value: `${goals.name}.${step}:${n}` }));
  switch (step) {
    case "roles":
      return text(ctx.t.text("goals.ask_roles"), [skip]);
    case "industries":
      return text(ctx.t.text("goals.ask_industries"), [skip]);
    case "salary":
      return text(ctx.t.text("goals.ask_salary"), [skip]);
    case "applications":
      return text(ctx.t.text("goals.ask_applications"), numbers(["1", "2", "3", "4", "5"]));
    case "contacts":
      return text(ctx.t.text("goals.ask_contacts"), numbers(["1", "2", "3"]));
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
async function scheduleWeekly(
  ctx: TurnContext,
  rendering?: string,
): Promise<{ status: "scheduled" | "exists"; dueAt: number } | { status: "limit_reached"; limit: number }> {
  const waiting = (await ctx.services.schedule.scheduler.list(ctx.user)).find(
    (i) => i.kind === "goals_weekly" && i.id !== rendering && i.dueAt > ctx.now,
  );
  if (waiting) return { status: "exists", dueAt: waiting.dueAt };
  const dueAt = daysLater(ctx.now, ctx.timezone, 7, WEEKLY_HOUR);
  const outcome = await ctx.schedule({ kind: "goals_weekly", dueAt });
  return outcome.status === "scheduled" ? { status: "scheduled", dueAt } : outcome;
}

async function weekly(ctx: TurnContext, how: "good" | "hard"): Promise<Turn> {
  const current = await ctx.services.stores.goals.get(ctx.user);
  if (!current) return startSetting(ctx);
  const logged = await appliedThisWeek(ctx);
  const adjust = (raiseOrLower: "raise" | "lower") => [
    ctx.answer(goals, "adjust", raiseOrLower, raiseOrLower === "raise" ? "goal_raise" : "goal_lower"),
    ctx.answer(goals, "adjust", "keep", "goal_keep"),
  ];
  if (how === "hard")
    return goTo(
      goals,
      "adjust",
      {},
      text(ctx.t.text("goals.week_hard")),
      text(ctx.t.text("goals.ask_lower"), adjust("lower")),
    );
  if (logged >= current.applications && current.applications > 0)
    return goTo(
      goals,
      "adjust",
      {},
      text(ctx.t.text("goals.week_met", { logged })),
      text(ctx.t.text("goals.ask_raise"), adjust("raise")),
    );
  return done(text(ctx.t.text("goals.week_good"), menuChoices(ctx, ["progress", "tip", "help"])));
}

function startSetting(ctx: TurnContext): Turn {
  return goTo(goals, "roles", {}, text(ctx.t.text("goals.intro")), ask(ctx, "roles"));
}

function offerWeekly(ctx: TurnContext, before: Reply[]): Turn {
  return goTo(
    goals,
    "weekly",
    {},
    ...before,
    text(ctx.t.text("goals.ask_weekly"), [
      ctx.answer(goals, "weekly", "yes", "yes"),
      ctx.answer(goals, "weekly", "no", "no_thanks"),
    ]),
  );
}
