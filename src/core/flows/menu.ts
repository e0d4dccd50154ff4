// The main menu: what the bot offers when it is not in the middle of something.
// WhatsApp shows up to 10 rows in a list, so the menu never grows past ten.
import type { TurnContext } from "../context.js";
import type { Choice } from "../types.js";

const MENU: readonly [command: string, label: string][] = [
  ["rejected", "menu_rejected"],
  ["reflect", "menu_reflect"],
  ["feedback", "menu_feedback"],
  ["tip", "menu_tip"],
  ["checkin", "menu_checkin"],
  ["daily", "menu_daily"],
  ["remind", "menu_remind"],
  ["goals", "menu_goals"],
  ["progress", "menu_progress"],
  ["help", "menu_help"],
];

export function menuChoices(ctx: TurnContext, only?: readonly string[]): Choice[] {
  return MENU.filter(([c]) => (!only || only.includes(c)) && ctx.commands.has(c)).map(([c, l]) => ctx.command(c, l));
}

/** Whether a command is registered (an engine with fewer flows never offers a dead end). */
export function hasCommand(ctx: TurnContext, name: string): boolean {
  return ctx.commands.has(name);
}

/** The commands the menu and other flows link to, so a test can check each is registered. */
export const MENU_COMMANDS = MENU.map(([c]) => c);

/** The menu with one command moved to the front (for `/start rejected` deep links). */
export function menuStartingWith(ctx: TurnContext, first: string): Choice[] {
  const all = menuChoices(ctx);
  const i = all.findIndex((c) => c.value === `/${first}`);
  return i <= 0 ? all : [all[i]!, ...all.slice(0, i), ...all.slice(i + 1)];
}
