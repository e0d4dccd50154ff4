// /checkin: mood 1-5 and an optional word, a self-care idea that fits, and the last weeks'
// trend as a small text chart. Moods are kept only with consent. `/checkin tomorrow` plans a
// check-in for the day after a rejection (scheduled "checkin_after").
import { DateTime } from "luxon";
import { z } from "zod";
import { done, type Turn, type TurnContext } from "../context.js";
import { defineFlow, goTo } from "../flow.js";
import { text, type Choice, type Reply } from "../types.js";
import type { MoodEntry } from "../ports/stores.js";
import { hasCommand, menuChoices } from "./menu.js";
import { daysLater, localDate } from "../dates.js";
import { clip } from "../text.js";
import { careNoteFor, secondaryHelpline } from "./care.js";

const WEEKS_SHOWN = 4;
/** Three low check-ins in a row suggest talking to a professional. */
const LOW = 2;
const LOW_RUN = 3;

const MOOD_LABELS = ["mood_1", "mood_2", "mood_3", "mood_4", "mood_5"] as const;

function moodChoices(ctx: TurnContext, asCommands: boolean): Choice[] {
  return MOOD_LABELS.map((l, i) => (asCommands ? ctx.command(`checkin ${i + 1}`, l) : ctx.answer(checkin, "mood", String(i + 1), l)));
}

function moodFrom(typed: string): number | undefined {
  const m = /^\s*([1-5])\b/.exec(typed);
  return m ? Number(m[1]) : undefined;
}

function askWord(ctx: TurnContext, mood: number): Turn {
  return goTo(checkin, "word", { mood }, text(ctx.t.text("checkin.ask_word"), [ctx.answer(checkin, "word", "skip", "skip")]));
}

/**
 * One line per week, newest last, e.g. "17 Nov ███░░ 3.2". About 20 characters: fits any
 * phone, and reads without colour or images.
 */
export function trendChart(moods: readonly MoodEntry[], now: number, zone: string, noData: string): string {
  const thisWeek = DateTime.fromMillis(now, { zone }).startOf("week");
  const lines: string[] = [];
  for (let w = WEEKS_SHOWN - 1; w >= 0; w--) {
    const from = thisWeek.minus({ weeks: w });
    const to = from.plus({ weeks: 1 });
    const inWeek = moods.filter((m) => m.at >= from.toMillis() && m.at < to.toMillis());
    const label = from.toFormat("d LLL").padEnd(6);
    if (inWeek.length === 0) {
      lines.push(`${label} ${noData}`);
      continue;
    }
    const avg = inWeek.reduce((s, m) => s + m.mood, 0) / inWeek.length;
    const full = Math.round(avg);
    lines.push(`${label} ${"█".repeat(full)}${"░".repeat(5 - full)} ${avg.toFixed(1)}`);
  }
  return lines.join("\n");
}

async function careIdea(ctx: TurnContext, mood: number): Promise<string> {
  if (mood <= 2) return (await ctx.pick("checkin.care_low")).text;
  if (mood === 3) return (await ctx.pick("checkin.care_mid")).text;
  return (await ctx.pick("checkin.care_high")).text;
}

async function record(ctx: TurnContext, mood: number, word: string | undefined, before: Reply[]): Promise<Turn> {
  const replies: Reply[] = [...before];
  replies.push(text(ctx.t.text(mood <= 2 ? "checkin.thanks_low" : mood === 3 ? "checkin.thanks_mid" : "checkin.thanks_high")));
  replies.push(text(await careIdea(ctx, mood)));
  if (mood <= LOW) replies.push(text(ctx.t.text("checkin.low_support", { helpline: secondaryHelpline(ctx) })));
  if (ctx.mayStore) {
    const moods = ctx.services.stores.moods;
    const entry: MoodEntry = word ? { at: ctx.now, mood, word } : { at: ctx.now, mood };
    await moods.add(ctx.user, entry);
    const since = DateTime.fromMillis(ctx.now, { zone: ctx.timezone }).startOf("week").minus({ weeks: WEEKS_SHOWN - 1 }).toMillis();
    const recent = await moods.since(ctx.user, since);
    replies.push(text(ctx.t.text("checkin.trend", { chart: trendChart(recent, ctx.now, ctx.timezone, ctx.t.text("checkin.no_data")) })));
    const lastRun = recent.slice(-LOW_RUN);
    if (lastRun.length === LOW_RUN && lastRun.every((m) => m.mood <= LOW)) replies.push(text(ctx.t.text("checkin.low_run")));
  } else {
    replies.push(text(ctx.t.text("checkin.not_saved")));
  }
  const last = replies.pop()!;
  const extra = mood <= LOW && hasCommand(ctx, "wellbeing") ? [ctx.command("wellbeing", "menu_wellbeing")] : [];
  replies.push(text((last as { text: string }).text, [...extra, ...menuChoices(ctx, ["tip", "goals", "help"])]));
  return done(...replies);
}

export const checkin = defineFlow({
  name: "checkin",
  version: 1,
  commands: ["checkin"],
  data: z.object({ mood: z.number().int().min(1).max(5).optional() }),
  async start(ctx, arg): Promise<Turn> {
    const a = arg.trim().toLowerCase();
    if (a === "tomorrow") {
      const dueAt = daysLater(ctx.now, ctx.timezone, 1, 10);
      const outcome = await ctx.schedule({ kind: "checkin_after", dueAt });
      const msg = outcome.status === "scheduled" ? ctx.t.text("checkin.tomorrow_set", { date: localDate(dueAt, ctx.timezone) }) : ctx.t.text("reflect.reminder_limit", { limit: outcome.limit });
      return done(text(msg, menuChoices(ctx, ["reflect", "tip", "help"])));
    }
    const direct = moodFrom(a);
    if (direct) return askWord(ctx, direct);
    return goTo(checkin, "mood", {}, text(ctx.t.text("checkin.ask_mood"), moodChoices(ctx, false)));
  },
  steps: {
    mood: {
      expects: "number",
      async answer(ctx, _data, input): Promise<Turn> {
        const mood = moodFrom(input.kind === "choice" ? input.answer : input.text);
        if (!mood) return goTo(checkin, "mood", {}, text(ctx.t.text("checkin.mood_unclear"), moodChoices(ctx, false)));
        return askWord(ctx, mood);
      },
    },
    word: {
      expects: "free_text",
      async answer(ctx, data, input): Promise<Turn> {
        const mood = data.mood ?? 3;
        if (input.kind === "choice") return record(ctx, mood, undefined, []);
        const care = careNoteFor(ctx, input.text);
        return record(ctx, mood, clip(input.text, 30), care ? [care] : []);
      },
    },
  },
  due: {
    async checkin_after(ctx) {
      return [text(ctx.t.text("checkin.after_rejection"), moodChoices(ctx, true))];
    },
  },
});
