// The conversation engine: one inbound message in, the replies out. It deduplicates, runs the
// safety check before anything else, routes commands, button presses, typed choices, flow
// answers and plain-words intents, and keeps the explicit per-user state in Redis.
import { userRef, type Logger } from "../log.js";
import { TurnContext, type FlowInput, type Turn } from "./context.js";
import type { DueRenderer, Flow } from "./flow.js";
import { menuChoices } from "./flows/menu.js";
import { matchOffered } from "./choices.js";
import { fit, stateAfter, withOffered, type Resume } from "./conversation.js";
import { commandWordsOf, detectIntent, parseCommand, type ParsedCommand } from "./intents.js";
import type { DueItem } from "./ports/schedule.js";
import { detectorFor } from "./safety.js";
import type { CoreServices } from "./services.js";
import { channelOf, type ChannelName, type Incoming, type Reply, type UserKey } from "./types.js";

export type Outcome =
  | { status: "handled"; replies: Reply[] }
  | { status: "duplicate" }
  /** Over the per-user message limit: one polite note the first time, then nothing. */
  | { status: "limited"; replies: Reply[] }
  /** Something failed (Redis down...): the user still gets a kind "give me a moment". */
  | { status: "failed"; replies: Reply[]; error: unknown };

/** What the engine reports to whoever watches it (metrics): no message text, ever. */
export type EngineEvent =
  | { type: "update"; channel: ChannelName; user: UserKey; outcome: Outcome["status"]; replies: number; ms: number }
  | { type: "due"; kind: string; outcome: "rendered" | "dropped"; ms: number };

export interface EngineOptions {
  /** Called after each update and each rendered due item; must not throw (errors are ignored). */
  observe?: (event: EngineEvent) => void;
}

/** Bare words that always work, even while a flow waits for free text. */
const ALWAYS = new Set(["cancel", "stop", "help", "start", "menu"]);

export class Engine {
  private readonly byCommand = new Map<string, Flow>();
  private readonly byName = new Map<string, Flow>();
  private readonly dueRenderers = new Map<string, DueRenderer>();
  private readonly commands: ReadonlySet<string>;

  constructor(
    private readonly s: CoreServices,
    flows: readonly Flow[],
    private readonly log: Logger,
    private readonly options: EngineOptions = {},
  ) {
    for (const f of flows) {
      if (this.byName.has(f.name)) throw new Error(`two flows named ${f.name}`);
      this.byName.set(f.name, f);
      for (const c of f.commands) {
        if (this.byCommand.has(c)) throw new Error(`command /${c} registered twice`);
        this.byCommand.set(c, f);
      }
      for (const [kind, render] of Object.entries(f.due ?? {})) {
        if (this.dueRenderers.has(kind)) throw new Error(`due kind ${kind} registered twice`);
        this.dueRenderers.set(kind, render);
      }
    }
    // Menus offer only what is registered, so a deployment never offers a dead end.
    this.commands = new Set(this.byCommand.keys());
  }

  /** The commands users can see (for Telegram's setMyCommands and /help), admin ones excluded. */
  publicCommands(): string[] {
    return [...this.byCommand.entries()].filter(([, f]) => !f.adminOnly).map(([c]) => c);
  }

  flow(name: string): Flow | undefined {
    return this.byName.get(name);
  }

  async handle(inc: Incoming): Promise<Outcome> {
    const started = performance.now();
    const outcome = await this.handleOnce(inc);
    this.emit({
      type: "update",
      channel: inc.channel,
      user: inc.user,
      outcome: outcome.status,
      replies: outcome.status === "duplicate" ? 0 : outcome.replies.length,
      ms: performance.now() - started,
    });
    return outcome;
  }

  private emit(event: EngineEvent): void {
    try {
      this.options.observe?.(event);
    } catch {
      // A metrics problem must never cost a user their answer.
    }
  }

