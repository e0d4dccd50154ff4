// The understanding service the engine reads messages with, unless it is given another: the
// trained model and the crisis rules are large and read-only, so they are loaded once, on first
// use, and shared by every engine of the process (the app's, and the many that tests build).
import type { Understanding } from "../core/understanding.js";
import { createUnderstanding } from "../understanding/index.js";

let sharedUnderstanding: Understanding | undefined;
/** The trained model and rules, loaded on first use and shared by every engine of the process (read-only). */
export function defaultUnderstanding(): Understanding {
  sharedUnderstanding ??= createUnderstanding();
  return sharedUnderstanding;
}
