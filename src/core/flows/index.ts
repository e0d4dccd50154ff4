// Every flow the bot knows, in one list. main.ts hands it to the engine.
import type { Flow } from "../flow.js";
import { crisis } from "./crisis.js";
import { rejected, tip } from "./support.js";
import { cancel, help, start } from "./welcome.js";

export const coreFlows: readonly Flow[] = [start, help, cancel, rejected, tip, crisis];
