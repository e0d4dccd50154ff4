// A flow is a small explicit state machine with typed steps and typed data. `defineFlow` names
// its steps (each answers the user's input in that step), the data it collects (a zod schema),
// and a version: stored state is read back through the schema, and a conversation written by
// another version, or whose data no longer fits, is dropped for this flow alone (the user is
// treated as after an expiry). `goTo(flow, step, data)` accepts only that flow's steps and data
// shape. Single-turn commands are `defineCommand`: no steps, no data.
import type { z } from "zod";
import type { FlowInput, Turn, TurnContext } from "./context.js";
import type { DueItem } from "./ports/schedule.js";
import type { FlowData } from "./ports/state.js";
import type { Reply } from "./types.js";

/**
 * What a step asks for, so the engine can tell an answer from a message that means something
 * else (issue 12): a tap on the offered choices, yes or no, a time of day, a date, a number,
 * a company, a role or a person's name, or any words.
 */
export type Expectation =
  | "choice"
  | "yes_no"
  | "time"
  | "date"
  | "number"
  | "company"
  | "role"
  | "person"
  | "free_text";

export interface Step<D> {
  expects?: Expectation;
  /**
   * The step checks a typed name itself and asks again in its own words (feedback, goals): the
   * engine still lets go of it for another topic, but leaves the "that's not a name" re-ask to it.
   */
  checksNames?: boolean;
  /** Handles the user's input in this step; `data` is what the flow collected, checked against its schema. */
  answer(ctx: TurnContext, data: D, input: FlowInput): Promise<Turn>;
}

/**
 * Renders scheduled items of a kind when they come due (reminders, daily messages, follow-ups).
 * Choices on proactive messages should be commands with arguments (`/snooze <id>`), which work
 * whatever state the conversation is in by then.
 */
export type DueRenderer = (ctx: TurnContext, item: DueItem) => Promise<Reply[]>;

/** What the engine sees of any flow. */
export interface Flow {
  /** Short name, used in state and in choice values (`<name>.<step>:<answer>`, under 64 bytes). */
  readonly name: string;
  readonly version: number;
  /** Commands that start this flow, without the slash. */
  readonly commands: readonly string[];
  /** Only for ADMIN_IDS; anyone else is told the command does not exist. */
  readonly adminOnly?: boolean;
  start(ctx: TurnContext, arg: string): Promise<Turn>;
  /**
   * The handler for a stored step, with the stored data read through the flow's schema; undefined
   * when the state does not fit this flow (another version, an unknown step, data of another shape).
   */
  resume(
    version: number,
    step: string,
    data: unknown,
  ): ((ctx: TurnContext, input: FlowInput) => Promise<Turn>) | undefined;
  /**
   * What a stored step asks for (undefined: an unknown step, or a step that did not say), so the
   * engine can tell an answer from a message that means something else and let the flow go.
   */
  expects(step: string): Expectation | undefined;
  /** Whether that step checks typed names itself (Step.checksNames). */
  checksNames(step: string): boolean;
  readonly due?: Readonly<Record<string, DueRenderer>>;
}

export interface FlowDefinition<D extends FlowData, S extends string> {
  name: string;
  /** Bump it when the steps or the data change shape: conversations of the old shape are dropped. */
  version: number;
  commands: readonly string[];
  adminOnly?: boolean;
  /** What the flow collects across its steps. */
  data: z.ZodType<D>;
  /**
   * Opens the flow. Handlers declare `Promise<Turn>`: their bodies name the flow itself (in
   * goTo), and TypeScript needs the return type before it reads them.
   */
  start(ctx: TurnContext, arg: string): Promise<Turn>;
  steps: { [K in S]: Step<D> };
  due?: Record<string, DueRenderer>;
}

/** A flow with its steps and data typed, for goTo and ctx.answer. */
export interface TypedFlow<D extends FlowData, S extends string> extends Flow {
  readonly data: z.ZodType<D>;
  readonly steps: { readonly [K in S]: Step<D> };
}

export function defineFlow<D extends FlowData, S extends string>(def: FlowDefinition<D, S>): TypedFlow<D, S> {
  const steps: Readonly<Record<string, Step<D>>> = def.steps;
  return {
    ...def,
    resume(version, step, data) {
      // Own keys only: a stored step named "toString" must not find Object's.
      if (version !== def.version || !Object.hasOwn(steps, step)) return undefined;
      const parsed = def.data.safeParse(data);
      if (!parsed.success) return undefined;
      const handler = steps[step]!;
      return (ctx, input) => handler.answer(ctx, parsed.data, input);
    },
    checksNames(step) {
      return Object.hasOwn(steps, step) && steps[step]!.checksNames === true;
    },
    expects(step) {
      return Object.hasOwn(steps, step) ? steps[step]!.expects : undefined;
    },
  };
}

export interface CommandDefinition {
  name: string;
  commands: readonly string[];
  adminOnly?: boolean;
  start(ctx: TurnContext, arg: string): Promise<Turn>;
  due?: Record<string, DueRenderer>;
}

/** A single-turn command: it answers and ends (or leaves the conversation where it was: `aside`). */
export function defineCommand(def: CommandDefinition): Flow {
  return { ...def, version: 1, resume: () => undefined, expects: () => undefined, checksNames: () => false };
}

/** The conversation continues at `step` of `flow`, with `data`. */
export function goTo<D extends FlowData, S extends string>(
  flow: TypedFlow<D, S>,
  step: NoInfer<S>,
  data: NoInfer<D>,
  ...replies: Reply[]
): Turn {
  return { replies, next: { flow: flow.name, step, data } };
}
