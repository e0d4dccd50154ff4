// /reflect: the guided reflection from the article, one question at a time. Every question
// takes a quick choice or free text and can be skipped. It ends with what went well, what to
// practise, and one next step the user picks (which can become a reminder), then the closing.
// An optional free-writing step is offered: expressive writing after job loss is well evidenced.
import { done, type FlowInput, type Turn, type TurnContext } from "../context.js";
import { daysLater, localDate } from "../dates.js";
import { defineFlow, goTo, type Step } from "../flow.js";
import { yesOrNo } from "../intents.js";
import { compiled, findPhrase } from "../matching.js";
import type { JournalEntry } from "../ports/stores.js";
import { clip } from "../text.js";
import { text, type Reply } from "../types.js";
import { unpack } from "./care.js";
import { patternReply } from "./journal.js";
import { menuChoices } from "./menu.js";
import { AREAS, asAnswer, Data, parseAbout, stepsFor, type Area, type AreaAnswer } from "./reflect-data.js";

/** The questions, in the order they are asked; after the last, the summary and the next step. */
const QUESTIONS = ["about", ...AREAS, "differently", "write_offer"] as const;
type Question = (typeof QUESTIONS)[number];

export const reflect = defineFlow({
  name: "reflect",
  version: 1,
  commands: ["reflect"],
  data: Data,
  async start(ctx, arg): Promise<Turn> {
    const intro = text(ctx.t.text("reflect.intro"));
    if (arg.trim()) return goTo(reflect, "prepared", parseAbout(arg), intro, ask(ctx, "prepared"));
    return goTo(reflect, "about", {}, intro, ask(ctx, "about"));
  },
  steps: {
    about: {
      expects: "company",
      async answer(ctx, data, input): Promise<Turn> {
        const { typed, before } = unpack(ctx, input);
        return advance(ctx, "about", typed ? { ...data, ...parseAbout(typed) } : data, before);
      },
    },
    prepared: area("prepared"),
    skills: area("skills"),
    connected: area("connected"),
    differently: {
      expects: "free_text",
      async answer(ctx, data, input): Promise<Turn> {
        const { typed, before } = unpack(ctx, input);
        return advance(ctx, "differently", typed ? { ...data, differently: clip(typed, 300) } : data, before);
      },
    },
    write_offer: {
      expects: "yes_no",
      async answer(ctx, data, input): Promise<Turn> {
        const { typed, answer, before } = unpack(ctx, input);
        if (answer === "write" || (typed && yesOrNo(ctx.t, typed) === "yes"))
          return goTo(reflect, "writing", data, text(ctx.t.text("reflect.writing_go"), [writingDone(ctx)]));
        return advance(ctx, "write_offer", data, before);
      },
    },
    /** Free writing: several messages are welcome; they are joined (and kept only with consent). */
    writing: {
      expects: "free_text",
      async answer(ctx, data, input): Promise<Turn> {
        const { typed, before } = unpack(ctx, input);
        if (typed) {
          const d = { ...data, feelings: clip([data.feelings, typed].filter(Boolean).join("\n"), 3000) };
          return goTo(reflect, "writing", d, ...before, text(ctx.t.text("reflect.writing_more"), [writingDone(ctx)]));
        }
        return goTo(
          reflect,
          "next",
          data,
          text(ctx.t.text(data.feelings ? "reflect.writing_thanks" : "reflect.writing_none")),
          ...summary(ctx, data),
        );
      },
    },
    next: {
      expects: "choice",
      async answer(ctx, data, input): Promise<Turn> {
        const { before } = unpack(ctx, input);
        const d =
          input.kind === "choice"
            ? { ...data, nextKey: input.answer, nextStep: stepText(ctx, input.answer) }
            : { ...data, nextStep: clip(input.text, 200) };
        return goTo(
          reflect,
          "remind",
          d,
          ...before,
          text(ctx.t.text("reflect.ask_remind", { step: d.nextStep }), [
            ctx.answer(reflect, "remind", "1", "tomorrow"),
            ctx.answer(reflect, "remind", "3", "in_3_days"),
            ctx.answer(reflect, "remind", "7", "in_a_week"),
            ctx.answer(reflect, "remind", "no", "no_reminder"),
          ]),
        );
      },
    },
    remind: {
      expects: "choice",
      async answer(ctx, data, input): Promise<Turn> {
        return finish(ctx, data, await remindOf(ctx, data, input));
      },
    },
  },
});

/** A yes / partly / not really question about one area; typed words are read, or kept as they are. */
function area(step: Area): Step<Data> {
  return {
    expects: "choice",
    async answer(ctx, data, input): Promise<Turn> {
      const { typed, answer, before } = unpack(ctx, input);
      const value =
        answer === undefined
          ? classify(ctx, typed!)
          : answer === "yes" || answer === "partly" || answer === "no"
            ? answer
            : "skipped";
      return advance(ctx, step, { ...data, [step]: value }, before);
    },
  };
}

function ask(ctx: TurnContext, step: Question): Reply {
  const skip = ctx.answer(reflect, step, "skip", "skip");
  switch (step) {
    case "about":
      return text(ctx.t.text("reflect.ask_about"), [skip]);
    case "prepared":
      return text(ctx.t.text("reflect.ask_prepared"), scale(ctx, step));
    case "skills":
      return text(ctx.t.text("reflect.ask_skills"), scale(ctx, step));
    case "connected":
      return text(ctx.t.text("reflect.ask_connected"), scale(ctx, step));
    case "differently":
      return text(ctx.t.text("reflect.ask_differently"), [skip]);
    case "write_offer":
      return text(ctx.t.text("reflect.offer_writing"), [ctx.answer(reflect, step, "write", "write_now"), skip]);
  }
}

