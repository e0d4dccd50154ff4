// A send to the fake Graph API as the user sees it (its words, its choices' labels and ids, its
// picture), whatever the payload's type: what the tests compare across channels.
import type { Sent } from "./whatsapp.js";

/** A send as the user sees it: its text and the labels of its choices, whatever the style. */
export function seen(s: Sent): { text: string; labels: string[]; style: string; image?: string } {
  const p = s.payload as Record<string, any>;
  if (p.type === "text") return { text: p.text.body, labels: [], style: "text" };
  if (p.type === "template") return { text: `template:${p.template.name}`, labels: [], style: "template" };
  if (p.type === "image") return { text: p.image.caption ?? "", labels: [], style: "image", image: p.image.id };
  if (p.type === "document") return { text: p.document.caption ?? "", labels: [], style: "document" };
  const i = p.interactive;
  if (i.type === "button") {
    const image = i.header?.type === "image" ? { image: i.header.image.id as string } : {};
    return { text: i.body.text, labels: i.action.buttons.map((b: any) => b.reply.title), style: "buttons", ...image };
  }
  return {
    text: i.body.text,
    labels: i.action.sections.flatMap((sec: any) => sec.rows.map((r: any) => r.title)),
    style: "list",
  };
}

/** The Choice values behind the buttons or rows of a send. */
export function choiceIds(s: Sent): string[] {
  const i = (s.payload as Record<string, any>).interactive;
  if (!i) return [];
  if (i.type === "button") return i.action.buttons.map((b: any) => b.reply.id);
  return i.action.sections.flatMap((sec: any) => sec.rows.map((r: any) => r.id));
}
