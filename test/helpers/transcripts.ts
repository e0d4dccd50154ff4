// Reading what the bot sent back as the conformance scripts name it: the console's printed
// blocks, WhatsApp's numbered choices, and texts back to catalog ids (a message joined from
// several catalog messages reads as their ids joined with "+").
import { en } from "./bot.js";

/** The console prints `bot> text` with continuation lines indented, then `     1) label` lines. */
export function parseConsole(out: string): { text: string; labels: string[] }[] {
  return out
    .split("\nbot> ")
    .slice(1)
    .map((block) => {
      const lines = block.replace(/\n$/, "").split("\n");
      const labels: string[] = [];
      while (lines.length > 1 && /^ {5}\d+\) /.test(lines.at(-1)!))
        labels.unshift(lines.pop()!.replace(/^ {5}\d+\) /, ""));
      return { text: lines.map((l, i) => (i === 0 ? l : l.replace(/^ {5}/, ""))).join("\n"), labels };
    });
}

/** WhatsApp's last fallback is numbered text: read the labels back from it. */
export function unnumber(v: { text: string; labels: string[] }, hint: string): { text: string; labels: string[] } {
  if (v.labels.length > 0 || !v.text.endsWith(`\n\n${hint}`)) return { text: v.text, labels: v.labels };
  const lines = v.text.slice(0, -hint.length - 2).split("\n");
  const labels: string[] = [];
  while (lines.length && /^\d+\. /.test(lines.at(-1)!)) labels.unshift(lines.pop()!.replace(/^\d+\. /, ""));
  return { text: lines.join("\n").replace(/\n\n$/, ""), labels };
}

// Texts back to catalog ids: exact texts first, then texts whose placeholders were filled.
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const MATCHERS = en
  .allMessages()
  .flatMap((m) =>
    m.variants.map((v) => ({
      id: m.id,
      text: v.text,
      re: new RegExp(`^${withoutArguments(v.text).map(escape).join("[\\s\\S]*?")}$`),
    })),
  )
  // Exact texts first; among templates the most specific (most literal text) first, so a
  // loose one like "{what}: {value}" never claims a text another template fits better.
  .sort((a, b) => Number(a.text.includes("{")) - Number(b.text.includes("{")) || literal(b.text) - literal(a.text));

function literal(t: string): number {
  return withoutArguments(t).join("").length;
}

/** The literal pieces between a message's ICU arguments: `{name}` and `{count, plural, ...}` alike. */
function withoutArguments(t: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let cur = "";
  for (const c of t) {
    if (c === "{") {
      if (depth === 0) pieces.push(cur), (cur = "");
      depth++;
    } else if (c === "}" && depth > 0) depth--;
    else if (depth === 0) cur += c;
  }
  pieces.push(cur);
  return pieces;
}

function matchOf(text: string): { id: string; score: number } | undefined {
  const m = MATCHERS.find((x) => x.text === text || x.re.test(text));
  return m && { id: m.id, score: literal(m.text) };
}

/**
 * The reading of a text as one catalog message or as several joined by blank lines that matches
 * the most literal text: a loose template ("{what}: {count}") may fit a whole joined message,
 * but the messages it joins fit it far better.
 */
export function idOf(text: string): string {
  return bestReading(text.split("\n\n"))?.ids.join("+") ?? text;
}

function bestReading(paragraphs: string[]): { ids: string[]; score: number } | undefined {
  if (paragraphs.length === 0) return { ids: [], score: 0 };
  let best: { ids: string[]; score: number } | undefined;
  for (let n = paragraphs.length; n >= 1; n--) {
    const head = matchOf(paragraphs.slice(0, n).join("\n\n"));
    const rest = head && bestReading(paragraphs.slice(n));
    if (head && rest && (!best || head.score + rest.score > best.score))
      best = { ids: [head.id, ...rest.ids], score: head.score + rest.score };
  }
  return best;
}
