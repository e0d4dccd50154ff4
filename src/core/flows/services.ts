// Typed access to what the conversation flows need from `ctx.services.ext`, and small helpers
// they share: consent, the scheduler (optional: the schedule may not be wired), business days
// in the user's zone, and the gentle note when stress or hopelessness come up in free text.
import { DateTime } from "luxon";
import type { FlowStores } from "../ports/stores.js";
import type { FlowInput, TurnContext } from "../context.js";
import { compiled, findPhrase } from "../matching.js";
import type { DueItem, Scheduler } from "../ports/schedule.js";
import { text, type Reply } from "../types.js";
import { primaryHelpline } from "./crisis.js";

export function storesOf(ctx: TurnContext): FlowStores {
  const s = ctx.services.ext.flowStores as FlowStores | undefined;
  // A wiring mistake, not a user problem: main.ts must add them (createFlowStores).
  if (!s) throw new Error("ext.flowStores is not wired (see createFlowStores in src/store/flowstores.ts)");
  return s;
}

export function schedulerOf(ctx: TurnContext): Scheduler | undefined {
  return ctx.services.ext.scheduler as Scheduler | undefined;
}

/** Reflections, moods and journal text are kept only with explicit consent (POPIA). */
export function mayStore(ctx: TurnContext): boolean {
  return ctx.profile.consent === "yes";
}

export type ScheduleOutcome = { status: "scheduled"; item: DueItem } | { status: "unavailable" } | { status: "limit_reached"; limit: number };

/** Schedules an item if the schedule is wired; the caller words the outcome. */
export async function scheduleFor(ctx: TurnContext, item: Omit<DueItem, "id" | "user"> & { id?: string }): Promise<ScheduleOutcome> {
  const scheduler = schedulerOf(ctx);
  if (!scheduler) return { status: "unavailable" };
  return scheduler.add({ ...item, user: ctx.user });
}

/**
 * `days` working days (Monday to Friday) after `from`, at `hour`:00 in `zone`. Public holidays
 * are not skipped: a follow-up a day early or late does no harm.
 */
export function addBusinessDays(from: number, zone: string, days: number, hour = 9): number {
  let d = DateTime.fromMillis(from, { zone });
  let left = days;
  while (left > 0) {
    d = d.plus({ days: 1 });
    if (d.weekday <= 5) left--;
  }
  return d.set({ hour, minute: 0, second: 0, millisecond: 0 }).toMillis();
}

/** `days` calendar days after `from`, at `hour`:00 in `zone`. */
export function daysLater(from: number, zone: string, days: number, hour: number): number {
  return DateTime.fromMillis(from, { zone }).plus({ days }).set({ hour, minute: 0, second: 0, millisecond: 0 }).toMillis();
}

/** A short local date for messages ("Tue 2 Dec"). */
export function localDate(ms: number, zone: string, locale = "en"): string {
  return DateTime.fromMillis(ms, { zone }).setLocale(locale).toFormat("ccc d LLL");
}

/**
 * When free text speaks of stress, anxiety or hopelessness (not crisis: the engine has already
 * ruled that out), a gentle note offering a mental-health professional and a helpline.
 */
export function careNoteFor(ctx: TurnContext, typed: string): Reply | undefined {
  if (!findPhrase(typed, compiled(ctx.t.phrases("distress")))) return undefined;
  return text(ctx.t.text("care.note", { helpline: secondaryHelpline(ctx) }));
}

/** The mental-health line (not the suicide line) for stress and anxiety; falls back to the first. */
export function secondaryHelpline(ctx: TurnContext): string {
  const lines = ctx.t.dataOf<{ name: string; number: string }[]>("helplines");
  const h = lines[1];
  return h ? `${h.name}: ${h.number}` : primaryHelpline(ctx);
}

const SPACE = /\s/;
/**
 * Trims what users type before it goes into a message or the journal: spaces collapsed, at
 * most `max` characters (the last one "…" when cut). Reads only as far as it keeps, so a long
 * text costs no more than a short one.
 */
export function clip(s: string, max = 80): string {
  const out: string[] = [];
  let space = false;
  for (const ch of s) {
    if (SPACE.test(ch)) {
      space = out.length > 0;
      continue;
    }
    if (space) out.push(" ");
    space = false;
    out.push(ch);
    if (out.length > max) return out.slice(0, max - 1).join("") + "…";
  }
  return out.join("");
}

/**
 * A flow step's input, unpacked: the typed words or the tapped answer, and the gentle care note
 * to show first when typed words carry distress.
 */
export function unpack(ctx: TurnContext, input: FlowInput): { typed?: string; answer?: string; before: Reply[] } {
  if (input.kind === "choice") return { answer: input.answer, before: [] };
  const care = careNoteFor(ctx, input.text);
  return { typed: input.text, before: care ? [care] : [] };
}
