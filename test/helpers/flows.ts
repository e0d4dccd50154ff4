// The conversation engine on its own (no channel), wired like src/main.ts over real Redis, for
// driving flows turn by turn. `RecordingScheduler` is a double of the Scheduler port (not a
// Redis mock): it records what flows ask the schedule to do.
import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { Engine } from "../../src/core/engine.js";
import type { CoreServices } from "../../src/core/context.js";
import { coreFlows } from "../../src/core/flows/index.js";
import { makeServices } from "./engine.js";
import type { DueItem, ScheduleResult, Scheduler } from "../../src/core/ports/schedule.js";
import type { Choice, Reply, UserKey } from "../../src/core/types.js";
import { Conversations } from "../../src/core/ports/state.js";
import { createFlowStores } from "../../src/store/flowstores.js";
import { FakeClock, silentLog } from "./bot.js";
import type { TestRedis } from "./redis.js";
import { RedisConversations } from "../../src/store/conversations.js";

export class RecordingScheduler implements Scheduler {
  readonly items: DueItem[] = [];
  limit = Infinity;
  async add(item: Omit<DueItem, "id"> & { id?: string }): Promise<ScheduleResult> {
    if (this.items.length >= this.limit) return { status: "limit_reached", limit: this.limit };
    const full: DueItem = { ...item, id: item.id ?? `i${this.items.length + 1}` };
    this.items.push(full);
    return { status: "scheduled", item: full };
  }
  async list(user: UserKey): Promise<DueItem[]> {
    return this.items.filter((i) => i.user === user && i.kind !== "daily").sort((a, b) => a.dueAt - b.dueAt);
  }
  async get(user: UserKey, id: string): Promise<DueItem | undefined> {
    return this.items.find((i) => i.user === user && i.id === id);
  }
  async cancel(user: UserKey, id: string): Promise<boolean> {
    const i = this.items.findIndex((x) => x.user === user && x.id === id);
    if (i < 0) return false;
    this.items.splice(i, 1);
    return true;
  }
  async removeAllFor(user: UserKey): Promise<number> {
    const before = this.items.length;
    for (let i = this.items.length - 1; i >= 0; i--) if (this.items[i]!.user === user) this.items.splice(i, 1);
    return before - this.items.length;
  }
}

export interface EngineHarness {
  engine: Engine;
  services: CoreServices;
  clock: FakeClock;
  scheduler?: RecordingScheduler;
}

export function makeFlowEngine(r: TestRedis, o: { clock?: FakeClock; scheduler?: RecordingScheduler | null; ttlSeconds?: number } = {}): EngineHarness {
  const clock = o.clock ?? new FakeClock(Date.UTC(2026, 10, 24, 8, 0)); // Tue 24 Nov 2026, 10:00 in Johannesburg
  const scheduler = o.scheduler === null ? undefined : (o.scheduler ?? new RecordingScheduler());
  // Wired like src/main.ts (makeServices), plus the flows' stores and the scheduler double.
  const services = makeServices(r.redis, r.prefix, clock);
  services.conversations = new RedisConversations(r.redis, r.keys, o.ttlSeconds ?? 48 * 3600);
  services.ext.flowStores = createFlowStores(r.redis, r.keys);
  if (scheduler) services.ext.scheduler = scheduler;
  return { engine: new Engine(services, coreFlows, silentLog), services, clock, scheduler };
}

/** One user talking to an engine: `say` and `tap` return the replies' texts; `last` holds the replies. */
export class Chat {
  last: Reply[] = [];
  private n = 0;
  constructor(
    public h: EngineHarness,
    readonly user: UserKey = `console:${randomBytes(4).toString("hex")}`,
  ) {}

  async say(t: string): Promise<string[]> {
    const out = await this.h.engine.handle({ channel: "console", user: this.user, updateId: `${this.user}-${Date.now()}-${this.n++}`, kind: "text", text: t });
    return this.record(out);
  }

  async press(value: string): Promise<string[]> {
    const out = await this.h.engine.handle({ channel: "console", user: this.user, updateId: `${this.user}-${Date.now()}-${this.n++}`, kind: "choice", value });
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
      const r = this.last[i]!;
      if (r.kind === "text" && r.choices?.length) return r.choices;
    }
    return [];
  }

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
