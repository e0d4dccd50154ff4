// Property-based: random sequences of texts, commands and button presses from several users
// never crash the engine, never leave a user stuck (/cancel always leaves a flow), and never
// mix two users' state. Commands come from the engine itself, so new flows are covered too.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserKey } from "../src/core/types.js";
import { chatAs, makeEngine } from "./helpers/engine.js";
import { testRedis, type TestRedis } from "./helpers/redis.js";

let r: TestRedis;
beforeAll(async () => {
  r = await testRedis();
});
afterAll(async () => {
  await r.cleanup();
});

type Step =
  | { user: number; kind: "text"; text: string }
  | { user: number; kind: "command"; index: number; arg: string }
  | { user: number; kind: "press"; index: number }
  | { user: number; kind: "number"; n: number }
  | { user: number; kind: "forged"; value: string };

const sampleTexts = [
  "I didn't get the job",
  "yes",
  "no",
  "hi",
  "1",
  "7:30",
  "tomorrow 9am",
  "Acme",
  "😭",
  "لا",
  "",
  "skip",
  "help",
  "I can't go on",
];

const step = fc.oneof(
  fc.record({
    user: fc.nat(3),
    kind: fc.constant("text" as const),
    text: fc.oneof(
      fc.constantFrom(...sampleTexts),
      fc.string({ maxLength: 60 }),
      fc.string({ unit: "grapheme", maxLength: 30 }),
    ),
  }),
  fc.record({
    user: fc.nat(3),
    kind: fc.constant("command" as const),
    index: fc.nat(100),
    arg: fc.oneof(fc.constant(""), fc.string({ maxLength: 20 })),
  }),
  fc.record({ user: fc.nat(3), kind: fc.constant("press" as const), index: fc.nat(12) }),
  fc.record({ user: fc.nat(3), kind: fc.constant("number" as const), n: fc.integer({ min: 0, max: 12 }) }),
  fc.record({
    user: fc.nat(3),
    kind: fc.constant("forged" as const),
    value: fc.oneof(
      fc.string({ maxLength: 64 }),
      fc.constantFrom("start.consent:yes", "crisis.check:safe", "/forget", "/stats", "x.y:z"),
    ),
  }),
);

describe("engine under random input", () => {
  it("never crashes, never traps, never mixes users", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps: Step[]) => {
        run++;
        const engine = makeEngine(r.redis, `${r.prefix}:p${run}`);
        const commands = engine.publicCommands().filter((c) => c !== "forget" && c !== "mydata");
        const users: UserKey[] = [0, 1, 2, 3].map((i) => `console:u${i}` as UserKey);
        const chats = users.map((u) => chatAs(engine, u));
        const offered: { label: string; value: string }[][] = [[], [], [], []];
        for (const s of steps) {
          const chat = chats[s.user]!;
          let out;
          if (s.kind === "text") out = await chat.say(s.text);
          else if (s.kind === "command")
            out = await chat.say(`/${commands[s.index % commands.length]} ${s.arg}`.trim());
          else if (s.kind === "press")
            out = offered[s.user]!.length
              ? await chat.press(offered[s.user]![s.index % offered[s.user]!.length]!.value)
              : await chat.say("/help");
          else if (s.kind === "number") out = await chat.say(String(s.n));
          else out = await chat.press(s.value);
          // Always an answer, never an error.
          expect(out.status).toBe("handled");
          expect(out.texts.length).toBeGreaterThan(0);
          for (const t of out.texts) expect(t.trim().length).toBeGreaterThan(0);
          if (out.choices.length) offered[s.user] = out.choices;
        }
        // Every user can leave whatever they are in, and is then in no flow.
        for (const [i, chat] of chats.entries()) {
          const out = await chat.say("/cancel");
          expect(out.status).toBe("handled");
          const raw = await r.redis.get(`${r.prefix}:p${run}:{u:${users[i]}}:conv`);
          if (raw) expect(JSON.parse(raw).flow).toBeNull();
        }
        // No user's key holds another user's id.
        for (const u of users) {
          const conv = await r.redis.get(`${r.prefix}:p${run}:{u:${u}}:conv`);
          for (const other of users.filter((x) => x !== u)) expect(conv ?? "").not.toContain(other);
        }
      }),
      { numRuns: 40 },
    );
  });
});
