// The message catalog: loads, validates, fills; a broken file stops the start naming file and key.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ContentError, LIMITS, placeholdersOf } from "../src/content/catalog.js";
import { loadContent, missingSafety } from "../src/content/content.js";
import { chooseVariant } from "../src/content/variants.js";
import { MESSAGES_DIR } from "./helpers/bot.js";

function locale(files: Record<string, string>, more: Record<string, Record<string, string>> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bb-msg-"));
  for (const [loc, fs] of Object.entries({ en: files, ...more })) {
    mkdirSync(path.join(dir, loc));
    for (const [name, body] of Object.entries(fs)) writeFileSync(path.join(dir, loc, name), body);
  }
  return dir;
}

const SAFETY_EN = "crisis: Call {helpline}\nask: Are you safe?\ndata:\n  helplines: [{ name: Line, number: '0800' }]\n";

describe("content", () => {
  it("ships messages that fit the platforms' limits", () => {
    const content = loadContent(MESSAGES_DIR, "en");
    for (const l of content.locales()) {
      const t = content.for(l);
      for (const m of t.allMessages())
        for (const v of m.variants) expect([...v.text].length, `${m.id}#${v.id}`).toBeLessThanOrEqual(LIMITS.text);
      for (const id of t.labelIds()) expect([...t.label(id)].length, id).toBeLessThanOrEqual(LIMITS.label);
    }
  });

  it.each([
    [{ "core.yaml": "welcome: [unclosed" }, /core\.yaml: not valid YAML/],
    [
      { "core.yaml": "welcome:\n  strategy: nonsense\n  text: hi" },
      /core\.yaml: "core\.welcome" has unknown strategy "nonsense"/,
    ],
    [
      { "core.yaml": "welcome:\n  variants: []" },
      /core\.yaml: "core\.welcome" needs "text" or a non-empty "variants" list/,
    ],
    [
      { "core.yaml": "labels:\n  too_long: This label is far too long for a button" },
      /label "too_long" is \d+ characters/,
    ],
    [{ "a.yaml": "labels:\n  x: One", "b.yaml": "labels:\n  x: Two" }, /label "x" is defined twice/],
    [{ "core.yaml": `welcome: "${"x".repeat(LIMITS.text + 1)}"` }, /"core\.welcome" is \d+ characters/],
  ])("refuses a broken file with the file and key named (%#)", (files, message) => {
    expect(() => loadContent(locale(files), "en")).toThrow(ContentError);
    expect(() => loadContent(locale(files), "en")).toThrow(message);
  });

  it("stops when the default locale is missing", () => {
    expect(() => loadContent(locale({ "core.yaml": "a: b" }), "zu")).toThrow(/DEFAULT_LOCALE is "zu"/);
  });

  it("fills placeholders and refuses to send one unfilled", () => {
    const t = loadContent(locale({ "core.yaml": "hello: |-\n  Hi {name}, {n} reminders" }), "en").for("en");
    expect(t.text("core.hello", { name: "Thandi", n: 2 })).toBe("Hi Thandi, 2 reminders");
    expect(() => t.text("core.hello", { name: "Thandi" })).toThrow(/placeholder \{n\}/);
    expect(placeholdersOf("{a} and {b}")).toEqual(["a", "b"]);
  });

  it("picks a variant not seen recently, else the one seen longest ago", () => {
    const vs = [{ id: "a" }, { id: "b" }, { id: "c" }];
    expect(chooseVariant(vs, ["a", "b"]).id).toBe("c");
    expect(chooseVariant(vs, ["c", "b", "a"]).id).toBe("a");
  });

  it("falls back to the default locale per message, label, phrase list and data key", () => {
    const dir = locale(
      {
        "core.yaml":
          "hello: Hello\nbye: Goodbye\nlabels:\n  ok: OK\n  no: No\nphrases:\n  greet: [hi]\ndata:\n  n: 1\n  m: 2",
        "safety.yaml": SAFETY_EN,
      },
      { zu: { "core.yaml": "hello: Sawubona\nlabels:\n  ok: Kulungile\ndata:\n  n: 10", "safety.yaml": SAFETY_EN } },
    );
    const zu = loadContent(dir, "en", ["en", "zu"]).for("zu");
    expect(zu.locale).toBe("zu");
    expect(zu.text("core.hello")).toBe("Sawubona");
    expect(zu.text("core.bye")).toBe("Goodbye");
    expect(zu.label("ok")).toBe("Kulungile");
    expect(zu.label("no")).toBe("No");
    expect(zu.phrases("greet")).toEqual(["hi"]);
    expect(zu.dataOf("n")).toBe(10);
    expect(zu.dataOf("m")).toBe(2);
    // The default locale itself is not changed by the other's keys.
    expect(loadContent(dir, "en", ["en", "zu"]).for("en").text("core.hello")).toBe("Hello");
  });

  it("stops at start when an enabled locale lacks a safety text, naming each missing one", () => {
    const dir = locale(
      { "core.yaml": "hello: Hello", "safety.yaml": SAFETY_EN },
      { zu: { "core.yaml": "hello: Sawubona", "safety.yaml": "crisis: Shaya {helpline}" } },
    );
    expect(() => loadContent(dir, "en", ["en", "zu"])).toThrow(
      /messages\/zu\/ lacks safety texts .*: safety\.ask, data\.helplines/,
    );
    // Not enabled: not checked, not served.
    expect(loadContent(dir, "en", ["en"]).locales()).toEqual(["en"]);
  });

  it("ships af and zu with every safety text and the helplines of their own", () => {
    const content = loadContent(MESSAGES_DIR, "en", ["en", "af", "zu"]);
    expect(content.locales()).toEqual(["en", "af", "zu"]);
    const en = content.for("en");
    for (const l of ["af", "zu"]) {
      const own = loadContent(MESSAGES_DIR, l, [l]).for(l);
      expect(missingSafety(own, en), l).toEqual([]);
      expect(own.dataOf<unknown[]>("helplines").length, l).toBe(en.dataOf<unknown[]>("helplines").length);
    }
  });

  it("keeps the DRAFT (or UNTRANSLATED, English on purpose) header in every af and zu file", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    for (const l of ["af", "zu"]) {
      for (const f of readdirSync(path.join(MESSAGES_DIR, l)).filter((x) => x.endsWith(".yaml"))) {
        expect(readFileSync(path.join(MESSAGES_DIR, l, f), "utf8").slice(0, 300), `${l}/${f}`).toMatch(
          /^(# DRAFT translation[\s\S]*NOT been reviewed by a native speaker|# UNTRANSLATED: English on purpose)/,
        );
      }
    }
  });
});
