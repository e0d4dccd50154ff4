// What one message leads to, in the order that keeps users safe: an unsupported or empty message,
// a tap, then (for text, read once) a typed choice, the safety tiers, an entry link, a command,
// the waiting step's answer (or letting it go for what the message clearly means), and otherwise
// the model's intent. Then how the turn closes: a helpline kept in reach, "shall we go back?".
import { userRef, type Logger } from "../../log.js";
import type { Turn, TurnContext } from "../context.js";
import type { Carried, Resume } from "../conversation.js";
import type { Flow } from "../flow.js";
import { matchOffered } from "../choices.js";
import { entryByText } from "../entry.js";
import { menuChoices } from "../flows/menu.js";
import { commandWordsOf, parseCommand } from "../intents.js";
import { text as textReply, type Incoming } from "../types.js";
import type { Reading } from "../understanding.js";
import { answerShaped, fits } from "./answers.js";
import { letGoIntent, moveAside, SAFETY_FLOWS, withResumeOffer } from "./letgo.js";
import { intentOf, mayUse, type Routes } from "./routes.js";
import { readable as readableText, SAFE_FOR_MS, tierOf, withLineInReach } from "./safety.js";

/** Bare words that always work, even while a flow waits for free text. */
const ALWAYS = new Set(["cancel", "stop", "help", "start", "menu"]);

/** What decide needs of the engine: its flows by name, where messages lead, and the log. */
export interface DecideDeps {
  flows: ReadonlyMap<string, Flow>;
  routes: Routes;
  log: Logger;
}

/** What a turn decided, and what the engine carries to the next turn beside the flow's position. */
export interface Decision {
  turn: Turn;
  /** The context the turn ran in (a let-go or a stale state runs the new topic without the flow). */
  ctx: TurnContext;
  carry: Carried;
  /** How to end the turn: offer to go back to the paused flow (once), or say where we were (stale). */
  offer?: "back" | "stale" | "never";
  /** A concern-level message from a user who said "safe" lately: one helpline line stays in reach. */
  inReach?: boolean;
}

/**
 * Decides one turn. `resume`: the waiting step, when a flow waits (and its state is not stale);
 * `stale`: the stored step was left hours ago, so the turn ends by saying where we were.
 */
