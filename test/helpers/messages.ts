// Texts the bot builds from several catalog entries, as tests expect them.
import { coreFlows } from "../../src/core/flows/index.js";
import { helpText } from "../../src/core/flows/welcome.js";
import type { PartOfDay } from "../../src/core/flows/daily.js";
import type { Catalog } from "../../src/content/catalog.js";
import { en } from "./bot.js";

/** Every text a daily boost sent in `part` of the day can be: the greeting, then one variant. */
export function dailyTexts(part: PartOfDay): string[] {
  return en
    .message("daily.message")
    .variants.map((v) => en.text("daily.greeting", { part, message: en.variantText("daily.message", v.id, { part }) }));
}

/** /help as the app's engine (every core flow) writes it, in English or in the catalog given. */
export function help(t: Catalog = en): string {
  return helpText(t, new Set(coreFlows.flatMap((f) => f.commands)));
}
