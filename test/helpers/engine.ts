// The conversation engine on real Redis, without any channel: for tests of the core.
import { Redis } from "ioredis";
import { Engine } from "../../src/core/engine.js";
import { coreFlows } from "../../src/core/flows/index.js";
import type { CoreServices } from "../../src/core/context.js";
import type { Clock } from "../../src/core/clock.js";
import type { Flow } from "../../src/core/flow.js";
import type { Incoming, UserKey } from "../../src/core/types.js";
import { loadContent } from "../../src/content/catalog.js";
import { Conversations } from "../../src/core/ports/state.js";
import { Dedup } from "../../src/core/ports/state.js";
import { Keys } from "../../src/store/keys.js";
import { Profiles } from "../../src/core/ports/state.js";
import { createFlowStores } from "../../src/store/flowstores.js";
import { Turns } from "../../src/core/ports/state.js";
import { SeenVariants } from "../../src/core/ports/state.js";
import { MESSAGES_DIR, silentLog } from "./bot.js";
import { RedisDedup } from "../../src/store/dedup.js";
import { RedisSeenVariants } from "../../src/store/variants.js";
import { RedisConversations } from "../../src/store/conversations.js";
import { RedisTurns } from "../../src/store/turns.js";
import { RedisProfiles } from "../../src/store/profiles.js";

export function makeServices(redis: Redis, prefix: string, clock: Clock = { now: () => Date.now() }): CoreServices & { dedup: Dedup } {
  const keys = new Keys(prefix);
  return {
    content: loadContent(MESSAGES_DIR, "en"),
    profiles: new RedisProfiles(redis, keys),
    conversations: new RedisConversations(redis, keys, 3600),
    turns: new RedisTurns(redis, keys),
    seen: new RedisSeenVariants(redis, keys),
    dedup: new RedisDedup(redis, keys),
    clock,
    defaultTimezone: "Africa/Johannesburg",
    adminIds: new Set(),
    maxMessageChars: 4000,
    // As in main.ts: the conversation flows' stores (journal, moods, goals, applications).
    ext: { flowStores: createFlowStores(redis, keys) },
  };
}

export function makeEngine(redis: Redis, prefix: string, o: { clock?: Clock; flows?: readonly Flow[] } = {}) {
  return new Engine(makeServices(redis, prefix, o.clock), o.flows ?? coreFlows, silentLog);
}

let seq = 0;
/** A user who types: `say("hi")` returns the bot's reply texts; the last offered choices are kept. */
export function chatAs(engine: Engine, user: UserKey) {
  type Input = { updateId?: string } & ({ kind: "text"; text: string } | { kind: "choice"; value: string } | { kind: "unsupported"; what: string });
  const send = async (inc: Input) => {
    const out = await engine.handle({ ...inc, channel: "console", user, updateId: inc.updateId ?? `u${++seq}` } as Incoming);
    if (out.status === "duplicate") return { status: out.status, texts: [], choices: [] };
    const texts = out.replies.map((r) => (r.kind === "text" ? r.text : r.fallbackText));
    const last = [...out.replies].reverse().find((r) => r.kind === "text" && r.choices?.length);
    return { status: out.status, texts, choices: last && last.kind === "text" ? last.choices! : [] };
  };
  return {
    say: (text: string, updateId?: string) => send({ kind: "text", text, updateId }),
    press: (value: string) => send({ kind: "choice", value }),
    send,
  };
}
