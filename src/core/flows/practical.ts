// /money: practical help in South Africa when money worries come up (issue 13, part 5): the SRD
// grant, UIF, job sites that cost no data, free CV help. Every fact is in messages/<locale>/
// practical.yaml with its source beside it; this file only chooses which message to show.
// Offered from /wellbeing when the words that opened it speak of money (care.ts).
//
// One turn each, no conversation state: the topics are commands (`/money uif`), so whatever the
// user writes next ("I applied to Clicks") is read as itself, not taken for a topic.
import { done, type TurnContext } from "../context.js";
import { defineCommand } from "../flow.js";
import { compiled, findPhrase } from "../matching.js";
import { text, type Choice } from "../types.js";

/** Each topic: its argument (`/money <topic>`), its message and its button label. */
const TOPICS = [
  ["srd", "practical.srd", "practical_srd"],
  ["uif", "practical.uif", "practical_uif"],
  ["jobsites", "practical.job_sites", "practical_jobsites"],
  ["cv", "practical.cv_help", "practical_cv"],
] as const;
type Topic = (typeof TOPICS)[number][0];

function topicChoices(ctx: TurnContext, except?: Topic): Choice[] {
  return TOPICS.filter(([topic]) => topic !== except).map(([topic, , label]) => ctx.command(`money ${topic}`, label));
}

/** A topic named in typed words ("uif", "the grant", "cv"), from the phrase lists in practical.yaml. */
function topicIn(ctx: TurnContext, typed: string): Topic | undefined {
  const exact = TOPICS.find(([topic]) => typed.trim().toLowerCase() === topic)?.[0];
  return exact ?? TOPICS.find(([topic]) => findPhrase(typed, compiled(ctx.t.phrases(`practical_${topic}`))))?.[0];
}

/** Do these words speak of money worries (rent, food, transport, no income)? */
export function mentionsMoney(ctx: TurnContext, typed: string): boolean {
  return typed.trim() !== "" && findPhrase(typed, compiled(ctx.t.phrases("money_worry"))) !== undefined;
}

export const practical = defineCommand({
  name: "practical",
  commands: ["money"],
  async start(ctx, arg) {
    const topic = topicIn(ctx, arg);
    if (!topic) return done(text(ctx.t.text("practical.overview"), topicChoices(ctx)));
    // The topic, then the others on offer.
    const message = TOPICS.find(([t]) => t === topic)![1];
    return done(text(ctx.t.text(message)), text(ctx.t.text("practical.more"), topicChoices(ctx, topic)));
  },
});