  private async handleOnce(inc: Incoming): Promise<Outcome> {
    const started = this.s.clock.now();
    try {
      const now = this.s.clock.now();
      // One round trip: dedup, flood count, profile touch, state. Touching the profile of a
      // duplicate only refreshes lastSeenAt: harmless. The terminal chat is the operator's own:
      // pasted input must not trip the flood limit.
      const { fresh, profile, state: stored, verdict } = await this.s.state.turns.begin(inc.user, now, {
        update: { channel: inc.channel, id: inc.updateId },
        flood: inc.channel !== "console",
        languageHint: inc.languageHint,
      });
      if (!fresh) {
        if (this.log.isLevelEnabled("debug")) this.log.debug({ user: userRef(inc.user), update: inc.updateId }, "duplicate update dropped");
        return { status: "duplicate" };
      }
      // The flood verdict counts a message from a flooding user before any work is done for it.
      if (verdict === "quiet") return { status: "limited", replies: [] };
      if (verdict === "note") {
        this.log.info({ user: userRef(inc.user) }, "user over the message limit; told once");
        return { status: "limited", replies: [{ kind: "text", text: this.s.content.for(profile.locale).text("privacy.flood") }] };
      }
      const fitted = fit(stored, this.byName);
      if (fitted.status === "dropped") this.log.info({ flow: fitted.stored.flow, version: fitted.stored.fv ?? 1 }, "conversation state of another shape dropped");
      const ctx = new TurnContext(inc.user, inc.channel, profile, this.s, fitted.state, now, this.commands);
      const turn = await this.decide(ctx, inc, fitted.status === "in_flow" ? fitted.resume : undefined);
      // Saved, or cleared when nothing is left to keep (a dropped state included).
      const next = stateAfter(ctx.state, turn, ctx.now, (flow) => this.byName.get(flow)?.version ?? 1);
      if (next) await this.s.state.conversations.save(ctx.user, next);
      else if (stored) await this.s.state.conversations.clear(ctx.user);
      if (this.log.isLevelEnabled("debug")) this.log.debug({ user: userRef(inc.user), kind: inc.kind, ms: this.s.clock.now() - started }, "update handled");
      return { status: "handled", replies: turn.replies };
    } catch (error) {
      this.log.error({ err: error, user: userRef(inc.user), update: inc.updateId }, "update failed");
      // Let a redelivery of this update be processed once things work again.
      await this.s.state.dedup.release(inc.channel, inc.updateId).catch(() => undefined);
      return { status: "failed", replies: [{ kind: "text", text: this.s.content.for(undefined).text("core.busy") }], error };
    }
  }

  /**
   * Renders a scheduled item for delivery, or returns undefined when its user no longer exists
   * (they used /forget) or the kind is unknown (an item from a newer deploy).
   */
  async renderDue(item: DueItem): Promise<Reply[] | undefined> {
    const started = performance.now();
    const replies = await this.renderDueOnce(item);
    this.emit({ type: "due", kind: item.kind, outcome: replies ? "rendered" : "dropped", ms: performance.now() - started });
    return replies;
  }

  private async renderDueOnce(item: DueItem): Promise<Reply[] | undefined> {
    const render = this.dueRenderers.get(item.kind);
    const profile = await this.s.state.profiles.get(item.user);
    if (!render || !profile) return undefined;
    const state = await this.s.state.conversations.load(item.user);
    const ctx = new TurnContext(item.user, channelOf(item.user), profile, this.s, state, this.s.clock.now(), this.commands);
    const replies = await render(ctx, item);
    const next = withOffered(state, replies, ctx.now);
    if (next) await this.s.state.conversations.save(item.user, next);
    return replies;
  }

