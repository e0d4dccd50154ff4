// The command line: `npm start`. Loads .env, starts the bot (src/app.ts), and stops it on
// SIGINT/SIGTERM or when it must stop by itself; problems in the configuration are one line.
import dotenv from "dotenv";
import { startBot, type RunningApp } from "./app.js";
import { StartError } from "./app/redis.js";
import { ConfigError } from "./config.js";
import { ContentError } from "./content/catalog.js";

async function cli(): Promise<void> {
  dotenv.config({ quiet: true });
  let app: RunningApp | undefined;
  let exiting = false;
  const shutdown = async (code: number, reason?: string) => {
    if (exiting) return;
    exiting = true;
    if (reason && code !== 0) process.stderr.write(`${reason}\n`);
    await app?.stop();
    process.exit(code);
  };
  try {
    app = await startBot({ onExit: (code, reason) => void shutdown(code, reason) });
  } catch (err) {
    if (err instanceof ConfigError || err instanceof ContentError || err instanceof StartError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  process.once("SIGINT", () => void shutdown(0));
  process.once("SIGTERM", () => void shutdown(0));
}

void cli();
