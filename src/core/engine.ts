// The conversation engine: one inbound message in, the replies out. It deduplicates, reads each
// text once with the understanding layer (language, intent, risk), runs the safety tiers before
// anything else, routes commands, button presses, typed choices, flow answers and intents, lets a
// waiting flow go when a message clearly means something else (and offers to go back), and keeps
// the explicit per-user state in Redis. docs/understanding.md, "In the conversation".
import { userRef, type Logger } from "../log.js";
import { TurnContext, type FlowInput, type Turn } from "./context.js";
import type { DueRenderer, Flow } from "./flow.js";
import { menuChoices } from "./flows/menu.js";
import { primaryHelpline } from "./flows/crisis.js";
import { notUnderstood, withLanguageOffer } from "./flows/language.js";
import { matchOffered } from "./choices.js";
import { normalize } from "./matching.js";
import { fit, stateAfter, withOffered, type Carried, type Resume } from "./conversation.js";
import {
  commandWordsOf,
  FREE_TEXT_LET_GO_CONFIDENCE,
  isQuestion,
  LET_GO_CONFIDENCE,
  parseCommand,
  ROUTE_CONFIDENCE,
  yesOrNo,
  type ParsedCommand,
} from "./intents.js";
import type { ConversationState, PausedPosition } from "./ports/state.js";
import { entryByText } from "./entry.js";
import type { DueItem } from "./ports/schedule.js";
import type { CoreServices } from "./services.js";
import {
  channelOf,
  text as textReply,
  type ChannelName,
  type Choice,
  type Incoming,
  type Reply,
  type UserKey,
} from "./types.js";
import type { IntentId, Reading } from "./understanding.js";
import type { Expectation } from "./flow.js";

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

/** A stored step older than this is not answered by the next text: the user is told where we were. */
export const STALE_AFTER_MS = 3 * 60 * 60 * 1000;
/** After "I'm safe" at the concern tier, concern-level messages are not asked about again for this long. */
export const SAFE_FOR_MS = 30 * 60 * 1000;

/** Intents that may take a message away from a step waiting for a choice, yes/no, a time, a number or a name. */
const LET_GO: ReadonlySet<IntentId> = new Set([
  "stop",
  "help",
  "rejected",
  "remind",
  "daily",
  "language",
  "feedback",
  "reflect",
]);
/** A step that takes any words lets go only for these (and crisis, checked before). */
const LET_GO_FREE_TEXT: ReadonlySet<IntentId> = new Set(["stop", "help", "rejected", "remind"]);
/**
 * What a flow is about: a message of its own topic is its answer, not a new one (a reminder
 * request inside /remind; talk of the rejection inside the reflection on it, or inside the
 * request for feedback on it).
 */
const OWN_TOPIC: Readonly<Record<string, readonly IntentId[]>> = {
  remind: ["remind"],
  daily: ["daily"],
  feedback: ["feedback", "rejected"],
  reflect: ["reflect", "rejected"],
  language: ["language"],
  // Notes on an application talk about applying, interviews, offers and rejections.
  applications: ["rejected", "applied", "interview", "offer"],
  progress: ["rejected", "applied", "interview", "offer"],
  offer: ["offer"],
  practice: ["interview"],
};

/** The safety flows: never let go of, never paused (nobody is offered "back" to a crisis check). */
const SAFETY_FLOWS: ReadonlySet<string> = new Set(["crisis", "concern"]);

/** A letter of the Latin script (any accent) or a digit: text the model was trained to read. */
const LATIN_OR_DIGIT = /[\p{Script=Latin}\p{Nd}]/u;

/** Choice values of the "Shall we go back?" offer (handled by the engine itself). */
export const RESUME_BACK = "core.resume:back";
export const RESUME_DROP = "core.resume:drop";

