// LOCALES: the reply languages an operator enables, checked at start with clear errors.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { ContentError } from "../src/content/catalog.js";
import { loadContent } from "../src/content/content.js";
import { MESSAGES_DIR } from "./helpers/bot.js";

describe("LOCALES", () => {
  it("defaults to English alone", () => {
    expect(loadConfig({}).LOCALES).toEqual(["en"]);
    expect(loadConfig({ LOCALES: "  " }).LOCALES).toEqual(["en"]);
  });

  it("reads a comma list, spaces and repeats forgiven", () => {
    expect(loadConfig({ LOCALES: "en, af,zu ,af" }).LOCALES).toEqual(["en", "af", "zu"]);
    expect(loadConfig({ LOCALES: "af,en", DEFAULT_LOCALE: "af" }).LOCALES).toEqual(["af", "en"]);
  });

  it("refuses a list without DEFAULT_LOCALE, naming both", () => {
    expect(() => loadConfig({ LOCALES: "af,zu" })).toThrow(ConfigError);
    expect(() => loadConfig({ LOCALES: "af,zu" })).toThrow(/LOCALES must include DEFAULT_LOCALE \("en"\)/);
  });

  it("refuses what is not a locale name", () => {
    expect(() => loadConfig({ LOCALES: "en,Zulu!" })).toThrow(
      /LOCALES must be locale folder names separated by commas/,
    );
  });

  it("refuses at start a locale that has no messages folder, naming it and what is shipped", () => {
    const locales = loadConfig({ LOCALES: "en,xh" }).LOCALES;
    expect(() => loadContent(MESSAGES_DIR, "en", locales)).toThrow(ContentError);
    expect(() => loadContent(MESSAGES_DIR, "en", locales)).toThrow(
      /LOCALES names xh, but messages\/ has no such folder \(shipped: af, en, zu\)/,
    );
  });

  it("serves only the enabled locales", () => {
    const content = loadContent(MESSAGES_DIR, "en", loadConfig({ LOCALES: "en,zu" }).LOCALES);
    expect(content.locales()).toEqual(["en", "zu"]);
    expect(content.isEnabled("af")).toBe(false);
    // A user who chose Afrikaans while it was enabled gets English once it is not.
    expect(content.for("af").locale).toBe("en");
    expect(content.for("zu").locale).toBe("zu");
    expect(content.match("zu-ZA")).toBe("zu");
    expect(content.match("af")).toBeUndefined();
  });

  it("chooses a user's reply language: their choice if enabled, else an enabled hint, else the default", () => {
    const content = loadContent(MESSAGES_DIR, "en", ["en", "zu"]);
    expect(content.localeFor({ locale: "zu", languageHint: "af" })).toBe("zu");
    expect(content.localeFor({ locale: "af", languageHint: "zu-ZA" })).toBe("zu");
    expect(content.localeFor({ languageHint: "en-ZA" })).toBe("en");
    expect(content.localeFor({ languageHint: "st-LS" })).toBe("en");
    expect(content.localeFor(null)).toBe("en");
  });
});
