// Arriving through an entry point: count the arrival, then open the entry's flow (after the
// welcome and consent for someone new; see welcome.ts). Only flows that make sense as a first
// step are here; an entry naming another command opens the menu with that command first.
import type { Turn, TurnContext } from "../context.js";
import type { EntryPoint } from "../entry.js";
import type { Flow } from "../flow.js";
import { daily } from "./daily.js";
import { feedback } from "./feedback.js";
import { reflect } from "./reflect.js";
import { rejected } from "./support.js";

const ENTRY_FLOWS: Readonly<Record<string, Flow>> = { rejected, daily, reflect, feedback };

/** The flow an entry's command opens, when it is one of these and registered in this engine. */
export function entryFlow(ctx: TurnContext, command: string): Flow | undefined {
  const flow = ENTRY_FLOWS[command];
  return flow && ctx.commands.has(command) ? flow : undefined;
}

/** Counts an arrival by entry point and channel (for /stats). Never fails the turn: a count is not worth an error. */
export async function countArrival(ctx: TurnContext, entry: EntryPoint): Promise<void> {
  await ctx.services.privacy.stats.arrived(entry.id, ctx.channel).catch(() => undefined);
}

/** The entry's flow, started; `before` (the consent thanks) goes first. */
export async function startEntry(ctx: TurnContext, flow: Flow, before: Turn["replies"] = []): Promise<Turn> {
  const turn = await flow.start(ctx, "");
  return { ...turn, replies: [...before, ...turn.replies] };
}
