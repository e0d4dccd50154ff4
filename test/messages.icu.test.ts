// Messages right by construction: every message of every locale is valid ICU MessageFormat, and
// counts choose their words through plural rules instead of "1 reflections".
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compiled, ContentError, placeholdersOf } from "../src/content/catalog.js";
import { loadContent } from "../src/content/content.js";
import { MESSAGES_DIR } from "./helpers/bot.js";

const content = loadContent(MESSAGES_DIR, "en");
const en = content.for("en");

/** The names of the plural arguments in a template (from FormatJS's AST: type 6 is a plural). */
function pluralArgs(template: string): string[] {
  const names: string[] = [];
  const walk = (els: readonly { type: number; value?: unknown; options?: Record<string, { value: never[] }> }[]) => {
    for (const el of els) {
      if (el.type === 6 && typeof el.value === "string") names.push(el.value);
      if (el.options) for (const o of Object.values(el.options)) walk(o.value);
    }
  };
  walk(compiled(template, "en", "test").format.getAst() as never);
  return names;
}

const pluralMessages = en
  .allMessages()
  .flatMap((m) => m.variants.map((v) => ({ id: `${m.id}#${v.id}`, msg: m.id, variant: v.id, text: v.text })))
  .filter((v) => pluralArgs(v.text).length > 0);

describe("messages: ICU MessageFormat", () => {
  it("compiles every message of every shipped locale", () => {
    let n = 0;
    for (const locale of content.locales()) {
      const t = content.for(locale);
      for (const m of t.allMessages())
        for (const v of m.variants) {
          expect(() => compiled(v.text, locale, `${locale}:${m.id}#${v.id}`)).not.toThrow();
          n++;
        }
    }
    expect(n).toBeGreaterThan(300);
  });

  it("uses plural rules wherever a count meets a noun", () => {
    expect(pluralMessages.map((p) => p.msg)).toEqual(
      expect.arrayContaining(["journal.list", "journal.few_yet", "goals.weekly_due", "privacy.withdrawn"]),
    );
  });

  it.each(pluralMessages.map((p) => [p.id, p] as const))("%s renders 0, 1 and 2 with the right forms", (_id, p) => {
    const vars: Record<string, string | number> = {};
    for (const name of placeholdersOf(p.text)) vars[name] = "X";
    const render = (n: number) => {
      for (const a of pluralArgs(p.text)) vars[a] = n;
      return en.variantText(p.msg, p.variant, vars);
    };
    const [zero, one, two] = [render(0), render(1), render(2)];
    for (const out of [zero, one, two]) expect(out).not.toMatch(/NaN|\{|\}/);
    // "one" and "other" differ, and the singular never reads "1 reflections".
    expect(one).not.toBe(two);
    expect(one).not.toMatch(/\b1 [a-z]+s\b/);
    expect(two).toMatch(/\b2 ([a-z-]+ )?([a-z-]+s|people)\b/);
    expect(zero).toMatch(/\b0 ([a-z-]+ )?([a-z-]+s|people)\b/);
  });

  it("reads right for the journal's counts", () => {
    expect(en.text("journal.list", { count: 1, entries: "-" })).toContain("(1 reflection, newest first)");
    expect(en.text("journal.list", { count: 2, entries: "-" })).toContain("(2 reflections, newest first)");
    expect(en.text("journal.few_yet", { more: 1 })).toMatch(/^After one more reflection I can start/);
    expect(en.text("journal.few_yet", { more: 2 })).toContain("After 2 more reflections");
    expect(en.text("goals.weekly_due", { applications: 1, contacts: 1, logged: 0 })).toContain(
      "1 application and 1 person to contact. You logged 0 applications this week.",
    );
  });

  it("leaves no count glued to a plural noun in English", () => {
    // A number placeholder followed by a plural noun is the "1 reflections" bug; plural them instead.
    const nouns = "reflections|applications|months|weeks|days|reminders|rejections|subscribers|people|kinds";
    const glued = new RegExp(`\\{[a-zA-Z_]+\\} (${nouns})\\b`);
    const found = en
      .allMessages()
      .flatMap((m) => m.variants.filter((v) => glued.test(v.text)).map((v) => `${m.id}#${v.id}`));
    expect(found).toEqual([]);
  });

  it("still fills {name} placeholders, needs every value, and names a broken plural's file and key", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "bb-icu-"));
    mkdirSync(path.join(dir, "en"));
    const yaml = "hi: Hi {name}, you have {n, plural, one {# note} other {# notes}}\n";
    writeFileSync(path.join(dir, "en", "core.yaml"), yaml);
    const t = loadContent(dir, "en").for("en");
    expect(t.text("core.hi", { name: "Thandi", n: 1 })).toBe("Hi Thandi, you have 1 note");
    expect(t.text("core.hi", { name: "Thandi", n: 1500 })).toBe("Hi Thandi, you have 1,500 notes");
    expect(() => t.text("core.hi", { name: "Thandi" })).toThrow(/placeholder \{n\} in "core\.hi"/);
    expect(placeholdersOf("Hi {name}, {n, plural, one {# for {who}} other {#}}")).toEqual(["name", "n", "who"]);
    writeFileSync(path.join(dir, "en", "core.yaml"), "hi: You have {n, plural, one {# note}\n");
    expect(() => loadContent(dir, "en")).toThrow(ContentError);
    expect(() => loadContent(dir, "en")).toThrow(/messages\/en\/core\.yaml: core\.hi#0/);
  });

  it("keeps apostrophes and angle brackets as text", () => {
    expect(en.text("journal.empty")).toContain("I'll keep it here");
    const dir = mkdtempSync(path.join(os.tmpdir(), "bb-icu-"));
    mkdirSync(path.join(dir, "en"));
    writeFileSync(path.join(dir, "en", "core.yaml"), "hi: \"You're doing great <3 {name}'s turn\"\n");
    const t = loadContent(dir, "en").for("en");
    expect(t.text("core.hi", { name: "Sipho" })).toBe("You're doing great <3 Sipho's turn");
  });
});
