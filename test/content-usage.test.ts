// Content as the code uses it: every message and label id used in src/ exists in every shipped
// locale, fits the platforms' limits, gets every placeholder it needs; and each of the article's
// 13 strategies has messages and is reachable in a conversation.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { placeholdersOf, STRATEGIES, type Catalog, type Strategy } from "../src/content/catalog.js";
import { loadContent } from "../src/content/content.js";
import { en, MESSAGES_DIR } from "./helpers/bot.js";
import { Chat, makeFlowEngine as makeEngine } from "./helpers/flows.js";
import { testRedis, type TestRedis } from "./helpers/redis.js";

const SRC = path.resolve(import.meta.dirname, "../src");
const content = loadContent(MESSAGES_DIR, "en");

function sources(dir: string): { file: string; code: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith(".ts") ? [{ file: path.relative(SRC, p), code: readFileSync(p, "utf8") }] : [];
  });
}

/** The arguments of a call starting right after its "(", split at top-level commas. */
function callArgs(code: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let cur = "";
  let quote: string | undefined;
  for (let i = open; i < code.length; i++) {
    const c = code[i]!;
    if (quote) {
      cur += c;
      if (c === quote && code[i - 1] !== "\\") quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    if ("([{".includes(c)) depth++;
    if (")]}".includes(c)) {
      if (depth === 0) {
        args.push(cur.trim());
        return args;
      }
      depth--;
    }
    if (c === "," && depth === 0) {
      args.push(cur.trim());
      cur = "";
      continue;
    }
    cur += c;
  }
  return args;
}

const literal = (a: string | undefined) => (a && /^"[^"]*"$/.test(a) ? a.slice(1, -1) : undefined);

interface Use {
  kind: "message" | "label";
  id: string;
  where: string;
  /** For `.text(id, {...})`: the keys given, or "any" when spread or not a literal. */
  vars?: string[] | "any";
}

function usesIn(file: string, code: string): Use[] {
  const uses: Use[] = [];
  const calls: [RegExp, "message" | "label", number][] = [
    [/\.text\(/g, "message", 0],
    [/\.pick\(/g, "message", 0],
    [/\.label\(/g, "label", 0],
    [/\.command\(/g, "label", 1],
    [/\.answer\(/g, "label", 3],
  ];
  for (const [re, kind, argIndex] of calls) {
    for (const m of code.matchAll(re)) {
      const args = callArgs(code, m.index! + m[0].length);
      const id = literal(args[argIndex]);
      if (!id) continue;
      if (kind === "message" && !id.includes(".")) continue; // `.text(` of something else
      const use: Use = { kind, id, where: `${file}:${code.slice(0, m.index).split("\n").length}` };
      if (re.source.startsWith("\\.text")) {
        const v = args[1];
        use.vars =
          v === undefined
            ? []
            : /^\{[^{}]*\}$/.test(v) && !v.includes("...")
              ? [...v.matchAll(/(\w+)\s*(?=[:,}])/g)].map((x) => x[1]!)
              : "any";
      }
      uses.push(use);
    }
  }
  // Label tables: [command, labelId] pairs, one per line (menu.ts, reflect.ts).
  for (const m of code.matchAll(/^\s*\[\s*"[a-z_]+",\s*"([a-z0-9_]+)"\s*\],?\s*$/gm))
    uses.push({ kind: "label", id: m[1]!, where: file });
  return uses;
}

const USES = sources(SRC).flatMap((s) => usesIn(s.file, s.code));

describe("content", () => {
  it("finds the ids the flows use (the scan works)", () => {
    const ids = new Set(USES.map((u) => u.id));
    for (const id of [
      "reflect.ask_prepared",
      "feedback.email",
      "checkin.care_low",
      "skip",
      "fb_interview",
      "menu_reflect",
      "step_mock",
    ])
      expect(ids).toContain(id);
  });

  for (const locale of content.locales()) {
    const t: Catalog = content.for(locale);
    it(`every id used in src/ exists in locale ${locale}`, () => {
      const missing = USES.filter((u) => (u.kind === "message" ? !t.has(u.id) : !t.labelIds().includes(u.id))).map(
        (u) => `${u.kind} ${u.id} (${u.where})`,
      );
      expect(missing).toEqual([]);
    });

    it(`every message in ${locale} fits Telegram's 4096 characters, and every label WhatsApp's 20`, () => {
      for (const m of t.allMessages())
        for (const v of m.variants) expect([...v.text].length, `${m.id}#${v.id}`).toBeLessThanOrEqual(4096);
      for (const id of t.labelIds()) expect([...t.label(id)].length, id).toBeLessThanOrEqual(20);
    });

    it(`no placeholder is left unfilled in ${locale}`, () => {
      const problems: string[] = [];
      for (const u of USES) {
        if (u.kind !== "message" || !u.vars || u.vars === "any" || !t.has(u.id)) continue;
        for (const v of t.message(u.id).variants) {
          for (const p of placeholdersOf(v.text))
            if (!u.vars.includes(p)) problems.push(`${u.id} needs {${p}} at ${u.where}`);
        }
      }
      // Picked messages (variants) are filled with no values: none may have placeholders.
      for (const u of USES.filter((x) => x.kind === "message" && x.vars === undefined && t.has(x.id))) {
        for (const v of t.message(u.id).variants)
          if (placeholdersOf(v.text).length)
            problems.push(`${u.id}#${v.id} has placeholders but is picked without values`);
      }
      expect(problems).toEqual([]);
    });
  }
});

/** How a user reaches each of the article's strategies, from a fresh start. */
const REACH: Record<Strategy, string[]> = {
  common: ["they rejected me"],
  reflect: ["/reflect"],
  feedback: ["/feedback"],
  resilience: ["/progress rejected", "Game"],
  perspective: ["/reflect", "skip", "skip", "skip", "skip", "skip", "skip"],
  network: ["/progress"],
  momentum: ["I applied to Clicks"],
  selfcare: ["/checkin", "2", "skip"],
  goals: ["/goals"],
  professional: ["/pro"],
  mentalhealth: ["I feel so anxious and hopeless"],
  reapply: ["/feedback", "1", "skip", "skip", "skip"],
  growth: ["/reflect", "skip", "skip", "skip", "skip", "skip", "skip", "1", "no reminder"],
};

/** The longest placeholder-free piece of a message, to find it inside a reply. */
function anchor(text: string): string {
  return text
    .split(/\{[a-zA-Z_]+\}/)
    .sort((a, b) => b.length - a.length)[0]!
    .trim();
}

describe("the article's 13 strategies", () => {
  let r: TestRedis;
  beforeAll(async () => {
    r = await testRedis();
  });
  afterAll(async () => {
    await r.cleanup();
  });

  it("are all mapped", () => {
    expect(Object.keys(REACH).sort()).toEqual([...STRATEGIES].sort());
  });

  it.each([...STRATEGIES])("%s has messages and is reachable in a conversation", async (strategy) => {
    const tagged = en
      .allMessages()
      .flatMap((m) =>
        m.variants.filter((v) => v.strategy === strategy).map((v) => ({ id: `${m.id}#${v.id}`, text: v.text })),
      );
    expect(tagged.length, `messages tagged ${strategy}`).toBeGreaterThan(0);
    const chat = new Chat(makeEngine(r));
    const seen: string[] = [];
    for (const said of REACH[strategy]) seen.push(...(await chat.say(said)));
    const hit = tagged.find((m) => seen.some((s) => s.includes(anchor(m.text))));
    expect(hit, `a reply tagged ${strategy} among:\n${seen.join("\n---\n")}`).toBeDefined();
  });
});
