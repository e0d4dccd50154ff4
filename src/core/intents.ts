// Plain words -> what the user means: a command word ("help", "daily" on WhatsApp), or an
// intent from the phrase lists in messages/ ("I didn't get the job" -> rejected).
import type { Catalog } from "../content/catalog.js";
import { compile, compiled, findPhrase, normalize, tokens, type CompiledPhrase } from "./matching.js";

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

export type Intent = "rejected" | "greeting" | "thanks" | "help" | "applied" | "distress";

const intentCache = new WeakMap<Catalog, { intent: Intent; phrases: CompiledPhrase[] }[]>();

export function detectIntent(t: Catalog, text: string): Intent | undefined {
  let lists = intentCache.get(t);
  if (!lists) {
    lists = (["rejected", "help", "greeting", "thanks"] as const).map((intent) => ({
      intent,
      phrases: compile(t.phrases(`intent_${intent}`)),
    }));
    // "I applied to Shoprite" logs progress; stress or hopelessness offers mental-health help.
    // Both come after "rejected", so "I applied but they rejected me" is a rejection.
    const progressWords = ["progress_offer", "progress_interview", "progress_applied"].flatMap((l) => t.phrases(l));
    lists.push({ intent: "applied", phrases: compile(progressWords) }, { intent: "distress", phrases: compile(t.phrases("distress")) });
    intentCache.set(t, lists);
  }
  const words = tokens(text);
  for (const { intent, phrases } of lists) {
    // Greetings and thanks must be the whole message; "hi, I got rejected" is a rejection.
    const whole = intent === "greeting" || intent === "thanks";
    if (whole && words.length > 4) continue;
    // "How do I prepare for an interview at Absa?" asks something; it logs nothing.
    if (intent === "applied" && isQuestion(text)) continue;
    if (findPhrase(words, phrases, intent === "rejected" ? 2 : 1)) return intent;
  }
  return undefined;
}

const QUESTION_WORDS = new Set(["how", "what", "when", "where", "why", "which", "who", "should", "can", "could", "do", "does", "will", "is", "are"]);

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