  private async decide(ctx: TurnContext, inc: Incoming, resume: Resume | undefined): Promise<Turn> {
    const t = ctx.t;
    if (inc.kind === "unsupported") {
      return { replies: [{ kind: "text", text: t.text("core.unsupported"), choices: menuChoices(ctx) }], next: "keep" };
    }
    if (inc.kind === "choice") return this.onChoice(ctx, inc.value, resume);

    const text = inc.text.trim();
    if (text === "") return { replies: [{ kind: "text", text: t.text("core.empty"), choices: menuChoices(ctx) }], next: "keep" };
    const max = this.s.settings.maxMessageChars;
    if ([...text].length > max) {
      return { replies: [{ kind: "text", text: t.text("core.too_long", { max }) }], next: "keep" };
    }

    const inFlow = ctx.state?.flow ? ctx.state : null;
    // Safety first, on every text, in every flow; except an operator writing inside an
    // operator-only flow (a broadcast draft like "Feeling hopeless? Try this...") is composing
    // for others, not speaking for themselves.
    const composing = ctx.isAdmin && inFlow !== null && this.byName.get(inFlow.flow!)?.adminOnly === true;
    const verdict = composing ? ({ status: "ok" } as const) : detectorFor(t).check(text);
    if (verdict.status === "crisis") {
      this.log.warn({ user: userRef(ctx.user) }, "crisis language detected; helplines shown");
      return this.start(ctx, "crisis", "");
    }

    const command = parseCommand(text, commandWordsOf(t));
    if (command && (command.slash || !inFlow || ALWAYS.has(command.name))) return this.onCommand(ctx, command);

    const typed = matchOffered(text, ctx.state?.offered ?? []);
    if (typed) return this.onChoice(ctx, typed.value, resume);

    if (inFlow && resume) {
      if (!this.mayUse(ctx, this.byName.get(inFlow.flow!)!)) return this.noLongerOperator(ctx);
      return resume(ctx, { kind: "text", text });
    }

    switch (detectIntent(t, text)) {
      case "rejected":
        return this.start(ctx, "rejected", "");
      case "help":
        return this.start(ctx, "help", "");
      case "applied":
        return this.start(ctx, "progress", text);
      case "distress":
        return this.start(ctx, "wellbeing", "");
      case "greeting":
        return this.start(ctx, ctx.profile.isNew ? "start" : "help", "");
      case "thanks":
        return { replies: [{ kind: "text", text: t.text("core.thanks"), choices: menuChoices(ctx) }], next: "keep" };
      default:
        return { replies: [{ kind: "text", text: t.text("core.not_understood"), choices: menuChoices(ctx) }], next: "keep" };
    }
  }

  private async onCommand(ctx: TurnContext, cmd: ParsedCommand): Promise<Turn> {
    const flow = this.byCommand.get(cmd.name);
    if (!flow || !this.mayUse(ctx, flow)) {
      return {
        replies: [{ kind: "text", text: ctx.t.text("core.unknown_command", { command: `/${cmd.name}` }), choices: menuChoices(ctx) }],
        next: "keep",
      };
    }
    return flow.start(ctx, cmd.arg);
  }

  /**
   * Operator-only flows are checked on every step, not only when they start: ADMIN_IDS is read
   * at each turn, so an operator removed from it (and the process restarted) cannot confirm a
   * broadcast drafted before.
   */
  private mayUse(ctx: TurnContext, flow: Flow): boolean {
    return !flow.adminOnly || ctx.isAdmin;
  }

  /** A former operator's half-finished operator flow: closed, said kindly, nothing done. */
  private noLongerOperator(ctx: TurnContext): Turn {
    this.log.info({ user: userRef(ctx.user), flow: ctx.state?.flow }, "operator-only flow closed: the user is no longer in ADMIN_IDS");
    return { replies: [{ kind: "text", text: ctx.t.text("core.no_longer_operator"), choices: menuChoices(ctx) }], next: null };
  }

  private start(ctx: TurnContext, flowName: string, arg: string): Promise<Turn> {
    const flow = this.byName.get(flowName);
    if (!flow) throw new Error(`flow ${flowName} is not registered`);
    return flow.start(ctx, arg);
  }

  private async onChoice(ctx: TurnContext, value: string, resume: Resume | undefined): Promise<Turn> {
    if (value.startsWith("/")) {
      const [name, ...rest] = value.slice(1).split(" ");
      return this.onCommand(ctx, { name: name!.toLowerCase(), arg: rest.join(" "), slash: true });
    }
    const m = /^([a-z0-9_]+)\.([a-z0-9_]+):(.*)$/i.exec(value);
    const flow = m ? this.byName.get(m[1]!) : undefined;
    const st = ctx.state;
    if (m && flow && resume && st && st.flow === m[1] && st.step === m[2]) {
      if (!this.mayUse(ctx, flow)) return this.noLongerOperator(ctx);
      const input: FlowInput = { kind: "choice", answer: m[3]! };
      return resume(ctx, input);
    }
    // A button from an earlier conversation (expired, finished, or from before a deploy).
    return { replies: [{ kind: "text", text: ctx.t.text("core.expired_button"), choices: menuChoices(ctx) }], next: "keep" };
  }
}
