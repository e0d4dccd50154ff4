// The choices a turn offered, kept in the conversation state, and how typed words pick one:
// by its number ("2", "2.", "#2") or by its label, on every channel (WhatsApp and the terminal
// show numbered lists; a typed label works on Telegram too).
import { normalize } from "./matching.js";
import { choicesOf, type Choice, type Reply } from "./types.js";

/** The choices of the last reply that offered some: what a typed "1" answers next. */
export function lastChoices(replies: readonly Reply[]): Choice[] | undefined {
  for (let i = replies.length - 1; i >= 0; i--) {
    const choices = choicesOf(replies[i]!);
    if (choices?.length) return choices;
  }
  return undefined;
}

/** "2", "2.", "#2", or the label itself (case, punctuation and emoji ignored) picks an offered choice. */
export function matchOffered(text: string, offered: readonly Choice[]): Choice | undefined {
  if (offered.length === 0) return undefined;
  const num = /^\s*#?(\d{1,2})[.)]?\s*$/.exec(text);
  if (num) return offered[Number(num[1]) - 1];
  const typed = normalize(text);
  if (typed === "") return undefined;
  return offered.find((c) => normalizedLabel(c.label) === typed);
}

/** Labels come back every turn (the menu's, a flow's buttons): each is normalised once, a few hundred kept. */
const labels = new Map<string, string>();

function normalizedLabel(label: string): string {
  let n = labels.get(label);
  if (n === undefined) {
    if (labels.size >= 500) labels.clear();
    n = normalize(label);
    labels.set(label, n);
  }
  return n;
}
