// The conversation engine: one inbound message in, the replies out. It deduplicates, applies the
// flood limit and loads the user's state in one round trip, has the turn decided (engine/decide.ts:
// the safety tiers, then commands, buttons, typed choices, flow answers and intents, routed by
// engine/routes.ts; a waiting flow let go and offered back by engine/letgo.ts), and keeps the
// explicit per-user state in Redis. It renders scheduled items too. docs/understanding.md, "In the
// conversation".
import { userRef, type Logger } from "../log.js";
import { TurnContext } from "./context.js";
import { fit, stateAfter, withOffered } from "./conversation.js";
import type { DueRenderer, Flow } from "./flow.js";
import { withLanguageOffer } from "./flows/language.js";
import type { DueItem } from "./ports/schedule.js";
import type { CoreServices } from "./services.js";
import { TurnSeen } from "./seen.js";
import { channelOf, type ChannelName, type Incoming, type Reply, type UserKey } from "./types.js";
import { decide, finish, type DecideDeps } from "./engine/decide.js";
import { setAside } from "./engine/letgo.js";
import { Routes } from "./engine/routes.js";

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

/** A stored step older than this is not answered by the next text: the user is told where we were. */
export const STALE_AFTER_MS = 3 * 60 * 60 * 1000;

export class Engine {
  private readonly byCommand = new Map<string, Flow>();
  private readonly byName = new Map<string, Flow>();
  private readonly dueRenderers = new Map<string, DueRenderer>();
  private readonly commands: ReadonlySet<string>;
  /** What deciding a turn needs: the flows, where messages lead, the log. */
  private readonly turns: DecideDeps;

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
    this.turns = { flows: this.byName, routes: new Routes(this.byName, this.byCommand, log), log };
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
      const {
        fresh,
        profile,
        state: stored,
        verdict,
        seen: seenAtStart,
      } = await this.s.state.turns.begin(inc.user, now, {
        update: { channel: inc.channel, id: inc.updateId },
        flood: inc.channel !== "console",
        languageHint: inc.languageHint,
      });
      if (!fresh) {
        if (this.log.isLevelEnabled("debug"))
          this.log.debug({ user: userRef(inc.user), update: inc.updateId }, "duplicate update dropped");
        return { status: "duplicate" };
      }
      // The flood verdict counts a message from a flooding user before any work is done for it.
      if (verdict === "quiet") return { status: "limited", replies: [] };
      if (verdict === "note") {
        this.log.info({ user: userRef(inc.user) }, "user over the message limit; told once");
        return {
          status: "limited",
          replies: [{ kind: "text", text: this.s.content.for(profile.locale).text("privacy.flood") }],
        };
      }
      const fitted = fit(stored, this.byName);
      if (fitted.status === "dropped")
        this.log.info(
          { flow: fitted.stored.flow, version: fitted.stored.fv ?? 1 },
          "conversation state of another shape dropped",
        );
      // A step left hours ago is not answered by the next text: the user is told where we were,
      // and the text is read as if no flow waited (docs/understanding.md, "Stale state").
      const stale = fitted.status === "in_flow" && inc.kind === "text" && now - fitted.state.updatedAt > STALE_AFTER_MS;
      const state = stale ? setAside(fitted.state) : fitted.state;
      const seen = new TurnSeen(this.s.state.seen, inc.user, seenAtStart);
      const ctx = new TurnContext(inc.user, inc.channel, profile, this.s, state, now, this.commands, seen);
      const resume = fitted.status === "in_flow" && !stale ? fitted.resume : undefined;
      const d = await decide(this.turns, ctx, inc, resume, stale);
      const turn = await withLanguageOffer(d.ctx, inc.kind === "text" ? inc.text : undefined, finish(d, this.byName));
      // Saved, or cleared when nothing is left to keep (a dropped state included).
      const next = stateAfter(d.ctx.state, turn, now, (flow) => this.byName.get(flow)?.version ?? 1, d.carry);
      // The variants picked were written while the turn went on; a failed write fails the turn
      // before its state is saved, as when each was awaited.
      await seen.settle();
      if (next) await this.s.state.conversations.save(ctx.user, next);
      else if (stored) await this.s.state.conversations.clear(ctx.user);
      if (this.log.isLevelEnabled("debug"))
        this.log.debug({ user: userRef(inc.user), kind: inc.kind, ms: this.s.clock.now() - started }, "update handled");
      return { status: "handled", replies: turn.replies };
    } catch (error) {
      this.log.error({ err: error, user: userRef(inc.user), update: inc.updateId }, "update failed");
      // Let a redelivery of this update be processed once things work again.
      await this.s.state.dedup.release(inc.channel, inc.updateId).catch(() => undefined);
      return {
        status: "failed",
        replies: [{ kind: "text", text: this.s.content.for(undefined).text("core.busy") }],
        error,
      };
    }
  }

  /**
   * Renders a scheduled item for delivery, or returns undefined when its user no longer exists
   * (they used /forget) or the kind is unknown (an item from a newer deploy).
   */
  async renderDue(item: DueItem): Promise<Reply[] | undefined> {
    const started = performance.now();
    const replies = await this.renderDueOnce(item);
    this.emit({
      type: "due",
      kind: item.kind,
      outcome: replies ? "rendered" : "dropped",
      ms: performance.now() - started,
    });
    return replies;
  }

  private async renderDueOnce(item: DueItem): Promise<Reply[] | undefined> {
    const render = this.dueRenderers.get(item.kind);
    const profile = await this.s.state.profiles.get(item.user);
    if (!render || !profile) return undefined;
    const state = await this.s.state.conversations.load(item.user);
    const ctx = new TurnContext(
      item.user,
      channelOf(item.user),
      profile,
      this.s,
      state,
      this.s.clock.now(),
      this.commands,
    );
    const replies = await render(ctx, item);
    const next = withOffered(state, replies, ctx.now);
    if (next) await this.s.state.conversations.save(item.user, next);
    return replies;
  }
}
