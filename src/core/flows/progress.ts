// /progress: the user's applications (records, issue 13) as a pipeline chart (a picture where
// the channel can send one, else the summary in words), with momentum from real dates: a nudge
// only when the newest application is 7 or more days old (never on first use, never right after
// an offer), praise for streaks, and a networking nudge. Plain words move the records: "I applied
// to Shoprite for cashier" creates one, "I got an interview at Shoprite" moves it (and an
// interview date schedules a practice reminder the evening before), a rejection marks it and
// offers feedback and reapply for it; an offer goes to the offer flow. /applications lists them.
import { z } from "zod";
import { done, type Turn, type TurnContext } from "../context.js";
import { defineFlow, goTo } from "../flow.js";
import { isQuestion } from "../intents.js";
import { compiled, findPhrase, tokens } from "../matching.js";
import {
  SEARCH_EVENTS,
  type ApplicationRecord,
  type SearchDates,
  type SearchEventKind,
  type SearchTally,
} from "../ports/stores.js";
import { clip } from "../text.js";
import { text, type ChartReply, type Choice, type Reply } from "../types.js";
import { nameOf, scheduleInterviewEve } from "./applications.js";
import { hasCommand, menuChoices } from "./menu.js";
import { offer } from "./offer.js";

/** After this many logged rejections, professional help is suggested. */
export const PRO_AFTER_REJECTIONS = 3;
const DAY_MS = 24 * 3600 * 1000;
/** "A week without an application": the newest one is at least this old. */
export const QUIET_AFTER_MS = 7 * DAY_MS;

function isKind(s: string): s is SearchEventKind {
  return (SEARCH_EVENTS as readonly string[]).includes(s);
}

/** What a plain sentence reports: "I applied to Shoprite for cashier", "got an interview at Absa". */
export interface ReportedStep {
  kind: SearchEventKind;
  company?: string;
  role?: string;
  /** An interview's date, when the words give one ("on Friday at 10"). */
  interviewAt?: number;
}

export function parseEvent(ctx: TurnContext, typed: string): ReportedStep | undefined {
  if (isQuestion(typed)) return undefined;
  const words = tokens(typed);
  let kind: SearchEventKind | undefined;
  // "I didn't get the job" must never be read as "got the job".
  if (findPhrase(words, compiled(ctx.t.phrases("intent_rejected")), 2)) kind = "rejected";
  else
    for (const k of ["offer", "interview", "applied"] as const) {
      if (findPhrase(words, compiled(ctx.t.phrases(`progress_${k}`)))) {
        kind = k;
        break;
      }
    }
  // Words the phrase lists miss ("sent my CV off to Pep"), which the engine's model read as an
  // application or an interview when it routed them here.
  const meant = ctx.reading?.intent.id;
  if (!kind && (meant === "applied" || meant === "interview")) kind = meant;
  if (!kind) return undefined;
  // The entity reader knows "it", "tomorrow" and "!!! 🎉" are not part of a company's name.
  const { company, role } = ctx.entities.application(typed);
  const out: ReportedStep = { kind };
  if (company) out.company = clip(company, 60);
  if (role) out.role = clip(role, 60);
  if (kind === "interview") {
    const when = ctx.entities.reminder(typed, ctx.now, ctx.timezone, { needText: false });
    if (when.status === "ok") out.interviewAt = when.dueAt;
  }
  return out;
}

const PLACE_WORD = /\b(?:to|at|for|from|with)\s+/gi;
const LINE_END = /[\n\r\u2028\u2029]/;
/**
 * The company after "to", "at", "for", "from" or "with": what `/\b(?:to|at|for|from|with)\s+(.+?)[.!]*$/i`
 * captured, found in linear time. That regex retried its lazy group from every such word and
 * rescanned a trailing run of dots at every step (5 s on 100,000 characters). The capture is
 * the rest of the text after the first such word whose rest holds no line break (`.` stops at
 * one), less its trailing dots and exclamation marks (at least one character is kept).
 */
export function placeOf(text: string): string | undefined {
  let lastBreak = -1;
  for (let i = text.length - 1; i >= 0; i--) {
    if (LINE_END.test(text[i]!)) {
      lastBreak = i;
      break;
    }
  }
  PLACE_WORD.lastIndex = 0;
  for (let m = PLACE_WORD.exec(text); m; m = PLACE_WORD.exec(text)) {
    const from = PLACE_WORD.lastIndex;
    if (from <= lastBreak || from >= text.length) continue;
    let end = text.length;
    while (end > from + 1 && (text[end - 1] === "." || text[end - 1] === "!")) end--;
    return text.slice(from, end);
  }
  return undefined;
}

