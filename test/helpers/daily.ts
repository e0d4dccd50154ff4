// The daily boost as it arrives: the greeting for the local time of day, then one variant.
import { en } from "./bot.js";
import type { PartOfDay } from "../../src/core/flows/daily.js";

/** Every text a daily boost sent in `part` of the day can be. */
export function dailyTexts(part: PartOfDay): string[] {
  return en.message("daily.message").variants.map((v) =>
    en.text("daily.greeting", { part, message: en.variantText("daily.message", v.id, { part }) }),
  );
}