export async function decide(
  deps: DecideDeps,
  ctx: TurnContext,
  inc: Incoming,
  resume: Resume | undefined,
  stale: boolean,
): Promise<Decision> {
  const { routes, log } = deps;
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
  if (inc.kind === "choice") return decided(await routes.choice(ctx, inc.value, resume, carry));

  const text = inc.text.trim();
  if (text === "") return decided(menuReply("core.empty"));
  const max = ctx.services.settings.maxMessageChars;
  if ([...text].length > max) {
    return decided({ replies: [{ kind: "text", text: t.text("core.too_long", { max }) }], next: "keep" });
  }

  // Read once; everything below (safety, commands, let-go, routing, the flows) uses this reading.
  const reading = ctx.services.understanding.read(text, { language: ctx.profile.locale ?? inc.languageHint });
  ctx.reading = reading;

  // A typed number or label of an offered choice is a tap, whatever a model would make of "2".
  const typed = matchOffered(text, ctx.state?.offered ?? []);
  if (typed) return decided(await routes.choice(ctx, typed.value, resume, carry));

  const inFlow = ctx.state?.flow ? ctx.state : null;
  // Safety first, on every text, in every flow; except an operator writing inside an
  // operator-only flow (a broadcast draft like "Feeling hopeless? Try this...") is composing
  // for others, not speaking for themselves.
  const composing = ctx.isAdmin && inFlow !== null && deps.flows.get(inFlow.flow!)?.adminOnly === true;
  // Inside the crisis or concern check, every text is theirs to answer: never let go, never
  // asked "are you safe?" a second time on top.
  const inSafety = inFlow !== null && SAFETY_FLOWS.has(inFlow.flow!);
  // The model reads Latin-script languages: only the crisis tier acts on anything else.
  const readable = readableText(text);
  const tier = tierOf(reading, {
    composing,
    inSafety,
    readable,
    safeAt: carry.safeAt,
    answerShaped: () => {
      const expects = inFlow?.flow ? deps.flows.get(inFlow.flow)?.expects(inFlow.step) : undefined;
      return answerShaped(ctx, expects, text, reading);
    },
  });
  if (tier === "crisis") {
    // The level and the rule, for metrics; never the text.
    const rule = reading.risk.rule;
    log.warn({ user: userRef(ctx.user), level: "crisis", rule }, "crisis language; helplines shown");
    // The crisis answer has the user's whole attention: no "shall we go back?" after it.
    return { turn: await routes.start(ctx, "crisis", ""), ctx, carry: { safeAt: carry.safeAt } };
  }
  if (tier === "ask_safe") {
    log.info({ user: userRef(ctx.user), level: "concern" }, "ambiguous distress; asked if safe");
    const moved = inFlow ? moveAside(ctx, inFlow, carry) : ctx;
    return { turn: await routes.startOr(moved, "concern", "", "crisis"), ctx: moved, carry };
  }
  // Said "safe" lately: not asked again, but one helpline line stays in reach.
  const inReach = tier === "in_reach";

  // Heavy words the model also reads as "stop" ("I can't do this anymore") are not a request
  // to stop the daily messages: read as distress.
  const meant: Reading =
    inReach && reading.intent.id === "stop" ? { ...reading, intent: { ...reading.intent, id: "distress" } } : reading;

  // A WhatsApp click-to-chat link's prefilled text, exactly: the entry point it stands for.
  const entry = entryByText(ctx.services.content.for(undefined), text);
  if (entry) return decided(await routes.start(ctx, "start", entry.id), { inReach });

  const command = parseCommand(text, commandWordsOf(t));
  if (command && (command.slash || !inFlow || ALWAYS.has(command.name))) {
    return decided(await routes.command(ctx, command), { inReach });
  }

  if (inFlow && resume) {
    const flow = deps.flows.get(inFlow.flow!)!;
    if (!mayUse(ctx, flow)) return decided(routes.noLongerOperator(ctx));
    if (inSafety) return decided(await resume(ctx, { kind: "text", text }), { inReach });
    const expects = flow.expects(inFlow.step) ?? "free_text";
    const fit = fits(ctx, expects, text, meant);
    // A bare command word ("tip", "goals") where a choice, a number, a time or a name was asked.
    const away = command && !fit && expects !== "free_text" ? command : undefined;
    // An operator composing a broadcast writes for others: "stop midway" is the draft, not a request.
    const intent = away || !readable || composing ? undefined : letGoIntent(flow.name, expects, fit, meant);
    if (away || intent) {
      const to = away ? `/${away.name}` : intent;
      log.info({ user: userRef(ctx.user), flow: flow.name, step: inFlow.step, to }, "flow let go");
      const moved = moveAside(ctx, inFlow, carry);
      // "Stop" means quiet: no offer to go back after it.
      if (intent === "stop" || away?.name === "stop") carry.paused = undefined;
      const turn = away ? await routes.command(moved, away) : await routes.intent(moved, intent, text);
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

  return decided(await routes.intent(ctx, readable ? intentOf(meant) : undefined, text), { inReach });
}

/** Closes a turn: the helpline line kept in reach, "shall we go back?" once, the user's "I'm safe" remembered. */
export function finish(d: Decision, flows: ReadonlyMap<string, Flow>): Turn {
  let turn = d.turn;
  if (d.inReach) turn = withLineInReach(d.ctx, turn);
  if (turn.saidSafe) d.carry.safeAt = d.ctx.now;
  if (turn.next !== null && turn.next !== "keep" && turn.next.flow === "crisis") d.carry.paused = undefined;
  const p = d.carry.paused;
  const ended = turn.next === null || (turn.next === "keep" && !d.ctx.state?.flow);
  if (p && !p.offered && ended && flows.has(p.flow)) {
    const offered = withResumeOffer(d.ctx, turn, p.flow, d.offer === "stale");
    if (offered) {
      turn = offered;
      d.carry.paused = { ...p, offered: true };
    }
  }
  return turn;
}
