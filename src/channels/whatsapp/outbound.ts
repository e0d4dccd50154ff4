// Channel-neutral Reply -> WhatsApp message payloads. Choices fall back like botbuilder's
// ChoiceFactory (STYLE.md #7): up to 3 reply buttons when they fit, else a list of up to 10
// rows, else numbered text (which the engine understands when the user types the number). A
// chart whose picture is uploaded goes as an image (renderChart); without one, as its text chart.
import { chartAsText, text, type ChartReply, type Choice, type Reply } from "../../core/types.js";
import { clipChars, splitText } from "../text.js";
import type { WhatsAppPayload } from "./client.js";

/** Meta's limits (PLATFORMS.md), counted in characters. */
export const WA_LIMITS = {
  text: 4096,
  interactiveBody: 1024,
  imageCaption: 1024,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listRows: 10,
  rowTitle: 24,
  rowId: 200,
  listButton: 20,
} as const;

export interface RenderOptions {
  /** The list's button label ("See options"), from the catalog. */
  listButton: string;
  /** Shown under numbered choices ("Reply with a number."), from the catalog. */
  numberedHint?: string;
}

export type ChoiceStyle = "buttons" | "list" | "numbered";

const len = (s: string) => [...s].length;

/** Which way a set of choices can be shown with this body text. */
export function choiceStyle(body: string, choices: readonly Choice[], listButton: string): ChoiceStyle {
  if (len(body) > WA_LIMITS.interactiveBody || len(body.trim()) === 0) return "numbered";
  const titles = choices.map((c) => c.label.trim().toLowerCase());
  const unique = new Set(titles).size === titles.length && titles.every((t) => t !== "");
  if (!unique) return "numbered";
  const fits = (max: number, idMax: number) =>
    choices.every((c) => len(c.label) <= max && len(c.value) <= idMax && c.value !== "");
  if (choices.length <= WA_LIMITS.buttons && fits(WA_LIMITS.buttonTitle, WA_LIMITS.buttonId)) return "buttons";
  if (
    choices.length <= WA_LIMITS.listRows &&
    fits(WA_LIMITS.rowTitle, WA_LIMITS.rowId) &&
    len(listButton) <= WA_LIMITS.listButton
  )
    return "list";
  return "numbered";
}

/** The payloads for a reply, with no picture uploaded: a chart goes as its text chart. */
export function renderReply(reply: Reply, o: RenderOptions): WhatsAppPayload[] {
  if (reply.kind === "chart") return renderReply(chartAsText(reply), o);
  // A file needs an upload first (channel.ts); here, where none was made, it goes as its text.
  const body = reply.kind === "document" ? reply.fallbackText : reply.text;
  const choices = reply.kind === "text" ? (reply.choices ?? []) : [];
  if (choices.length === 0) return textMessages(body);
  const style = choiceStyle(body, choices, o.listButton);
  if (style === "buttons") {
    return [
      {
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: body },
          action: { buttons: choices.map((c) => ({ type: "reply", reply: { id: c.value, title: c.label.trim() } })) },
        },
      },
    ];
  }
  if (style === "list") {
    return [
      {
        type: "interactive",
        interactive: {
          type: "list",
          body: { text: body },
          action: {
            button: o.listButton,
            sections: [{ rows: choices.map((c) => ({ id: c.value, title: c.label.trim() })) }],
          },
        },
      },
    ];
  }
  const numbered = choices.map((c, i) => `${i + 1}. ${c.label}`).join("\n");
  return textMessages(`${body}\n\n${numbered}${o.numberedHint ? `\n\n${o.numberedHint}` : ""}`);
}

/**
 * A chart whose picture is uploaded (`mediaId`): one message when it can be. Without choices, the
 * image with the caption under it; with choices that fit reply buttons, the buttons' message with
 * the image as its header. A list cannot carry an image, and a caption is never cut: then the
 * image goes bare and the caption follows with its list (or numbered choices, or in parts).
 */
export function renderChart(reply: ChartReply, mediaId: string, o: RenderOptions): WhatsAppPayload[] {
  const choices = reply.choices ?? [];
  const caption = reply.caption;
  if (choices.length === 0 && len(caption) <= WA_LIMITS.imageCaption) {
    return [{ type: "image", image: caption.trim() ? { id: mediaId, caption } : { id: mediaId } }];
  }
  if (choices.length > 0 && choiceStyle(caption, choices, o.listButton) === "buttons") {
    const [buttons] = renderReply(text(caption, choices), o);
    if (buttons?.type === "interactive" && buttons.interactive.type === "button") {
      return [
        {
          type: "interactive",
          interactive: { ...buttons.interactive, header: { type: "image", image: { id: mediaId } } },
        },
      ];
    }
  }
  const image: WhatsAppPayload = { type: "image", image: { id: mediaId } };
  return caption.trim() || choices.length ? [image, ...renderReply(text(caption, choices), o)] : [image];
}

function textMessages(body: string): WhatsAppPayload[] {
  return splitText(body, WA_LIMITS.text).map((part) => ({ type: "text", text: { body: part } }));
}

/** A proactive message as its approved template, each parameter made one Meta accepts. */
export function templateMessage(name: string, language: string, params: readonly string[]): WhatsAppPayload {
  const parameters = params.map((p) => ({ type: "text" as const, text: templateParam(p) }));
  return {
    type: "template",
    template: {
      name,
      language: { code: language },
      ...(parameters.length ? { components: [{ type: "body", parameters }] } : {}),
    },
  };
}

/**
 * Template parameters may not hold new lines, tabs or more than four spaces in a row (Meta
 * refuses the send with 132018); long ones are cut so the template stays within its limits.
 */
export function templateParam(s: string, max = 900): string {
  const flat = s
    .replace(/[\r\n\t]+/g, " ")
    .replace(/ {4,}/g, "   ")
    .trim();
  return clipChars(flat, max) || "-";
}
