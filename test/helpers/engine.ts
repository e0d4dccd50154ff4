// The conversation engine on real Redis, without any channel: for tests of the core. Built by
// the app's own buildEngine (src/app.ts), so the ports are the real ones: state, stores, the
// schedule's index and daily subscriptions (no workers run), user data and figures.
import type { Redis } from "ioredis";
import { buildEngine, type BuiltEngine } from "../../src/app.js";
import { loadContent } from "../../src/content/content.js";
import type { Clock } from "../../src/core/clock.js";
import type { Engine } from "../../src/core/engine.js";
import type { Flow } from "../../src/core/flow.js";
import { choicesOf, type Incoming, type UserKey } from "../../src/core/types.js";
import { Keys } from "../../src/store/keys.js";
import { MESSAGES_DIR, silentLog } from "./bot.js";

// The production default (LOCALES=en); a test of languages passes `locales`.
const content = loadContent(MESSAGES_DIR, "en", ["en"]);

export interface CoreOptions {
  clock?: Clock;
  flows?: readonly Flow[];
  /** Upcoming reminders per user (the schedule's limit); default the app's. */
  reminderLimit?: number;
  conversationTtlSeconds?: number;
  adminIds?: readonly string[];
  /** Enabled reply languages (LOCALES); default only English. */
  locales?: readonly string[];
}

/** The engine and its ports, as the app builds them, under `prefix`. */
export function buildCore(redis: Redis, prefix: string, o: CoreOptions = {}): BuiltEngine {
  return buildEngine({
    redis,
    keys: new Keys(prefix),
    content: o.locales ? loadContent(MESSAGES_DIR, "en", o.locales) : content,
    clock: o.clock ?? { now: () => Date.now() },
    log: silentLog,
    settings: {
      defaultTimezone: "Africa/Johannesburg",
      adminIds: new Set(o.adminIds),
      maxMessageChars: 4000,
      retentionMonths: 12,
      inactiveMonths: 12,
    },
    reminderLimit: o.reminderLimit,
    conversationTtlSeconds: o.conversationTtlSeconds ?? 3600,
    floodLimitPerMinute: 20,
    channels: ["telegram", "whatsapp", "console"],
    tickSeconds: 1,
    flows: o.flows,
  });
}

export function makeEngine(redis: Redis, prefix: string, o: CoreOptions = {}): Engine {
  return buildCore(redis, prefix, o).engine;
}

let seq = 0;
/** A user who types: `say("hi")` returns the bot's reply texts; the last offered choices are kept. */
export function chatAs(engine: Engine, user: UserKey) {
  type Input = { updateId?: string } & (
    | { kind: "text"; text: string }
    | { kind: "choice"; value: string }
    | { kind: "unsupported"; what: string }
  );
  const send = async (inc: Input) => {
    const out = await engine.handle({
      ...inc,
      channel: "console",
      user,
      updateId: inc.updateId ?? `u${++seq}`,
    } as Incoming);
    if (out.status === "duplicate") return { status: out.status, texts: [], choices: [] };
    const texts = out.replies.map((r) => (r.kind === "text" ? r.text : r.fallbackText));
    const last = [...out.replies].reverse().find((r) => choicesOf(r)?.length);
    return { status: out.status, texts, choices: (last && choicesOf(last)) ?? [] };
  };
  return {
    say: (text: string, updateId?: string) => send({ kind: "text", text, updateId }),
    press: (value: string) => send({ kind: "choice", value }),
    send,
  };
}
