// Real bot processes (`node --import tsx src/main.ts`, what `npm start` runs without npx's own
// start-up second) against test Redis and the fake Bot API; killed at the end of each test.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { FAKE_TOKEN, type FakeTelegram } from "../fakes/telegram.js";
import type { TestRedis } from "./redis.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

export class BotProcesses {
  private readonly procs: ChildProcess[] = [];

  /** Starts one bot process; `env` adds to or overrides the test defaults (fast ticks, short leases). */
  spawn(r: TestRedis, tg: FakeTelegram, env: Record<string, string> = {}): ChildProcess {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: ROOT,
      env: {
        ...process.env,
        REDIS_URL: r.url,
        REDIS_PREFIX: r.prefix,
        TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
        TELEGRAM_API_ROOT: tg.url,
        PORT: "0",
        LOG_LEVEL: "warn",
        SCHEDULER_TICK_SECONDS: "1",
        SCHEDULER_LEASE_SECONDS: "3",
        DELIVERY_LOCK_SECONDS: "3",
        ...env,
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    this.procs.push(child);
    return child;
  }

  /** SIGKILLs every process still running (call in afterEach). */
  killAll(): void {
    for (const p of this.procs.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
  }
}
