// Plain words -> what the user means: a command word ("help", "daily" on WhatsApp), or an
// intent from the phrase lists in messages/ ("I didn't get the job" -> rejected).
import type { Catalog } from "../content/catalog.js";
import { compiled, findPhrase, normalize, tokens } from "./matching.js";

export interface ParsedCommand {
  name: string;
  arg: string;
  /** True when typed with a slash; bare words are commands only where the flow allows. */
  slash: boolean;
}

const SLASH = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/;

/** `/start payload`, `/remind@MyBot in 2 weeks`, or a bare command word like "help" or "Daily". */
export function parseCommand(text: string, commandWords: ReadonlyMap<string, string>): ParsedCommand | undefined {
  const trimmed = text.trim();
  const m = SLASH.exec(trimmed);
  if (m) return { name: m[1]!.toLowerCase(), arg: (m[2] ?? "").trim(), slash: true };
  const words = tokens(trimmed);
  if (words.length === 0) return undefined;
  const whole = commandWords.get(words.join(" "));
  if (whole) return { name: whole, arg: "", slash: false };
  // "remind me in 2 weeks to call Thandi": a command word that takes the words after it.
  const first = commandWords.get(words[0]!);
  if (first && TAKES_WORDS.has(first)) {
    return { name: first, arg: trimmed.replace(/^\S+\s*/, "").replace(/^me\s+/i, ""), slash: false };
  }
  return undefined;
}

/** Commands whose bare word may be followed by what the command is about. */
const TAKES_WORDS = new Set(["remind", "daily"]);

const QUESTION_WORDS = new Set([
  "how",
  "what",
  "when",
  "where",
  "why",
  "which",
  "who",
  "should",
  "can",
  "could",
  "do",
  "does",
  "will",
  "is",
  "are",
]);

/** A question rather than a statement: ends with "?" or starts with a question word. */
export function isQuestion(text: string): boolean {
  return /\?\s*$/.test(text) || QUESTION_WORDS.has(tokens(text)[0] ?? "");
}

/** The bare words that run commands, from messages/<locale>/commands.yaml (data.command_words). */
const commandWordsCache = new WeakMap<Catalog, Map<string, string>>();
export function commandWordsOf(t: Catalog): Map<string, string> {
  const cached = commandWordsCache.get(t);
  if (cached) return cached;
  const raw = t.dataOf<Record<string, string[]>>("command_words");
  const map = new Map<string, string>();
  for (const [command, words] of Object.entries(raw)) for (const w of words) map.set(normalize(w), command);
  commandWordsCache.set(t, map);
  return map;
}

/** A short typed yes or no ("yebo", "ja", "nope"...), from the reply_yes / reply_no phrase lists. */
export function yesOrNo(t: Catalog, typed: string): "yes" | "no" | undefined {
  const words = tokens(typed);
  if (words.length === 0 || words.length > 5) return undefined;
  if (findPhrase(words, compiled(t.phrases("reply_no")), 0)) return "no";
  if (findPhrase(words, compiled(t.phrases("reply_yes")), 0)) return "yes";
  return undefined;
}

/**
 * How sure the understanding layer must be of a message's intent before the engine acts on it.
 * Chosen with `npm run nlu:routing` (scripts/nlu-routing.ts) on the DEV sets only (corpus/dev +
 * corpus/dev2, 720 labelled messages; the held-out set is never tuned on). Figures of 2026-11-28:
 * - ROUTE (outside a flow): at 0.60, 94.2% of messages are routed, 98.3% end up in the right
 *   place and 0.6% in a wrong one; 0.30 routes 95.6% but sends 1.3% to a wrong place, and 0.75
 *   halves the wrong ones (0.3%) at the cost of 1.1% more "didn't catch that". A wrong place
 *   costs more than a kind "didn't catch that" with the menu, and less than a miss, so the knee.
 * - LET_GO (while a flow waits for a choice, yes/no, time, number or name): at 0.75, 97.2% of
 *   stop/help/rejected/remind/daily/language/feedback/reflect messages are caught and 0.3% of
 *   other messages fire; leaving a flow by mistake loses the user's place, so stricter than ROUTE
 *   (0.60 fires on 0.6%).
 * - FREE_TEXT_LET_GO (a step that takes any words): at 0.95, 93.1% caught and no other message
 *   of the dev sets fires; there a message about the rejection is usually the answer itself.
 */
export const ROUTE_CONFIDENCE = 0.6;
export const LET_GO_CONFIDENCE = 0.75;
export const FREE_TEXT_LET_GO_CONFIDENCE = 0.95;