/** What a turn decided, and what the engine carries to the next turn beside the flow's position. */
interface Decision {
  turn: Turn;
  /** The context the turn ran in (a let-go or a stale state runs the new topic without the flow). */
  ctx: TurnContext;
  carry: Carried;
  /** How to end the turn: offer to go back to the paused flow (once), or say where we were (stale). */
  offer?: "back" | "stale" | "never";
  /** A concern-level message from a user who said "safe" lately: one helpline line stays in reach. */
  inReach?: boolean;
}

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
      const {
        fresh,
        profile,
        state: stored,
        verdict,
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
      const ctx = new TurnContext(inc.user, inc.channel, profile, this.s, state, now, this.commands);
      const d = await this.decide(ctx, inc, fitted.status === "in_flow" && !stale ? fitted.resume : undefined, stale);
      const turn = await withLanguageOffer(d.ctx, inc.kind === "text" ? inc.text : undefined, this.finish(d));
      // Saved, or cleared when nothing is left to keep (a dropped state included).
      const next = stateAfter(d.ctx.state, turn, now, (flow) => this.byName.get(flow)?.version ?? 1, d.carry);
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

  private async decide(ctx: TurnContext, inc: Incoming, resume: Resume | undefined, stale: boolean): Promise<Decision> {
    const t = ctx.t;
    const safeAt = ctx.state?.safeAt;
    const recent = safeAt !== undefined && ctx.now - safeAt < SAFE_FOR_MS;
    const carry: Carried = { paused: ctx.state?.paused, safeAt: recent ? safeAt : undefined };
    const decided = (turn: Turn, extra: Partial<Decision> = {}): Decision => ({
      turn,
      ctx,
      carry,
      ...(stale ? { offer: "stale" } : {}),
      ...extra,
    });
    const menuReply = (id: string): Turn => ({ replies: [textReply(t.text(id), menuChoices(ctx))], next: "keep" });
    if (inc.kind === "unsupported") return decided(menuReply("core.unsupported"));
    if (inc.kind === "choice") return decided(await this.onChoice(ctx, inc.value, resume, carry));

    const text = inc.text.trim();
    if (text === "") return decided(menuReply("core.empty"));
    const max = this.s.settings.maxMessageChars;
    if ([...text].length > max) {
      return decided({ replies: [{ kind: "text", text: t.text("core.too_long", { max }) }], next: "keep" });
    }

    // Read once; everything below (safety, commands, let-go, routing, the flows) uses this reading.
    const reading = this.s.understanding.read(text, { language: ctx.profile.locale ?? inc.languageHint });
    ctx.reading = reading;

    // A typed number or label of an offered choice is a tap, whatever a model would make of "2".
    const typed = matchOffered(text, ctx.state?.offered ?? []);
    if (typed) return decided(await this.onChoice(ctx, typed.value, resume, carry));

    const inFlow = ctx.state?.flow ? ctx.state : null;
    // Safety first, on every text, in every flow; except an operator writing inside an
    // operator-only flow (a broadcast draft like "Feeling hopeless? Try this...") is composing
    // for others, not speaking for themselves.
    const composing = ctx.isAdmin && inFlow !== null && this.byName.get(inFlow.flow!)?.adminOnly === true;
    // Inside the crisis or concern check, every text is theirs to answer: never let go, never
    // asked "are you safe?" a second time on top.
    const inSafety = inFlow !== null && SAFETY_FLOWS.has(inFlow.flow!);
    let inReach = false;
    if (!composing && reading.risk.level === "crisis") {
      // The level and the rule, for metrics; never the text.
      const rule = reading.risk.rule;
      this.log.warn({ user: userRef(ctx.user), level: "crisis", rule }, "crisis language; helplines shown");
      // The crisis answer has the user's whole attention: no "shall we go back?" after it.
      return { turn: await this.start(ctx, "crisis", ""), ctx, carry: { safeAt: carry.safeAt } };
    }
    // The model reads Latin-script languages: emoji alone or another script ("😭😭😭", Arabic)
    // gets readings it cannot back ("offer", "concern"), so only the crisis tier acts on them.
    const readable = LATIN_OR_DIGIT.test(text);
    const concern = !composing && !inSafety && readable && reading.risk.level === "concern";
    if (concern && !this.answerShaped(ctx, inFlow, text)) {
      if (carry.safeAt === undefined) {
        this.log.info({ user: userRef(ctx.user), level: "concern" }, "ambiguous distress; asked if safe");
        const moved = inFlow ? this.setAside(ctx, inFlow, carry) : ctx;
        return { turn: await this.startOr(moved, "concern", "", "crisis"), ctx: moved, carry };
      }
      // Said "safe" lately: not asked again, but one helpline line stays in reach.
      inReach = true;
    }

    // Heavy words the model also reads as "stop" ("I can't do this anymore") are not a request
    // to stop the daily messages: read as distress.
    const meant: Reading =
      inReach && reading.intent.id === "stop" ? { ...reading, intent: { ...reading.intent, id: "distress" } } : reading;

    // A WhatsApp click-to-chat link's prefilled text, exactly: the entry point it stands for.
    const entry = entryByText(this.s.content.for(undefined), text);
    if (entry) return decided(await this.start(ctx, "start", entry.id), { inReach });

    const command = parseCommand(text, commandWordsOf(t));
    if (command && (command.slash || !inFlow || ALWAYS.has(command.name))) {
      return decided(await this.onCommand(ctx, command), { inReach });
    }

    if (inFlow && resume) {
      const flow = this.byName.get(inFlow.flow!)!;
      if (!this.mayUse(ctx, flow)) return decided(this.noLongerOperator(ctx));
      if (inSafety) return decided(await resume(ctx, { kind: "text", text }), { inReach });
      const expects = flow.expects(inFlow.step) ?? "free_text";
      const fits = this.fits(ctx, expects, text, meant);
      // A bare command word ("tip", "goals") where a choice, a number, a time or a name was asked.
      const away = command && !fits && expects !== "free_text" ? command : undefined;
      // An operator composing a broadcast writes for others: "stop midway" is the draft, not a request.
      const intent = away || !readable || composing ? undefined : this.letGoIntent(flow, expects, fits, meant);
      if (away || intent) {
        const to = away ? `/${away.name}` : intent;
        this.log.info({ user: userRef(ctx.user), flow: flow.name, step: inFlow.step, to }, "flow let go");
        const moved = this.setAside(ctx, inFlow, carry);
        // "Stop" means quiet: no offer to go back after it.
        if (intent === "stop" || away?.name === "stop") carry.paused = undefined;
        const turn = away ? await this.onCommand(moved, away) : await this.route(moved, intent, text);
        return { turn, ctx: moved, carry, inReach };
      }
      // Only short words and questions are refused ("hi", "yes", "tip", "what?"); a longer
      // sentence goes to the step, which may find the name in it or keep it as told.
      const short = text.split(/\s+/).length <= 3 || /[?？؟]\s*$/u.test(text);
      const named = expects === "company" || expects === "role" || expects === "person";
      if (named && short && !flow.checksNames(inFlow.step) && !ctx.entities.plausible(text, expects)) {
        // "hi" is not the interviewer's name: asked again kindly, nothing stored.
        const again = textReply(t.text(`core.implausible_${expects}`), inFlow.asked?.choices ?? inFlow.offered);
        return decided({ replies: [again], next: "keep" }, { inReach });
      }
      return decided(await resume(ctx, { kind: "text", text }), { inReach });
    }

    return decided(await this.route(ctx, readable ? intentOf(meant) : undefined, text), { inReach });
  }

  /**
   * Whether a concern-level reading is more likely the model misreading a bare answer: a slash
   * command, a bare number or time ("seven", "7:30", "2 people": short texts the risk head has
   * seen little of), or exactly what a waiting step asks for (yes/no, a time, a number, a date).
   * Only the concern tier is skipped for these, never the crisis answer.
   */
  private answerShaped(ctx: TurnContext, inFlow: ConversationState | null, text: string): boolean {
    if (text.startsWith("/")) return true;
    // A whole message that is a command word ("stop everything", "help"): the user is using the bot.
    if (commandWordsOf(ctx.t).has(normalize(text))) return true;
    const words = text.split(/\s+/).length;
    const e = ctx.entities;
    if (words <= 3 && (e.count(text) !== undefined || e.timeOfDay(text) !== undefined)) return true;
    const expects = inFlow?.flow ? this.byName.get(inFlow.flow)?.expects(inFlow.step) : undefined;
    if (expects === "yes_no") return yesOrNo(ctx.t, text) !== undefined;
    const structured = expects === "time" || expects === "number" || expects === "date";
    return structured && this.fits(ctx, expects, text, ctx.reading!);
  }

  /** Whether typed text fits what the waiting step asks for (then it is the answer, whatever its intent). */
  private fits(ctx: TurnContext, expects: Expectation, text: string, reading: Reading): boolean {
    switch (expects) {
      case "yes_no":
        return reading.intent.id === "yes" || reading.intent.id === "no" || yesOrNo(ctx.t, text) !== undefined;
      case "time":
        return ctx.entities.timeOfDay(text) !== undefined;
      case "number":
        return ctx.entities.count(text) !== undefined;
      case "date":
        return ctx.entities.reminder(text, ctx.now, ctx.timezone, { needText: false }).status !== "no_date";
      case "company":
      case "role":
      case "person":
        return ctx.entities.plausible(text, expects);
      case "choice":
        // A typed number or label of an offered choice was taken before this is asked.
        return false;
      case "free_text":
        return true;
    }
  }

  /** The intent a message clearly means instead of answering the waiting step, if any. */
  private letGoIntent(flow: Flow, expects: Expectation, fits: boolean, reading: Reading): IntentId | undefined {
    const { id, confidence } = reading.intent;
    if (OWN_TOPIC[flow.name]?.includes(id)) return undefined;
    if (expects === "free_text") {
      return LET_GO_FREE_TEXT.has(id) && confidence >= FREE_TEXT_LET_GO_CONFIDENCE ? id : undefined;
    }
    return !fits && LET_GO.has(id) && confidence >= LET_GO_CONFIDENCE ? id : undefined;
  }

  /** The context for a new topic with the waiting flow set aside as `paused` (it is offered back later). */
  private setAside(ctx: TurnContext, inFlow: ConversationState, carry: Carried): TurnContext {
    if (!SAFETY_FLOWS.has(inFlow.flow!)) carry.paused = positionOf(inFlow);
    const moved = new TurnContext(ctx.user, ctx.channel, ctx.profile, this.s, setAside(inFlow), ctx.now, this.commands);
    moved.reading = ctx.reading;
    return moved;
  }

  /** What a message means outside a flow, by its intent (undefined: not sure enough). */
  private route(ctx: TurnContext, intent: IntentId | undefined, text: string): Promise<Turn> {
    switch (intent) {
      case "rejected":
        return this.startOr(ctx, "rejected", "");
      case "help":
        return this.startOr(ctx, "help", "");
      case "applied":
      case "interview":
        // "How do I prepare for an interview at Absa?" asks for help preparing; it logs nothing.
        if (isQuestion(text)) return this.startOr(ctx, "practice", "", "tip");
        return this.startOr(ctx, "progress", text);
      case "offer":
        return this.startOr(ctx, this.byName.has("offer") ? "offer" : "progress", text);
      case "distress":
        // The words go along: money worries there get the practical help offered.
        return this.startOr(ctx, "wellbeing", text);
      case "greeting":
        return this.startOr(ctx, ctx.profile.isNew ? "start" : "help", "");
      case "thanks":
        return Promise.resolve(menuTurn(ctx, "core.thanks"));
      case "stop":
        return this.startOr(ctx, "stop", "");
      case "remind":
        return this.startOr(ctx, "remind", text);
      case "daily":
        return this.startOr(ctx, "daily", text);
      case "feedback":
      case "reflect":
      case "tip":
      case "language":
        return this.startOr(ctx, intent, "");
      case "yes":
      case "no":
        return Promise.resolve(menuTurn(ctx, "core.menu_prompt"));
      default:
        return Promise.resolve({ replies: [notUnderstood(ctx)], next: "keep" });
    }
  }

  /** Closes a turn: the helpline line kept in reach, "shall we go back?" once, the user's "I'm safe" remembered. */
  private finish(d: Decision): Turn {
    let turn = d.turn;
    if (d.inReach) turn = withLineInReach(d.ctx, turn);
    if (turn.saidSafe) d.carry.safeAt = d.ctx.now;
    if (turn.next !== null && turn.next !== "keep" && turn.next.flow === "crisis") d.carry.paused = undefined;
    const p = d.carry.paused;
    const ended = turn.next === null || (turn.next === "keep" && !d.ctx.state?.flow);
    if (p && !p.offered && ended && this.byName.has(p.flow)) {
      const offered = withResumeOffer(d.ctx, turn, p.flow, d.offer === "stale");
      if (offered) {
        turn = offered;
        d.carry.paused = { ...p, offered: true };
      }
    }
    return turn;
  }

  private async onCommand(ctx: TurnContext, cmd: ParsedCommand): Promise<Turn> {
    const flow = this.byCommand.get(cmd.name);
    if (!flow || !this.mayUse(ctx, flow)) {
      return {
        replies: [
          {
            kind: "text",
            text: ctx.t.text("core.unknown_command", { command: `/${cmd.name}` }),
            choices: menuChoices(ctx),
          },
        ],
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
    this.log.info(
      { user: userRef(ctx.user), flow: ctx.state?.flow },
      "operator-only flow closed: the user is no longer in ADMIN_IDS",
    );
    return {
      replies: [{ kind: "text", text: ctx.t.text("core.no_longer_operator"), choices: menuChoices(ctx) }],
      next: null,
    };
  }

  private start(ctx: TurnContext, flowName: string, arg: string): Promise<Turn> {
    const flow = this.byName.get(flowName);
    if (!flow) throw new Error(`flow ${flowName} is not registered`);
    return flow.start(ctx, arg);
  }

  /**
   * Starts a flow by name; a deployment without it (or a user who may not use it) gets the
   * fallback flow, then /help, then "didn't catch that": never a dead end, never a throw.
   */
  private startOr(ctx: TurnContext, flowName: string, arg: string, fallback = "help"): Promise<Turn> {
    for (const name of [flowName, fallback, "help"]) {
      const flow = this.byName.get(name);
      if (flow && this.mayUse(ctx, flow)) return flow.start(ctx, name === flowName ? arg : "");
    }
    return Promise.resolve({ replies: [notUnderstood(ctx)], next: "keep" });
  }

  private async onChoice(ctx: TurnContext, value: string, resume: Resume | undefined, carry: Carried): Promise<Turn> {
    if (value === RESUME_BACK) return this.goBack(ctx, carry);
    if (value === RESUME_DROP) {
      carry.paused = undefined;
      return { replies: [textReply(ctx.t.text("core.resume_dropped"), menuChoices(ctx))], next: null };
    }
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
    return {
      replies: [{ kind: "text", text: ctx.t.text("core.expired_button"), choices: menuChoices(ctx) }],
      next: "keep",
    };
  }

  /** "Go back": the paused step's question asked again (or its flow started again), its data kept. */
  private async goBack(ctx: TurnContext, carry: Carried): Promise<Turn> {
    const p = carry.paused;
    carry.paused = undefined;
    const flow = p ? this.byName.get(p.flow) : undefined;
    const stored = p && { v: 1, flow: p.flow, fv: p.fv, step: p.step, data: p.data, offered: [], updatedAt: ctx.now };
    const fitted = stored ? fit(stored, this.byName) : undefined;
    if (!p || !flow || fitted?.status !== "in_flow" || !this.mayUse(ctx, flow)) {
      return { replies: [textReply(ctx.t.text("core.resume_gone"), menuChoices(ctx))], next: null };
    }
    if (!p.asked) return flow.start(ctx, "");
    return { replies: [textReply(p.asked.text, p.asked.choices)], next: { flow: p.flow, step: p.step, data: p.data } };
  }
}

/** A text with the menu, leaving the conversation where it was. */
function menuTurn(ctx: TurnContext, id: string): Turn {
  return { replies: [textReply(ctx.t.text(id), menuChoices(ctx))], next: "keep" };
}

/** Where a stored conversation stood, to be offered back. */
function positionOf(s: ConversationState): PausedPosition {
  const fv = s.fv !== undefined ? { fv: s.fv } : {};
  return { flow: s.flow!, ...fv, step: s.step, data: s.data, ...(s.asked ? { asked: s.asked } : {}) };
}

/** The state with its flow set aside as `paused`: the turn runs as if no flow waited. */
function setAside(s: ConversationState): ConversationState {
  const safe = s.safeAt !== undefined ? { safeAt: s.safeAt } : {};
  const kept = SAFETY_FLOWS.has(s.flow!) ? s.paused : positionOf(s);
  const paused = kept ? { paused: kept } : {};
  return { v: s.v, flow: null, step: "", data: {}, offered: [], updatedAt: s.updatedAt, ...paused, ...safe };
}

/** The intent to act on: sure enough, and not "other". */
function intentOf(reading: Reading): IntentId | undefined {
  const { id, confidence } = reading.intent;
  return id !== "other" && confidence >= ROUTE_CONFIDENCE ? id : undefined;
}

/** A flow's title for "Shall we go back to your reflection?" (messages/<locale>/core.yaml, data.flow_titles). */
function titleOf(ctx: TurnContext, flow: string): string {
  for (const t of [ctx.t, ctx.services.content.for(undefined)]) {
    try {
      const titles = t.dataOf<Record<string, string>>("flow_titles");
      const title = Object.hasOwn(titles, flow) ? titles[flow] : titles.default;
      if (title) return title;
    } catch {
      // A catalog without titles: the default locale's.
    }
  }
  return flow;
}

/**
 * The turn with "Shall we go back to your <flow>?" (or, for a stale state, "Welcome back, we
 * were in the middle of...") at its end: a message of its own while the turn has fewer than
 * three, else joined to the last text message (its buttons replaced). Undefined when it cannot
 * be placed (three messages, the last not text).
 */
function withResumeOffer(ctx: TurnContext, turn: Turn, flow: string, stale: boolean): Turn | undefined {
  const words = ctx.t.text(stale ? "core.resume_stale" : "core.resume_offer", { flow: titleOf(ctx, flow) });
  const choices: Choice[] = [
    { label: ctx.t.label("go_back"), value: RESUME_BACK },
    { label: ctx.t.label(stale ? "start_fresh" : "no_thanks"), value: RESUME_DROP },
  ];
  if (turn.replies.length < 3) return { ...turn, replies: [...turn.replies, textReply(words, choices)] };
  const last = turn.replies[turn.replies.length - 1]!;
  if (last.kind !== "text") return undefined;
  return { ...turn, replies: [...turn.replies.slice(0, -1), textReply(`${last.text}\n\n${words}`, choices)] };
}

/** One helpline line joined to the last text message, for a concern-level message after "I'm safe". */
function withLineInReach(ctx: TurnContext, turn: Turn): Turn {
  const line = ctx.t.text("safety.in_reach", { helpline: primaryHelpline(ctx) });
  for (let i = turn.replies.length - 1; i >= 0; i--) {
    const r = turn.replies[i]!;
    if (r.kind !== "text") continue;
    const replies = [...turn.replies];
    replies[i] = textReply(`${r.text}\n\n${line}`, r.choices);
    return { ...turn, replies };
  }
  return turn.replies.length < 3 ? { ...turn, replies: [...turn.replies, textReply(line)] } : turn;
}
