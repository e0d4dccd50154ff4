// Professional help: career counsellors, coaches and CV help (/pro), and mental-health help
// when stress, anxiety or hopelessness come up (/wellbeing, also offered by the engine when
// the model reads distress outside a flow). Distinct from the crisis flow, which handles danger. The
// gentle care note shown inside a flow when typed words carry distress is here too.
import { done, type FlowInput, type TurnContext } from "../context.js";
import { defineCommand } from "../flow.js";
import { ROUTE_CONFIDENCE } from "../intents.js";
import { compiled, findPhrase } from "../matching.js";
import { text, type Reply } from "../types.js";
import { helplinesText, primaryHelpline } from "./crisis.js";
import { hasCommand, menuChoices } from "./menu.js";
import { mentionsMoney } from "./practical.js";

export const professional = defineCommand({
  name: "pro",
  commands: ["pro"],
  async start(ctx) {
    return done(
      text(ctx.t.text("care.pro")),
      text(ctx.t.text("care.pro_where"), menuChoices(ctx, ["reflect", "goals", "help"])),
    );
  },
});

export const wellbeing = defineCommand({
  name: "wellbeing",
  commands: ["wellbeing"],
  // `said`: the words that opened it, when plain words did ("I'm so stressed, I can't pay rent").
  async start(ctx, said) {
    // Money worries get the practical help too, first: a grant or UIF can ease what weighs.
    const money = hasCommand(ctx, "money") && mentionsMoney(ctx, said);
    const practical = money ? [ctx.command("money", "menu_practical")] : [];
    const first = [ctx.t.text("care.wellbeing"), ...(money ? [ctx.t.text("practical.from_wellbeing")] : [])];
    const lines = ctx.t.text("care.wellbeing_lines", { helplines: helplinesText(ctx) });
    return done(text(first.join("\n\n")), text(lines, [...practical, ...menuChoices(ctx, ["checkin", "tip", "help"])]));
  },
});

/**
 * When free text speaks of stress, anxiety or hopelessness (not crisis: the engine has already
 * ruled that out), a gentle note offering a mental-health professional and a helpline.
 */
export function careNoteFor(ctx: TurnContext, typed: string): Reply | undefined {
  // The engine's reading of this text (the model's "distress" intent), or the reviewed phrase list.
  const r = ctx.reading?.intent;
  const distress = r?.id === "distress" && r.confidence >= ROUTE_CONFIDENCE;
  if (!distress && !findPhrase(typed, compiled(ctx.t.phrases("distress")))) return undefined;
  return text(ctx.t.text("care.note", { helpline: secondaryHelpline(ctx) }));
}

/** The mental-health line (not the suicide line) for stress and anxiety; falls back to the first. */
export function secondaryHelpline(ctx: TurnContext): string {
  const lines = ctx.t.dataOf<{ name: string; number: string }[]>("helplines");
  const h = lines[1];
  return h ? `${h.name}: ${h.number}` : primaryHelpline(ctx);
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
