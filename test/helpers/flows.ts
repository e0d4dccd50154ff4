// The conversation engine on its own (no channel), built by the app's buildEngine over real
// Redis (test/helpers/engine.ts), for driving flows turn by turn. What flows schedule lands in
// the real due index (`h.schedule.index`); no delivery worker runs.
import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { Engine } from "../../src/core/engine.js";
import type { DueItem } from "../../src/core/ports/schedule.js";
import type { CoreServices } from "../../src/core/services.js";
import { choicesOf, type Choice, type Reply, type UserKey } from "../../src/core/types.js";
import type { Schedule } from "../../src/schedule/index.js";
import { FakeClock } from "./bot.js";
import { buildCore } from "./engine.js";
import type { TestRedis } from "./redis.js";

export interface EngineHarness {
  engine: Engine;
  services: CoreServices;
  clock: FakeClock;
  schedule: Schedule;
  /** Everything scheduled so far for `user` (upcoming, soonest first). */
  scheduled(user: UserKey): Promise<DueItem[]>;
}

export function makeFlowEngine(
  r: TestRedis,
  o: { clock?: FakeClock; ttlSeconds?: number; reminderLimit?: number } = {},
): EngineHarness {
  const clock = o.clock ?? new FakeClock(Date.UTC(2026, 10, 24, 8, 0)); // Tue 24 Nov 2026, 10:00 in Johannesburg
  const { engine, services, schedule } = buildCore(r.redis, r.prefix, {
    clock,
    conversationTtlSeconds: o.ttlSeconds ?? 48 * 3600,
    reminderLimit: o.reminderLimit,
  });
  return { engine, services, clock, schedule, scheduled: (user) => schedule.index.list(user) };
}

let seq = 0;

/** One user talking to an engine: `say` and `tap` return the replies' texts; `last` holds the replies. */
export class Chat {
  last: Reply[] = [];
  constructor(
    public h: EngineHarness,
    readonly user: UserKey = `console:${randomBytes(4).toString("hex")}`,
  ) {}

  async say(t: string): Promise<string[]> {
    const out = await this.h.engine.handle({
      channel: "console",
      user: this.user,
      updateId: `${this.user}-${++seq}`,
      kind: "text",
      text: t,
    });
    return this.record(out);
  }

  async press(value: string): Promise<string[]> {
    const out = await this.h.engine.handle({
      channel: "console",
      user: this.user,
      updateId: `${this.user}-${++seq}`,
      kind: "choice",
      value,
    });
    return this.record(out);
  }

  /** Presses the offered choice whose label is `label` (fails if it is not offered). */
  async tap(label: string): Promise<string[]> {
    const c = this.choices().find((x) => x.label === label);
    expect(c, `choice "${label}" offered among ${JSON.stringify(this.choices().map((x) => x.label))}`).toBeDefined();
    return this.press(c!.value);
  }

  choices(): Choice[] {
    for (let i = this.last.length - 1; i >= 0; i--) {
      const choices = choicesOf(this.last[i]!);
      if (choices?.length) return choices;
    }
    return [];
  }

  /** Each reply's words: a text's text, a file's or a chart's caption. */
  texts(): string[] {
    return this.last.map((r) => (r.kind === "text" ? r.text : r.caption));
  }

  private record(out: Awaited<ReturnType<Engine["handle"]>>): string[] {
    if (out.status === "failed") throw out.error;
    this.last = out.status === "handled" ? out.replies : [];
    const texts = this.texts();
    // No reply may carry a placeholder nobody filled.
    for (const t of texts) expect(t).not.toMatch(/\{[a-zA-Z_]+\}/);
    return texts;
  }
}
