// /reflect: the guided reflection from the article, one question at a time. Every question
// takes a quick choice or free text and can be skipped. It ends with what went well, what to
// practise, and one next step the user picks (which can become a reminder), then the closing.
// An optional free-writing step is offered: expressive writing after job loss is well evidenced.
import { done, goTo, type FlowInput, type Turn, type TurnContext } from "../context.js";
import type { Flow } from "../flow.js";
import { compiled, findPhrase } from "../matching.js";
import { yesOrNo } from "../intents.js";
import { text, type Reply } from "../types.js";
import type { FlowData } from "../ports/state.js";
import type { JournalEntry, ReflectAnswer } from "../ports/stores.js";
import { patternReply } from "./journal.js";
import { menuChoices } from "./menu.js";
import { daysLater, localDate } from "../dates.js";
import { clip } from "../text.js";
import { unpack } from "./care.js";

const F = "reflect";
/** The three quick-choice questions, in order. */
const AREAS = ["prepared", "skills", "connected"] as const;
type Area = (typeof AREAS)[number];

function ask(ctx: TurnContext, step: string): Reply {
  const skip = ctx.answer(F, step, "skip", "skip");
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
      return text(ctx.t.text("reflect.offer_writing"), [ctx.answer(F, step, "write", "write_now"), skip]);
    default:
      throw new Error(`reflect: no question for step ${step}`);
  }
}

function scale(ctx: TurnContext, step: string) {
  return [
    ctx.answer(F, step, "yes", "yes"),
    ctx.answer(F, step, "partly", "partly"),
    ctx.answer(F, step, "no", "not_really"),
    ctx.answer(F, step, "skip", "skip"),
  ];
}

const NEXT_STEP: readonly (readonly [step: string, label: string])[] = [
  ["practise", "step_practise"],
  ["research", "step_research"],
  ["stories", "step_stories"],
  ["mock", "step_mock"],
  ["apply", "step_apply"],
  ["feedback", "step_feedback"],
];

/** The next steps that fit what came up: weak areas first, then the ones that always help. */
function stepsFor(data: FlowData): string[] {
  const weak = (a: Area) => data[a] === "no" || data[a] === "partly";
  const out: string[] = [];
  if (weak("prepared")) out.push("research", "practise");
  if (weak("skills")) out.push("stories");
  if (weak("connected")) out.push("mock");
  if (out.length === 0) out.push("practise");
  // Asking for feedback is always offered (article: seek constructive feedback).
  const steps = [...new Set(out)].slice(0, 3).concat("feedback");
  return steps.length < 4 ? [...steps, "apply"] : steps;
}

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

function summary(ctx: TurnContext, data: FlowData): Reply[] {
  const well = AREAS.filter((a) => data[a] === "yes").map((a) => areaName(ctx, a));
  const practise = AREAS.filter((a) => data[a] === "no" || data[a] === "partly").map((a) => areaName(ctx, a));
  const differently = typeof data.differently === "string" ? data.differently : "";
  const lines = ctx.t.text("reflect.summary", {
    well: well.length ? well.join(", ") : ctx.t.text("reflect.well_none"),
    practise: practise.length ? practise.join(", ") : ctx.t.text("reflect.practise_none"),
  });
  const replies: Reply[] = [text(differently ? `${lines}\n\n${ctx.t.text("reflect.summary_differently", { differently })}` : lines)];
  // A rejection can also be a mismatch with the user's own goals (article: maintain perspective).
  replies.push(text(ctx.t.text("reflect.perspective")));
  const steps = stepsFor(data);
  const choices = steps.map((s) => ctx.answer(F, "next", s, NEXT_STEP.find(([k]) => k === s)![1]));
  replies.push(text(ctx.t.text("reflect.ask_next"), choices));
  return replies;
}

/** "Pick n Pay, cashier", "cashier at Pick n Pay", or just a company name. */
export function parseAbout(typed: string): { company?: string; role?: string } {
  const t = clip(typed, 80);
  const at = /^(.+?)\s+(?:at|with|for)\s+(.+)$/i.exec(t);
  if (at) return { role: at[1]!.trim(), company: at[2]!.trim() };
  const parts = t.split(/\s*[,;–-]\s*/).filter(Boolean);
  if (parts.length >= 2) return { company: parts[0], role: parts.slice(1).join(", ") };
  return { company: t };
}

/** A typed answer to a yes/partly/no question. Unclassified words are kept as they are. */
function classify(ctx: TurnContext, typed: string): string {
  if (findPhrase(typed, compiled(ctx.t.phrases("reflect_not_really")), 0)) return "no";
  if (findPhrase(typed, compiled(ctx.t.phrases("reflect_partly")), 0)) return "partly";
  const yn = yesOrNo(ctx.t, typed);
  if (yn) return yn;
  return `words:${clip(typed, 200)}`;
}

function asAnswer(v: FlowData[string]): ReflectAnswer {
  if (v === "yes" || v === "partly" || v === "no") return v;
  if (typeof v === "string" && v.startsWith("words:")) return { words: v.slice(6) };
  return "skipped";
}

