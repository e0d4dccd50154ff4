// A flow is a small explicit state machine: `start` opens it (from a command, a button or an
// intent), `answer` moves it one step with the user's input. Single-turn commands are flows
// without `answer`.
import type { FlowData } from "./ports/state.js";
import type { FlowInput, Turn, TurnContext } from "./context.js";
import type { DueItem } from "./ports/schedule.js";
import type { Reply } from "./types.js";

export interface Flow {
  /** Short name, used in state and in choice values (`<name>.<step>:<answer>`). */
  name: string;
  /** Commands that start this flow, without the slash. */
  commands: readonly string[];
  /** Only for ADMIN_IDS; anyone else is told the command does not exist. */
  adminOnly?: boolean;
  start(ctx: TurnContext, arg: string): Promise<Turn>;
  answer?(ctx: TurnContext, step: string, data: FlowData, input: FlowInput): Promise<Turn>;
  /**
   * Renders scheduled items of the given kinds when they come due (reminders, daily messages,
   * follow-ups). Choices on proactive messages should be commands with arguments
   * (`/snooze <id>`), which work whatever state the conversation is in by then.
   */
  due?: Record<string, (ctx: TurnContext, item: DueItem) => Promise<Reply[]>>;
}