function logChoices(ctx: TurnContext, withList: boolean): Choice[] {
  return [
    ctx.answer(progress, "menu", "applied", "log_applied"),
    ctx.answer(progress, "menu", "interview", "log_interview"),
    ctx.answer(progress, "menu", "rejected", "log_rejected"),
    ctx.answer(progress, "menu", "offer", "log_offer"),
    ...(withList && hasCommand(ctx, "applications") ? [ctx.command("applications", "apps_list")] : []),
  ];
}

async function overview(ctx: TurnContext): Promise<Turn> {
  const apps = ctx.services.stores.applications;
  const [tally, dates] = await Promise.all([apps.tally(ctx.user, ctx.now), apps.dates(ctx.user)]);
  const { totals } = tally;
  const nothingYet = totals.applied + totals.interview + totals.rejected + totals.offer === 0;
  return goTo(
    progress,
    "menu",
    {},
    nothingYet ? text(ctx.t.text("progress.empty")) : pipelineReply(ctx, tally, dates),
    text((await ctx.pick("progress.network")).text),
    text(ctx.t.text("progress.ask_log"), logChoices(ctx, !nothingYet)),
  );
}

/**
 * The quiet-week nudge, from real dates: the newest application is 7 or more days old, and no
 * offer came after it (someone who got the job is not nudged to apply).
 */
export function quietWeek(dates: SearchDates, now: number): boolean {
  const last = dates.lastAppliedAt;
  if (last === undefined || now - last < QUIET_AFTER_MS) return false;
  return dates.lastOfferAt === undefined || dates.lastOfferAt < last;
}

/** The counts as a chart, with the streak or the quiet week said under it (in the caption: three messages in all). */
function pipelineReply(ctx: TurnContext, tally: SearchTally, dates: SearchDates): ChartReply {
  const { totals } = tally;
  const momentum =
    tally.streakWeeks >= 2
      ? ctx.t.text("progress.streak", { weeks: tally.streakWeeks })
      : quietWeek(dates, ctx.now)
        ? ctx.t.text("progress.nudge")
        : undefined;
  const withMomentum = (words: string) => (momentum ? `${words}\n\n${momentum}` : words);
  const stages = [
    { label: ctx.t.text("charts.pipeline_applied"), count: totals.applied },
    { label: ctx.t.text("charts.pipeline_interview"), count: totals.interview },
    { label: ctx.t.text("charts.pipeline_offer"), count: totals.offer },
    { label: ctx.t.text("charts.pipeline_rejected"), count: totals.rejected },
  ];
  const summary = ctx.t.text("progress.summary", {
    applied: totals.applied,
    interviews: totals.interview,
    rejections: totals.rejected,
    offers: totals.offer,
    week: tally.appliedThisWeek,
  });
  return {
    kind: "chart",
    spec: { kind: "pipeline", title: ctx.t.text("charts.pipeline_title"), stages },
    caption: withMomentum(ctx.t.text("charts.pipeline_caption", { week: tally.appliedThisWeek })),
    fallbackText: withMomentum(summary),
  };
}

/** The record the step is about: the newest for the company named, moved; or a new one. */
async function recordFor(ctx: TurnContext, e: ReportedStep): Promise<ApplicationRecord> {
  const apps = ctx.services.stores.applications;
  const known =
    e.company !== undefined && e.kind !== "applied" ? await apps.findByCompany(ctx.user, e.company) : undefined;
  const details = {
    ...(e.role && !known?.role ? { role: e.role } : {}),
    ...(e.interviewAt !== undefined ? { interviewAt: e.interviewAt } : {}),
  };
  if (known) return (await apps.update(ctx.user, known.id, { stage: e.kind, ...details }, ctx.now)) ?? known;
  const fresh: Parameters<typeof apps.add>[1] = { appliedAt: ctx.now, stage: e.kind, ...details };
  if (e.company) fresh.company = e.company;
  return apps.add(ctx.user, fresh, ctx.now);
}

