// What the core knows about a message before it routes it: its language, what the user wants,
// how much risk it carries, and the things it names. The core owns these types and the port;
// src/understanding/ implements it (a model trained from corpus/ plus rules for the
// unmistakable), and main.ts wires the two. Nothing here knows how a reading is made.

/** Languages the bot reads (ISO 639 codes): English and six South African languages. */
export const LANGUAGES = ["en", "zu", "xh", "af", "st", "tn", "nso"] as const;
export type Lang = (typeof LANGUAGES)[number];

/** What a message asks for. Labels of the corpus (corpus/<lang>/intents.yaml) and of the held-out set. */
export const INTENTS = [
  "rejected",
  "applied",
  "interview",
  "offer",
  "greeting",
  "thanks",
  "help",
  "stop",
  "yes",
  "no",
  "remind",
  "daily",
  "feedback",
  "reflect",
  "tip",
  "distress",
  "language",
  "other",
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

/** A local time of day. */
export interface LocalTime {
  hour: number;
  minute: number;
}

export type ParsedReminder =
  | { status: "ok"; dueAt: number; what: string }
  | { status: "no_date" }
  | { status: "past"; dueAt: number }
  | { status: "no_text" }
  | { status: "too_long"; max: number };

/** The kinds of free text a flow asks for, so a greeting is never taken for a company. */
export type Slot = "company" | "role" | "person" | "free";

/**
 * The things a message names, read one way everywhere (the /daily time, a reminder, a zone...).
 * Every function is pure, total (never throws) and linear in the length of its input.
 */
export interface Entities {
  /** "7:30", "07h30", "8am", "20:00", "7 in the morning", "half past seven", "at 9", "noon". */
  timeOfDay(text: string): LocalTime | undefined;
  /** "in 2 weeks call Thandi", "tomorrow at 9 to follow up": when (UTC ms) and what, in the user's zone. */
  reminder(text: string, nowMs: number, zone: string, o?: { needText?: boolean }): ParsedReminder;
  /** A small count in digits or words ("3", "three", "five"). */
  count(text: string): number | undefined;
  /** An IANA zone from a zone name, a city or a country ("Cape Town", "Joburg", "London", "Kenya"). */
  zone(text: string): string | undefined;
  /** The company and role in "I applied to Shoprite for cashier", "I got the job at Absa!!! 🎉". */
  application(text: string): { company?: string; role?: string };
  /** Whether typed text can fill a slot: not a greeting, a yes/no, a command word, or a question. */
  plausible(text: string, slot: Slot): boolean;
}

/** The port: one message in, one reading out. Pure, synchronous and fast (well under a millisecond). */
export interface Understanding {
  read(text: string, hints?: { language?: string }): Reading;
  readonly entities: Entities;
}
