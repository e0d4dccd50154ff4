// /journal: the saved reflections (only with consent), newest first, and after several, the
// patterns in the user's own answers with the practice that fits them.
import { done, type TurnContext } from "../context.js";
import { defineCommand } from "../flow.js";
import { text, type Reply } from "../types.js";
import type { JournalEntry, ReflectAnswer } from "../ports/stores.js";
import { menuChoices } from "./menu.js";
import { localDate } from "../dates.js";

const SHOWN = 5;
/** Patterns are pointed out once there are this many reflections. */
export const PATTERN_MIN = 3;
/** Patterns are read in this many of the newest reflections. */
const PATTERN_WINDOW = 8;

type Area = "prepared" | "skills" | "connected";

const weak = (a: ReflectAnswer) => a === "no" || a === "partly";

/** The area that comes up as weak most often, if it does in at least half of the recent entries (and twice). */
export function recurringWeakArea(entries: readonly JournalEntry[]): Area | undefined {
  if (entries.length < PATTERN_MIN) return undefined;
  const recent = entries.slice(0, PATTERN_WINDOW);
  let best: { area: Area; n: number } | undefined;
  for (const area of ["prepared", "skills", "connected"] as const) {
    const n = recent.filter((e) => weak(e[area])).length;
    if (n >= 2 && n * 2 >= recent.length && (!best || n > best.n)) best = { area, n };
  }
  return best?.area;
}

function line(ctx: TurnContext, e: JournalEntry): string {
  const what = [e.company, e.role].filter(Boolean).join(", ") || ctx.t.text("journal.unnamed");
  const next = e.nextStep ? ctx.t.text("journal.entry_next", { step: e.nextStep }) : "";
  return `• ${localDate(e.at, ctx.timezone)}: ${what}${next}`;
}

/** The pattern in the user's recent reflections, if there is one, as a message. */
export function patternReply(ctx: TurnContext, entries: readonly JournalEntry[]): Reply | undefined {
  const area = recurringWeakArea(entries);
  return area ? pattern(ctx, area, entries.slice(0, PATTERN_WINDOW).filter((e) => weak(e[area])).length) : undefined;
}

function pattern(ctx: TurnContext, area: Area, count: number): Reply {
  if (area === "prepared") return text(ctx.t.text("journal.pattern_prepared", { count }));
  if (area === "skills") return text(ctx.t.text("journal.pattern_skills", { count }));
  return text(ctx.t.text("journal.pattern_connected", { count }));
}

export const journal = defineCommand({
  name: "journal",
  commands: ["journal"],
  async start(ctx) {
    if (!ctx.mayStore) return done(text(ctx.t.text("journal.no_consent"), menuChoices(ctx, ["reflect", "help"])));
    // The count is LLEN; only the entries shown or read for patterns are fetched.
    const { count, entries } = await ctx.services.stores.journal.recent(ctx.user, Math.max(SHOWN, PATTERN_WINDOW));
    if (count === 0) return done(text(ctx.t.text("journal.empty"), menuChoices(ctx, ["reflect", "help"])));
    const replies: Reply[] = [
      text(
        ctx.t.text("journal.list", {
          count,
          entries: entries
            .slice(0, SHOWN)
            .map((e) => line(ctx, e))
            .join("\n"),
        }),
      ),
    ];
    const found = patternReply(ctx, entries);
    if (found) replies.push(found);
    else if (count < PATTERN_MIN) replies.push(text(ctx.t.text("journal.few_yet", { more: PATTERN_MIN - count })));
    replies.push(text(ctx.t.text("journal.what_next"), menuChoices(ctx, ["reflect", "goals", "help"])));
    return done(...replies);
  },
});