function after(step: string): string {
  const order = ["about", ...AREAS, "differently", "write_offer"];
  return order[order.indexOf(step) + 1] ?? "summary";
}

function advance(ctx: TurnContext, step: string, data: FlowData, before: Reply[] = []): Turn {
  const next = after(step);
  if (next === "summary") return goTo(F, "next", data, ...before, ...summary(ctx, data));
  return goTo(F, next, data, ...before, ask(ctx, next));
}

export const reflect: Flow = {
  name: F,
  commands: ["reflect"],
  async start(ctx, arg) {
    const data: FlowData = {};
    const intro = text(ctx.t.text("reflect.intro"));
    if (arg.trim()) {
      Object.assign(data, parseAbout(arg));
      return goTo(F, "prepared", data, intro, ask(ctx, "prepared"));
    }
    return goTo(F, "about", data, intro, ask(ctx, "about"));
  },

  async answer(ctx, step, data, input) {
    const d: FlowData = { ...data };
    const { typed, answer, before } = unpack(ctx, input);

    switch (step) {
      case "about":
        if (typed) Object.assign(d, parseAbout(typed));
        return advance(ctx, step, d, before);
      case "prepared":
      case "skills":
      case "connected":
        d[step] = answer === "skip" ? "skipped" : (answer ?? classify(ctx, typed!));
        return advance(ctx, step, d, before);
      case "differently":
        if (typed) d.differently = clip(typed, 300);
        return advance(ctx, step, d, before);
      case "write_offer":
        if (answer === "write" || (typed && yesOrNo(ctx.t, typed) === "yes")) {
          return goTo(F, "writing", d, text(ctx.t.text("reflect.writing_go"), [ctx.answer(F, "writing", "done", "done")]));
        }
        return advance(ctx, step, d, before);
      case "writing":
        if (typed) {
          // Several messages are welcome; they are joined (and kept only with consent).
          d.feelings = clip([d.feelings, typed].filter(Boolean).join("\n"), 3000);
          return goTo(F, "writing", d, ...before, text(ctx.t.text("reflect.writing_more"), [ctx.answer(F, "writing", "done", "done")]));
        }
        return goTo(F, "next", d, text(ctx.t.text(d.feelings ? "reflect.writing_thanks" : "reflect.writing_none")), ...summary(ctx, d));
      case "next":
        return chooseNext(ctx, d, input, before);
      case "remind":
        return remind(ctx, d, input);
      default:
        return done(text(ctx.t.text("core.not_understood"), menuChoices(ctx)));
    }
  },
};

function chooseNext(ctx: TurnContext, d: FlowData, input: FlowInput, before: Reply[]): Turn {
  if (input.kind === "choice") {
    d.nextKey = input.answer;
    d.nextStep = stepText(ctx, input.answer);
  } else {
    d.nextStep = clip(input.text, 200);
  }
  return goTo(F, "remind", d, ...before, text(ctx.t.text("reflect.ask_remind", { step: String(d.nextStep) }), [
    ctx.answer(F, "remind", "1", "tomorrow"),
    ctx.answer(F, "remind", "3", "in_3_days"),
    ctx.answer(F, "remind", "7", "in_a_week"),
    ctx.answer(F, "remind", "no", "no_reminder"),
  ]));
}

async function remind(ctx: TurnContext, d: FlowData, input: FlowInput): Promise<Turn> {
  const answer = input.kind === "choice" ? input.answer : yesOrNo(ctx.t, input.text) === "yes" ? "1" : "no";
  const replies: Reply[] = [];
  if (answer !== "no") {
    const days = Number(answer) || 1;
    const dueAt = daysLater(ctx.now, ctx.timezone, days, 9);
    const outcome = await ctx.schedule({ kind: "reminder", dueAt, text: String(d.nextStep) });
    if (outcome.status === "scheduled") replies.push(text(ctx.t.text("reflect.reminder_set", { date: localDate(dueAt, ctx.timezone) })));
    else replies.push(text(ctx.t.text("reflect.reminder_limit", { limit: outcome.limit })));
  }
  return finish(ctx, d, replies);
}

async function finish(ctx: TurnContext, d: FlowData, replies: Reply[]): Promise<Turn> {
  if (ctx.mayStore) {
    const entry: JournalEntry = {
      at: ctx.now,
      company: typeof d.company === "string" ? d.company : undefined,
      role: typeof d.role === "string" ? d.role : undefined,
      prepared: asAnswer(d.prepared),
      skills: asAnswer(d.skills),
      connected: asAnswer(d.connected),
      differently: typeof d.differently === "string" ? d.differently : undefined,
      feelings: typeof d.feelings === "string" ? d.feelings : undefined,
      nextStep: typeof d.nextStep === "string" ? d.nextStep : undefined,
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
  const choices = menuChoices(ctx, first).sort((a, b) => first.indexOf(a.value.slice(1)) - first.indexOf(b.value.slice(1)));
  replies.push(text(ctx.t.text("reflect.closing"), choices));
  return done(...replies);
}
