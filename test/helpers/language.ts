// The "didn't catch that" answer as an English-only deployment (LOCALES=en) words it: its text
// names the languages read and answered in (core/flows/language.ts).
import { loadContent } from "../../src/content/content.js";
import { languageLists } from "../../src/core/flows/language.js";
import { MESSAGES_DIR } from "./bot.js";

const englishOnly = loadContent(MESSAGES_DIR, "en", ["en"]);

export const NOT_UNDERSTOOD = englishOnly.for("en").text("core.not_understood", languageLists(englishOnly, "en"));
