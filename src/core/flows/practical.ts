// /money: practical help in South Africa when money worries come up (issue 13, part 5): the SRD
// grant, UIF, job sites that cost no data, free CV help. Every fact is in messages/<locale>/
// practical.yaml with its source beside it; this file only chooses which message to show.
// Offered from /wellbeing when the words that opened it speak of money (care.ts).
import { z } from "zod";
import { done, type Turn, type TurnContext } from "../context.js";
import { defineFlow, goTo } from "../flow.js";
import { compiled, findPhrase } from "../matching.js";
import { text, type Choice } from "../types.js";
import { hasCommand, menuChoices } from "./menu.js";

/** Each topic: its answer value, its message and its button label. */
const TOPICS = [
  ["srd", "practical.srd", "practical_srd"],
  ["uif", "practical.uif", "practical_uif"],
  ["jobsites", "practical.job_sites", "practical_jobsites"],
  ["cv", "practical.cv_help", "practical_cv"],
] as const;
type Topic = (typeof TOPICS)[number][0];

function topicChoices(ctx: TurnContext, except: readonly string[]): Choice[] {
  return TOPICS.filter(([value]) => !except.includes(value)).map(([value, , label]) => ctx.answer(practical, "topic", value, label));
}

/** A topic named in typed words ("uif", "the grant", "cv"), from the phrase lists in practical.yaml. */
function topicIn(ctx: TurnContext, typed: string): Topic | undefined {
  return TOPICS.find(([value]) => findPhrase(typed, compiled(ctx.t.phrases(`practical_${value}`))))?.[0];
}

/** Do these words speak of money worries (rent, food, transport, no income)? */
export function mentionsMoney(ctx: TurnContext, typed: string): boolean {
  return typed.trim() !== "" && findPhrase(typed, compiled(ctx.t.phrases("money_worry"))) !== undefined;
}

export const practical = defineFlow({
  name: "practical",
  version: 1,
  commands: ["money"],
  // `seen`: topics already shown in this conversation, so "more" offers the others.
  data: z.object({ seen: z.array(z.string()).optional() }),
  async start(ctx, arg): Promise<Turn> {
    const named = topicIn(ctx, arg);
    if (named) return show(ctx, named, []);
    return goTo(practical, "topic", { seen: [] }, text(ctx.t.text("practical.overview"), topicChoices(ctx, [])));
  },
  steps: {
    topic: {
      expects: "choice",
      async answer(ctx, data, input): Promise<Turn> {
        const topic = input.kind === "choice" ? TOPICS.find(([v]) => v === input.answer)?.[0] : topicIn(ctx, input.text);
        const seen = data.seen ?? [];
        if (!topic) return goTo(practical, "topic", data, text(ctx.t.text("practical.more"), topicChoices(ctx, seen)));
        return show(ctx, topic, seen);
      },
    },
  },
});

/** One topic's message, then the others on offer (or the menu when all were shown). */
function show(ctx: TurnContext, topic: Topic, seen: readonly string[]): Turn {
  const message = TOPICS.find(([v]) => v === topic)![1];
  const nowSeen = [...new Set([...seen, topic])];
  const others = topicChoices(ctx, nowSeen);
  if (others.length === 0) {
    const wellbeing = hasCommand(ctx, "wellbeing") ? [ctx.command("wellbeing", "menu_wellbeing")] : [];
    return done(text(ctx.t.text(message), [...wellbeing, ...menuChoices(ctx, ["help"])]));
  }
  return goTo(practical, "topic", { seen: nowSeen }, text(ctx.t.text(message)), text(ctx.t.text("practical.more"), others));
}
