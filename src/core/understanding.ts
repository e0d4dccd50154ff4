// What the core knows about a message before it routes it: its language, what the user wants,
// how much risk it carries, and the things it names. The core owns these types and the port;
// src/understanding/ implements it (a model trained from corpus/ plus rules for the
// unmistakable), and main.ts wires the two. Nothing here knows how a reading is made.

/** Languages the bot reads (ISO 639 codes): English and six South African languages. */
export const LANGUAGES = ["en", "zu", "xh", "af", "st", "tn", "nso"] as const;
export type Lang = (typeof LANGUAGES)[number];

/** What a message asks for. Labels of the corpus (corpus/<lang>/intents.yaml) and of the held-out set. */
export const INTENTS = [
  "rejected", "applied", "interview", "offer", "greeting", "thanks", "help", "stop", "yes", "no",
  "remind", "daily", "feedback", "reflect", "tip", "distress", "language", "other",
] as const;
export type IntentId = (typeof INTENTS)[number];

/**
 * - crisis: show the crisis answer (helplines, a short safety plan) at once;
 * - concern: ambiguous distress: ask gently "are you safe?" with one helpline in reach;
 * - none: carry on.
 */
export const RISK_LEVELS = ["none", "concern", "crisis"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export interface Scored<T extends string> {
  id: T;
  /** The model's probability, 0..1. */
  confidence: number;
}

export interface Reading {
  language: Scored<Lang>;
  intent: Scored<IntentId> & { runnerUp?: Scored<IntentId> };
  risk: {
    level: RiskLevel;
    /** The model's probability that the message is a crisis, 0..1. */
    score: number;
    /** Set when an unmistakable rule decided (e.g. "method_self", "act_in_progress"), for metrics only. */
    rule?: string;
  };
}

/** The port: one message in, one reading out. Pure, synchronous and fast (well under a millisecond). */
export interface Understanding {
  read(text: string, hints?: { language?: string }): Reading;
}