async function logEvent(ctx: TurnContext, e: ReportedStep): Promise<Turn> {
  if (e.kind === "offer") return offer.start(ctx, e.company ?? "");
  const record = await recordFor(ctx, e);
  const name = nameOf(record);
  const named = (id: string, vars: Record<string, string | number> = {}) =>
    ctx.t.text(name ? `progress.${id}` : `progress.${id}_unnamed`, { what: name ?? "", ...vars });
  const replies: Reply[] = [];
  switch (e.kind) {
    case "applied": {
      const tally = await ctx.services.stores.applications.tally(ctx.user, ctx.now);
      replies.push(text(named("logged_applied", { week: tally.appliedThisWeek })));
      if (tally.streakWeeks >= 2) replies.push(text(ctx.t.text("progress.streak", { weeks: tally.streakWeeks })));
      break;
    }
    case "interview": {
      const eve = record.interviewAt !== undefined ? await scheduleInterviewEve(ctx, record) : undefined;
      const words = [
        named("logged_interview"),
        eve ? ctx.t.text("progress.interview_eve_set", { when: eve }) : undefined,
      ].filter((w) => w !== undefined);
      const practise = hasCommand(ctx, "practice") ? [ctx.command("practice", "practice_now")] : [];
      return done(
        text(words.join("\n\n")),
        text(ctx.t.text("progress.what_next"), [...practise, ...menuChoices(ctx, ["tip", "help"])]),
      );
    }
    case "rejected": {
      replies.push(text(named("logged_rejected")));
      const rejections = (await ctx.services.stores.applications.tally(ctx.user, ctx.now)).totals.rejected;
      if (rejections >= PRO_AFTER_REJECTIONS) {
        replies.push(
          text(
            ctx.t.text("progress.pro_hint", { count: rejections }),
            menuChoices(ctx, ["reflect"]).concat(proChoice(ctx)),
          ),
        );
        return done(...replies);
      }
      return done(...replies, text(ctx.t.text("progress.after_rejection_next"), afterRejection(ctx, record)));
    }
  }
  return done(...replies, text(ctx.t.text("progress.what_next"), menuChoices(ctx, ["goals", "tip", "help"])));
}

/** After a rejection: feedback and reapply for that very application, then reflect. */
function afterRejection(ctx: TurnContext, r: ApplicationRecord): Choice[] {
  const out: Choice[] = [];
  if (hasCommand(ctx, "feedback")) out.push(ctx.command("feedback", "menu_feedback"));
  if (hasCommand(ctx, "reapply")) out.push({ label: ctx.t.label("apps_reapply"), value: `/reapply ${r.id}` });
  return [...out, ...menuChoices(ctx, ["rejected", "reflect"])];
}

function proChoice(ctx: TurnContext): Choice[] {
  return hasCommand(ctx, "pro") ? [ctx.command("pro", "menu_pro")] : [];
}

export const progress = defineFlow({
  name: "progress",
  version: 1,
  commands: ["progress"],
  // `kind`: what the user is logging, while they name the company or role ("what").
  data: z.object({ kind: z.enum(SEARCH_EVENTS).optional() }),
  async start(ctx, arg): Promise<Turn> {
    const a = arg.trim();
    if (isKind(a)) return askWhat(ctx, a);
    if (a) {
      const e = parseEvent(ctx, a);
      if (e) return logEvent(ctx, e);
    }
    return overview(ctx);
  },
  steps: {
    menu: {
      expects: "choice",
      async answer(ctx, _data, input): Promise<Turn> {
        if (input.kind === "choice" && isKind(input.answer)) return askWhat(ctx, input.answer);
        const e = input.kind === "text" ? parseEvent(ctx, input.text) : undefined;
        if (e) return logEvent(ctx, e);
        return goTo(progress, "menu", {}, text(ctx.t.text("progress.ask_log"), logChoices(ctx, false)));
      },
    },
    what: {
      expects: "company",
      async answer(ctx, data, input): Promise<Turn> {
        const kind = data.kind ?? "applied";
        if (input.kind !== "text") return logEvent(ctx, { kind });
        // "Shoprite for cashier" or just "Shoprite": a bare name is the company.
        const typed = input.text.trim();
        const read = ctx.entities.application(typed);
        const company = read.company ?? (read.role ? undefined : typed);
        const e: ReportedStep = { kind };
        if (company) e.company = clip(company, 60);
        if (read.role) e.role = clip(read.role, 60);
        return logEvent(ctx, e);
      },
    },
  },
});

function askWhat(ctx: TurnContext, kind: SearchEventKind): Turn {
  return goTo(
    progress,
    "what",
    { kind },
    text(ctx.t.text("progress.ask_what")),
    text(ctx.t.text("progress.ask_what_hint"), [ctx.answer(progress, "what", "skip", "skip")]),
  );
}
