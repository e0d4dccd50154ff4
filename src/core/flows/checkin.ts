// /checkin: mood 1-5 and an optional word, a self-care idea that fits, and the last weeks'
// trend as a chart (a picture where the channel can send one, else the small text chart). Moods
// are kept only with consent. `/checkin tomorrow` plans a check-in for the day after a rejection
// (scheduled "checkin_after"). A check-in answers in at most three messages.
import { DateTime } from "luxon";
import { z } from "zod";
import { done, type Turn, type TurnContext } from "../context.js";
import { defineFlow, goTo } from "../flow.js";
import { text, type ChartReply, type Choice, type Reply } from "../types.js";
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
  return MOOD_LABELS.map((l, i) =>
    asCommands ? ctx.command(`checkin ${i + 1}`, l) : ctx.answer(checkin, "mood", String(i + 1), l),
  );
}

function moodFrom(typed: string): number | undefined {
  const m = /^\s*([1-5])\b/.exec(typed);
  return m ? Number(m[1]) : undefined;
}

function askWord(ctx: TurnContext, mood: number): Turn {
  return goTo(
    checkin,
    "word",
    { mood },
    text(ctx.t.text("checkin.ask_word"), [ctx.answer(checkin, "word", "skip", "skip")]),
  );
}

/** The last WEEKS_SHOWN weeks, oldest first: when each began and its mean mood (null: no check-in). */
function weeklyMoods(
  moods: readonly MoodEntry[],
  now: number,
  zone: string,
): { from: DateTime; mean: number | null }[] {
  const thisWeek = DateTime.fromMillis(now, { zone }).startOf("week");
  const weeks: { from: DateTime; mean: number | null }[] = [];
  for (let w = WEEKS_SHOWN - 1; w >= 0; w--) {
    const from = thisWeek.minus({ weeks: w });
    const to = from.plus({ weeks: 1 });
    const inWeek = moods.filter((m) => m.at >= from.toMillis() && m.at < to.toMillis());
    weeks.push({ from, mean: inWeek.length === 0 ? null : inWeek.reduce((s, m) => s + m.mood, 0) / inWeek.length });
  }
  return weeks;
}

/**
 * One line per week, newest last, e.g. "17 Nov ███░░ 3.2". About 20 characters: fits any
 * phone, and reads without colour or images.
 */
export function trendChart(moods: readonly MoodEntry[], now: number, zone: string, noData: string): string {
  return weeklyMoods(moods, now, zone)
    .map(({ from, mean }) => {
      const label = from.toFormat("d LLL").padEnd(6);
      if (mean === null) return `${label} ${noData}`;
      const full = Math.round(mean);
      return `${label} ${"█".repeat(full)}${"░".repeat(5 - full)} ${mean.toFixed(1)}`;
    })
    .join("\n");
}

/** The trend as a chart reply: weeks labelled by their first day in the user's language, the last "this week". */
function trendReply(ctx: TurnContext, moods: readonly MoodEntry[]): ChartReply {
  const noData = ctx.t.text("checkin.no_data");
  const weeks = weeklyMoods(moods, ctx.now, ctx.timezone);
  const points = weeks.map(({ from, mean }, i) => ({
    label:
      i === weeks.length - 1 ? ctx.t.text("charts.mood_this_week") : from.setLocale(ctx.t.locale).toFormat("d LLL"),
    value: mean === null ? null : Math.round(mean * 10) / 10,
  }));
  return {
    kind: "chart",
    spec: { kind: "mood_trend", title: ctx.t.text("charts.mood_title"), points, min: 1, max: 5, noValue: noData },
    caption: ctx.t.text("charts.mood_caption", { weeks: WEEKS_SHOWN }),
    fallbackText: ctx.t.text("checkin.trend", { chart: trendChart(moods, ctx.now, ctx.timezone, noData) }),
  };
}

async function careIdea(ctx: TurnContext, mood: number): Promise<string> {
  if (mood <= 2) return (await ctx.pick("checkin.care_low")).text;
  if (mood === 3) return (await ctx.pick("checkin.care_mid")).text;
  return (await ctx.pick("checkin.care_high")).text;
}

async function record(
  ctx: TurnContext,
  mood: number,
  word: string | undefined,
  careNote: string | undefined,
): Promise<Turn> {
  // One message for the words (a care note the typed word called for, the thanks, a self-care
  // idea, a low mood's support unless the care note already said it), then the trend, then a
  // low run's note: at most three.
  const words = [
    careNote,
    ctx.t.text(mood <= 2 ? "checkin.thanks_low" : mood === 3 ? "checkin.thanks_mid" : "checkin.thanks_high"),
    await careIdea(ctx, mood),
  ];
  if (mood <= LOW && !careNote) words.push(ctx.t.text("checkin.low_support", { helpline: secondaryHelpline(ctx) }));
  const replies: Extract<Reply, { kind: "text" | "chart" }>[] = [
    { kind: "text", text: words.filter((w) => w !== undefined).join("\n\n") },
  ];
  if (ctx.mayStore) {
    const moods = ctx.services.stores.moods;
    const entry: MoodEntry = word ? { at: ctx.now, mood, word } : { at: ctx.now, mood };
    await moods.add(ctx.user, entry);
    const since = DateTime.fromMillis(ctx.now, { zone: ctx.timezone })
      .startOf("week")
      .minus({ weeks: WEEKS_SHOWN - 1 })
      .toMillis();
    const recent = await moods.since(ctx.user, since);
    replies.push(trendReply(ctx, recent));
    const lastRun = recent.slice(-LOW_RUN);
    if (lastRun.length === LOW_RUN && lastRun.every((m) => m.mood <= LOW))
      replies.push({ kind: "text", text: ctx.t.text("checkin.low_run") });
  } else {
    replies.push({ kind: "text", text: ctx.t.text("checkin.not_saved") });
  }
  const extra = mood <= LOW && hasCommand(ctx, "wellbeing") ? [ctx.command("wellbeing", "menu_wellbeing")] : [];
  const last = replies.pop()!;
  replies.push({ ...last, choices: [...extra, ...menuChoices(ctx, ["tip", "goals", "help"])] });
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
      const msg =
        outcome.status === "scheduled"
          ? ctx.t.text("checkin.tomorrow_set", { date: localDate(dueAt, ctx.timezone) })
          : ctx.t.text("reflect.reminder_limit", { limit: outcome.limit });
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
        if (input.kind === "choice") return record(ctx, mood, undefined, undefined);
        const care = careNoteFor(ctx, input.text);
        return record(ctx, mood, clip(input.text, 30), care?.kind === "text" ? care.text : undefined);
      },
    },
  },
  due: {
    async checkin_after(ctx) {
      return [text(ctx.t.text("checkin.after_rejection"), moodChoices(ctx, true))];
    },
  },
});