function scale(ctx: TurnContext, step: Area) {
  return [
    ctx.answer(reflect, step, "yes", "yes"),
    ctx.answer(reflect, step, "partly", "partly"),
    ctx.answer(reflect, step, "no", "not_really"),
    ctx.answer(reflect, step, "skip", "skip"),
  ];
}

function writingDone(ctx: TurnContext) {
  return ctx.answer(reflect, "writing", "done", "done");
}

/** The next question, or after the last one the summary with the next steps on offer. */
function advance(ctx: TurnContext, step: Question, data: Data, before: Reply[] = []): Turn {
  const next = QUESTIONS[QUESTIONS.indexOf(step) + 1];
  if (!next) return goTo(reflect, "next", data, ...before, ...summary(ctx, data));
  return goTo(reflect, next, data, ...before, ask(ctx, next));
}

const NEXT_STEP: readonly (readonly [step: string, label: string])[] = [
  ["practise", "step_practise"],
  ["research", "step_research"],
  ["stories", "step_stories"],
  ["mock", "step_mock"],
  ["apply", "step_apply"],
  ["feedback", "step_feedback"],
];

function stepText(ctx: TurnContext, step: string): string {
  switch (step) {
    case "practise":
      return ctx.t.text("reflect.step_practise");
    case "research":
      return ctx.t.text("reflect.step_research");
    case "stories":
      return ctx.t.text("reflect.step_stories");
    case "mock":
      return ctx.t.text("reflect.step_mock");
    case "apply":
      return ctx.t.text("reflect.step_apply");
    default:
      return ctx.t.text("reflect.step_feedback");
  }
}

function areaName(ctx: TurnContext, a: Area): string {
  if (a === "prepared") return ctx.t.text("reflect.area_prepared");
  if (a === "skills") return ctx.t.text("reflect.area_skills");
  return ctx.t.text("reflect.area_connected");
}

function summary(ctx: TurnContext, data: Data): Reply[] {
  const well = AREAS.filter((a) => data[a] === "yes").map((a) => areaName(ctx, a));
  const practise = AREAS.filter((a) => data[a] === "no" || data[a] === "partly").map((a) => areaName(ctx, a));
  const differently = data.differently ?? "";
  const lines = ctx.t.text("reflect.summary", {
    well: well.length ? well.join(", ") : ctx.t.text("reflect.well_none"),
    practise: practise.length ? practise.join(", ") : ctx.t.text("reflect.practise_none"),
  });
  // A rejection can also be a mismatch with the user's own goals (article: maintain perspective).
  // One message with the summary, so the turn stays within three messages (issue 13, part 7).
  const said = differently ? [ctx.t.text("reflect.summary_differently", { differently })] : [];
  const parts = [lines, ...said, ctx.t.text("reflect.perspective")];
  const replies: Reply[] = [text(parts.join("\n\n"))];
  const steps = stepsFor(data);
  const choices = steps.map((s) => ctx.answer(reflect, "next", s, NEXT_STEP.find(([k]) => k === s)![1]));
  replies.push(text(ctx.t.text("reflect.ask_next"), choices));
  return replies;
}

/** A typed answer to a yes/partly/no question. Unclassified words are kept as they are. */
function classify(ctx: TurnContext, typed: string): AreaAnswer {
  if (findPhrase(typed, compiled(ctx.t.phrases("reflect_not_really")), 0)) return "no";
  if (findPhrase(typed, compiled(ctx.t.phrases("reflect_partly")), 0)) return "partly";
  const yn = yesOrNo(ctx.t, typed);
  if (yn) return yn;
  return `words:${clip(typed, 200)}` as const;
}

/** A reminder of the next step, if the user wants one; what to tell them about it. */
async function remindOf(ctx: TurnContext, d: Data, input: FlowInput): Promise<Reply[]> {
  const answer = input.kind === "choice" ? input.answer : yesOrNo(ctx.t, input.text) === "yes" ? "1" : "no";
  if (answer === "no") return [];
  const days = answer === "3" ? 3 : answer === "7" ? 7 : 1;
  const dueAt = daysLater(ctx.now, ctx.timezone, days, 9);
  const outcome = await ctx.schedule({ kind: "reminder", dueAt, text: d.nextStep ?? "" });
  if (outcome.status === "scheduled")
    return [text(ctx.t.text("reflect.reminder_set", { date: localDate(dueAt, ctx.timezone) }))];
  return [text(ctx.t.text("reflect.reminder_limit", { limit: outcome.limit }))];
}

async function finish(ctx: TurnContext, d: Data, replies: Reply[]): Promise<Turn> {
  if (ctx.mayStore) {
    const entry: JournalEntry = {
      at: ctx.now,
      company: d.company,
      role: d.role,
      prepared: asAnswer(d.prepared),
      skills: asAnswer(d.skills),
      connected: asAnswer(d.connected),
      differently: d.differently,
      feelings: d.feelings,
      nextStep: d.nextStep,
    };
    const journal = ctx.services.stores.journal;
    await journal.add(ctx.user, entry);
    replies.push(text(ctx.t.text("reflect.saved")));
    // After several reflections, what keeps coming up in the user's own answers.
    const found = patternReply(ctx, await journal.list(ctx.user, 8));
    if (found) replies.push(found);
  } else {
    replies.push(text(ctx.t.text("reflect.not_saved")));
  }
  const first = d.nextKey === "feedback" ? ["feedback", "goals", "checkin"] : ["goals", "feedback", "checkin"];
  const choices = menuChoices(ctx, first).sort(
    (a, b) => first.indexOf(a.value.slice(1)) - first.indexOf(b.value.slice(1)),
  );
  replies.push(text(ctx.t.text("reflect.closing"), choices));
  return done(...replies);
}
