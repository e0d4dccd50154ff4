// /progress: what the user logged (applications, interviews, rejections, offers) as a chart (a
// picture where the channel can send one, else the summary in words), with momentum: a nudge
// when a week passes with no application, praise for streaks, and a networking nudge. "I applied
// to Shoprite" in plain words logs it too (engine intent).
import { z } from "zod";
import { done, type Turn, type TurnContext } from "../context.js";
import { defineFlow, goTo } from "../flow.js";
import { isQuestion } from "../intents.js";
import { compiled, findPhrase, tokens } from "../matching.js";
import { SEARCH_EVENTS, type SearchEvent, type SearchEventKind, type SearchTally } from "../ports/stores.js";
import { clip } from "../text.js";
import { text, type ChartReply, type Choice, type Reply } from "../types.js";
import { hasCommand, menuChoices } from "./menu.js";

/** After this many logged rejections, professional help is suggested. */
export const PRO_AFTER_REJECTIONS = 3;

function isKind(s: string): s is SearchEventKind {
  return (SEARCH_EVENTS as readonly string[]).includes(s);
}

/** What a plain sentence reports: "I applied to Shoprite", "got an interview at Absa". */
export function parseEvent(ctx: TurnContext, typed: string): SearchEvent | undefined {
  if (isQuestion(typed)) return undefined;
  const words = tokens(typed);
  let kind: SearchEventKind | undefined;
  // "I didn't get the job" must never be read as "got the job".
  if (findPhrase(words, compiled(ctx.t.phrases("intent_rejected")), 2)) kind = "rejected";
  else for (const k of ["offer", "interview", "applied"] as const) {
    if (findPhrase(words, compiled(ctx.t.phrases(`progress_${k}`)))) {
      kind = k;
      break;
    }
  }
  if (!kind) return undefined;
  const what = placeOf(typed.trim());
  return what !== undefined ? { at: ctx.now, kind, what: clip(what, 60) } : { at: ctx.now, kind };
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

function logChoices(ctx: TurnContext): Choice[] {
  return [
    ctx.answer(progress, "menu", "applied", "log_applied"),
    ctx.answer(progress, "menu", "interview", "log_interview"),
    ctx.answer(progress, "menu", "rejected", "log_rejected"),
    ctx.answer(progress, "menu", "offer", "log_offer"),
  ];
}

async function overview(ctx: TurnContext): Promise<Turn> {
  const tally = await ctx.services.stores.applications.tally(ctx.user, ctx.now);
  const { totals } = tally;
  const nothingYet = totals.applied + totals.interview + totals.rejected + totals.offer === 0;
  return goTo(
    progress,
    "menu",
    {},
    nothingYet ? text(ctx.t.text("progress.empty")) : pipelineReply(ctx, tally),
    text((await ctx.pick("progress.network")).text),
    text(ctx.t.text("progress.ask_log"), logChoices(ctx)),
  );
}

/** The counts as a chart, with the streak or the quiet week said under it (in the caption: three messages in all). */
function pipelineReply(ctx: TurnContext, tally: SearchTally): ChartReply {
  const { totals } = tally;
  const momentum =
    tally.streakWeeks >= 2 ? ctx.t.text("progress.streak", { weeks: tally.streakWeeks }) : tally.appliedThisWeek === 0 ? ctx.t.text("progress.nudge") : undefined;
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

async function logEvent(ctx: TurnContext, e: SearchEvent): Promise<Turn> {
  const tally = await ctx.services.stores.applications.log(ctx.user, e, ctx.now);
  const replies: Reply[] = [];
  const what = e.what ?? ctx.t.text("progress.unnamed");
  switch (e.kind) {
    case "applied": {
      replies.push(text(ctx.t.text("progress.logged_applied", { what, week: tally.appliedThisWeek })));
      if (tally.streakWeeks >= 2) replies.push(text(ctx.t.text("progress.streak", { weeks: tally.streakWeeks })));
      break;
    }
    case "interview":
      replies.push(text(ctx.t.text("progress.logged_interview", { what })));
      break;
    case "offer":
      replies.push(text(ctx.t.text("progress.logged_offer", { what })));
      break;
    case "rejected": {
      replies.push(text(ctx.t.text("progress.logged_rejected", { what })));
      const rejections = tally.totals.rejected;
      if (rejections >= PRO_AFTER_REJECTIONS) {
        replies.push(text(ctx.t.text("progress.pro_hint", { count: rejections }), menuChoices(ctx, ["reflect"]).concat(proChoice(ctx))));
        return done(...replies);
      }
      return done(...replies, text(ctx.t.text("progress.after_rejection_next"), menuChoices(ctx, ["rejected", "reflect", "feedback"])));
    }
  }
  return done(...replies, text(ctx.t.text("progress.what_next"), menuChoices(ctx, ["goals", "tip", "help"])));
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
        return goTo(progress, "menu", {}, text(ctx.t.text("progress.ask_log"), logChoices(ctx)));
      },
    },
    what: {
      expects: "company",
      async answer(ctx, data, input): Promise<Turn> {
        const kind = data.kind ?? "applied";
        const e: SearchEvent = input.kind === "text" ? { at: ctx.now, kind, what: clip(input.text, 60) } : { at: ctx.now, kind };
        return logEvent(ctx, e);
      },
    },
  },
});

function askWhat(ctx: TurnContext, kind: SearchEventKind): Turn {
  return goTo(progress, "what", { kind }, text(ctx.t.text("progress.ask_what")), text(ctx.t.text("progress.ask_what_hint"), [ctx.answer(progress, "what", "skip", "skip")]));
}
