// The shape of a conformance script (see test/conformance.test.ts). Scripts live in
// test/conformance/*.scripts.ts, one file per topic, each exporting SCRIPTS: the suite runs every
// file it finds there, so adding a topic touches no shared file.
import type { Channel } from "../helpers/conformance-drivers.js";

export interface Step {
  /** Words the user types (the same on every channel). */
  say?: string;
  /** A choice the user takes, by label id: a button on Telegram, a button or list row on WhatsApp, its number on the console. */
  press?: string;
  /** A choice by its label as shown, for labels built from data ("Cancel 1" in /reminders). */
  tap?: string;
  /** How many messages the bot answers with. */
  replies: number;
  /** The catalog ids of those messages, in order (checked on every channel). */
  expect?: string[];
  /**
   * A channel where the platform itself needs more from the user (WhatsApp's opt-in before
   * daily messages): there this step is played as these steps instead. Each is checked against
   * its own `expect`; what is compared with the other channels is the last `replies` messages
   * they produce, so the step must end where it ends elsewhere.
   */
  on?: Partial<Record<Channel, Step[]>>;
}

export interface Script {
  name: string;
  /** Every script opens with `/start` (the console types it by itself when it opens). */
  steps: Step[];
}

/** Every script opens with `/start` (the console types it by itself when it opens). */
export const START: Step = { say: "/start", replies: 2, expect: ["core.welcome", "consent.ask"] };
