// /practice (issue 13, part 4): interview practice for the jobs our users apply for (retail,
// call centre, admin, learnerships, graduate programmes). STAR explained in a line; then one
// common question at a time; the user's typed answer is reflected back with ONE concrete
// suggestion from simple checks (length, "I" + what they did, a result or a number, the STAR
// parts). Where the user consented to keep reflections, the newest one says what to practise.
// The interview-eve reminder (applications.ts) opens this flow.
import { z } from "zod";
import { done, type Turn, type TurnContext } from "../context.js";
import { defineFlow, goTo } from "../flow.js";
import type { JournalEntry } from "../ports/stores.js";
import { clip } from "../text.js";
import { text, type Choice, type Reply } from "../types.js";
import { menuChoices } from "./menu.js";

export const SECTORS = ["retail", "callcentre", "admin", "learnership", "graduate"] as const;
export type Sector = (typeof SECTORS)[number];
/** An answer shorter than this many words is too thin to show what the user did. */
export const MIN_WORDS = 25;
/** Longer answers are cut before checking (a practice answer, not an essay). */
const MAX_ANSWER = 2000;

export type Suggestion = "too_short" | "say_i" | "add_result" | "add_situation" | "good";

/** "I sorted", "I helped", "I'd" is not an action; "I am", "I think", "I feel" say no action either. */
const NOT_ACTIONS = "am|was|think|feel|believe|would|will|can|could|have|had|like|love|want|hope";
const I_ACTION = new RegExp(`\\bi\\s+(?!(?:${NOT_ACTIONS})\\b)[a-z]{2,}`, "i");
const RESULT_WORDS = [
  "result",
  "resulted",
  "so that",
  "which meant",
  "in the end",
  "ended",
  "increased",
  "reduced",
  "saved",
  "finished",
  "solved",
  "improved",
  "grew",
  "thanked",
  "praised",
  "happy",
  "satisfied",
  "achieved",
  "won",
  "promoted",
];
const RESULT = new RegExp(`\\d|\\b(?:${RESULT_WORDS.join("|")})\\b`, "i");
const SITUATION_WORDS = [
  "when",
  "while",
  "once",
  "during",
  "at my",
  "in my",
  "last year",
  "last month",
  "last week",
  "one day",
  "at work",
  "at school",
  "at college",
  "at varsity",
];
const SITUATION = new RegExp(`\\b(?:${SITUATION_WORDS.join("|")})\\b`, "i");

/**
 * The one thing to improve in a practice answer, checked in order of what matters most: enough
 * to go on, what the user did themselves, how it ended, where it happened. "good" when all pass.
 */
export function suggestionFor(answer: string): Suggestion {
  const a = answer.slice(0, MAX_ANSWER);
  const words = a.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  if (words < MIN_WORDS) return "too_short";
  if (!I_ACTION.test(a)) return "say_i";
  if (!RESULT.test(a)) return "add_result";
  if (!SITUATION.test(a)) return "add_situation";
  return "good";
}

const isSector = (s: string): s is Sector => (SECTORS as readonly string[]).includes(s);

function questions(ctx: TurnContext, sector: Sector): string[] {
  return ctx.t.message(`practice.q_${sector}`).variants.map((v) => v.text);
}

function sectorChoices(ctx: TurnContext): Choice[] {
  return SECTORS.map((s) => ctx.answer(practice, "sector", s, `practice_${s}`));
}

/** What the newest reflection said to practise, if the user let us keep it. */
async function focusFromReflection(ctx: TurnContext): Promise<string | undefined> {
  if (!ctx.mayStore) return undefined;
  const [last] = await ctx.services.stores.journal.list(ctx.user, 1);
  if (!last) return undefined;
  return focusOf(ctx, last);
}

function focusOf(ctx: TurnContext, e: JournalEntry): string | undefined {
  if (e.differently) return ctx.t.text("practice.focus_differently", { words: clip(e.differently, 120) });
  const weak = (a: JournalEntry["skills"]) => a === "no" || a === "partly";
  if (weak(e.skills)) return ctx.t.text("practice.focus_skills");
  if (weak(e.connected)) return ctx.t.text("practice.focus_connected");
  if (weak(e.prepared)) return ctx.t.text("practice.focus_prepared");
  return undefined;
}

function ask(ctx: TurnContext, sector: Sector, n: number, before: Reply[] = []): Turn {
  const qs = questions(ctx, sector);
  const i = n % qs.length;
  return goTo(
    practice,
    "answer",
    { sector, n: i },
    ...before,
    text(ctx.t.text("practice.question", { n: i + 1, total: qs.length, question: qs[i]! }), [
      ctx.answer(practice, "answer", "skip", "practice_skip"),
      ctx.answer(practice, "answer", "stop", "practice_done"),
    ]),
  );
}

export const practice = defineFlow({
  name: "practice",
  version: 1,
  commands: ["practice"],
  // `sector` chosen; `n`: the question being answered (its index).
  data: z.object({ sector: z.enum(SECTORS).optional(), n: z.number().int().min(0).max(50).optional() }),
  async start(ctx, arg): Promise<Turn> {
    const focus = await focusFromReflection(ctx);
    const intro = [ctx.t.text("practice.intro"), focus].filter((w) => w !== undefined).join("\n\n");
    const a = arg.trim().toLowerCase().replace(/\s+/g, "");
    if (isSector(a)) return ask(ctx, a, 0, [text(intro)]);
    return goTo(practice, "sector", {}, text(intro), text(ctx.t.text("practice.ask_sector"), sectorChoices(ctx)));
  },
  steps: {
    sector: {
      expects: "choice",
      async answer(ctx, _data, input): Promise<Turn> {
        const s = input.kind === "choice" ? input.answer : "";
        if (!isSector(s))
          return goTo(practice, "sector", {}, text(ctx.t.text("practice.ask_sector"), sectorChoices(ctx)));
        return ask(ctx, s, 0);
      },
    },
    answer: {
      expects: "free_text",
      async answer(ctx, data, input): Promise<Turn> {
        const sector = data.sector ?? "retail";
        const n = data.n ?? 0;
        if (input.kind === "choice") {
          if (input.answer === "skip") return ask(ctx, sector, n + 1);
          return done(text(ctx.t.text("practice.done"), menuChoices(ctx, ["tip", "help"])));
        }
        const typed = input.text.trim();
        const tip = ctx.t.text(`practice.tip_${suggestionFor(typed)}`);
        const reflected = ctx.t.text("practice.reflect", { answer: clip(typed, 160), tip });
        return goTo(
          practice,
          "next",
          { sector, n },
          text(reflected, [
            ctx.answer(practice, "next", "again", "practice_again"),
            ctx.answer(practice, "next", "next", "practice_next"),
            ctx.answer(practice, "next", "sector", "practice_other"),
            ctx.answer(practice, "next", "stop", "practice_done"),
          ]),
        );
      },
    },
    next: {
      expects: "choice",
      async answer(ctx, data, input): Promise<Turn> {
        const sector = data.sector ?? "retail";
        const n = data.n ?? 0;
        const answer = input.kind === "choice" ? input.answer : "";
        if (answer === "again") return ask(ctx, sector, n);
        if (answer === "next") return ask(ctx, sector, n + 1);
        if (answer === "sector")
          return goTo(practice, "sector", {}, text(ctx.t.text("practice.ask_sector"), sectorChoices(ctx)));
        // A typed answer here is another try at the same question.
        if (input.kind === "text") return practice.steps.answer.answer(ctx, data, input);
        return done(text(ctx.t.text("practice.done"), menuChoices(ctx, ["tip", "help"])));
      },
    },
  },
});
