// Where a command, a button, a typed choice or an intent leads: the flow it starts or the step it
// answers. Never a dead end: a flow a deployment lacks (or a user may not use) falls back to
// /help, then to "didn't catch that"; a button from an earlier conversation gets the menu.
import { userRef, type Logger } from "../../log.js";
import type { FlowInput, Turn, TurnContext } from "../context.js";
import { fit, type Carried, type Resume } from "../conversation.js";
import type { Flow } from "../flow.js";
import { notUnderstood } from "../flows/language.js";
import { menuChoices } from "../flows/menu.js";
import { isQuestion, ROUTE_CONFIDENCE, type ParsedCommand } from "../intents.js";
import { text as textReply } from "../types.js";
import type { IntentId, Reading } from "../understanding.js";
import { RESUME_BACK, RESUME_DROP } from "./letgo.js";

/**
 * Operator-only flows are checked on every step, not only when they start: ADMIN_IDS is read
 * at each turn, so an operator removed from it (and the process restarted) cannot confirm a
 * broadcast drafted before.
 */
export function mayUse(ctx: TurnContext, flow: Flow): boolean {
  return !flow.adminOnly || ctx.isAdmin;
}

/** A text with the menu, leaving the conversation where it was. */
export function menuTurn(ctx: TurnContext, id: string): Turn {
  return { replies: [textReply(ctx.t.text(id), menuChoices(ctx))], next: "keep" };
}

/** The intent to act on: sure enough, and not "other". */
export function intentOf(reading: Reading): IntentId | undefined {
  const { id, confidence } = reading.intent;
  return id !== "other" && confidence >= ROUTE_CONFIDENCE ? id : undefined;
}

export class Routes {
  constructor(
    /** The registered flows by name, and by the commands that start them. */
    private readonly byName: ReadonlyMap<string, Flow>,
    private readonly byCommand: ReadonlyMap<string, Flow>,
    private readonly log: Logger,
  ) {}

  /** What a message means outside a flow, by its intent (undefined: not sure enough). */
  intent(ctx: TurnContext, intent: IntentId | undefined, text: string): Promise<Turn> {
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

  async command(ctx: TurnContext, cmd: ParsedCommand): Promise<Turn> {
    const flow = this.byCommand.get(cmd.name);
    if (!flow || !mayUse(ctx, flow)) {
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

  /** A former operator's half-finished operator flow: closed, said kindly, nothing done. */
  noLongerOperator(ctx: TurnContext): Turn {
    this.log.info(
      { user: userRef(ctx.user), flow: ctx.state?.flow },
      "operator-only flow closed: the user is no longer in ADMIN_IDS",
    );
    return {
      replies: [{ kind: "text", text: ctx.t.text("core.no_longer_operator"), choices: menuChoices(ctx) }],
      next: null,
    };
  }

  start(ctx: TurnContext, flowName: string, arg: string): Promise<Turn> {
    const flow = this.byName.get(flowName);
    if (!flow) throw new Error(`flow ${flowName} is not registered`);
    return flow.start(ctx, arg);
  }

  /**
   * Starts a flow by name; a deployment without it (or a user who may not use it) gets the
   * fallback flow, then /help, then "didn't catch that": never a dead end, never a throw.
   */
  startOr(ctx: TurnContext, flowName: string, arg: string, fallback = "help"): Promise<Turn> {
    for (const name of [flowName, fallback, "help"]) {
      const flow = this.byName.get(name);
      if (flow && mayUse(ctx, flow)) return flow.start(ctx, name === flowName ? arg : "");
    }
    return Promise.resolve({ replies: [notUnderstood(ctx)], next: "keep" });
  }

  /** A tapped button (or a typed number or label of one): the resume offer, a command, or the waiting step's answer. */
  async choice(ctx: TurnContext, value: string, resume: Resume | undefined, carry: Carried): Promise<Turn> {
    if (value === RESUME_BACK) return this.goBack(ctx, carry);
    if (value === RESUME_DROP) {
      carry.paused = undefined;
      return { replies: [textReply(ctx.t.text("core.resume_dropped"), menuChoices(ctx))], next: null };
    }
    if (value.startsWith("/")) {
      const [name, ...rest] = value.slice(1).split(" ");
      return this.command(ctx, { name: name!.toLowerCase(), arg: rest.join(" "), slash: true });
    }
    const m = /^([a-z0-9_]+)\.([a-z0-9_]+):(.*)$/i.exec(value);
    const flow = m ? this.byName.get(m[1]!) : undefined;
    const st = ctx.state;
    if (m && flow && resume && st && st.flow === m[1] && st.step === m[2]) {
      if (!mayUse(ctx, flow)) return this.noLongerOperator(ctx);
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
    if (!p || !flow || fitted?.status !== "in_flow" || !mayUse(ctx, flow)) {
      return { replies: [textReply(ctx.t.text("core.resume_gone"), menuChoices(ctx))], next: null };
    }
    if (!p.asked) return flow.start(ctx, "");
    return { replies: [textReply(p.asked.text, p.asked.choices)], next: { flow: p.flow, step: p.step, data: p.data } };
  }
}
