// The message catalog: loads, validates, fills; a broken file stops the start naming file and key.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ContentError, LIMITS, loadContent, placeholdersOf } from "../src/content/catalog.js";
import { chooseVariant } from "../src/content/variants.js";
import { MESSAGES_DIR } from "./helpers/bot.js";

function locale(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bb-msg-"));
  mkdirSync(path.join(dir, "en"));
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, "en", name), body);
  return dir;
}

describe("content", () => {
  it("ships messages that fit the platforms' limits", () => {
    const content = loadContent(MESSAGES_DIR, "en");
    for (const l of content.locales()) {
      const t = content.for(l);
      for (const m of t.allMessages()) for (const v of m.variants) expect([...v.text].length, `${m.id}#${v.id}`).toBeLessThanOrEqual(LIMITS.text);
      for (const id of t.labelIds()) expect([...t.label(id)].length, id).toBeLessThanOrEqual(LIMITS.label);
    }
  });

  it.each([
    [{ "core.yaml": "welcome: [unclosed" }, /core\.yaml: not valid YAML/],
    [{ "core.yaml": "welcome:\n  strategy: nonsense\n  text: hi" }, /core\.yaml: "core\.welcome" has unknown strategy "nonsense"/],
    [{ "core.yaml": "welcome:\n  variants: []" }, /core\.yaml: "core\.welcome" needs "text" or a non-empty "variants" list/],
    [{ "core.yaml": "labels:\n  too_long: This label is far too long for a button" }, /label "too_long" is \d+ characters/],
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
});
