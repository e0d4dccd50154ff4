// Real bot processes (`node --import tsx src/main.ts`, what `npm start` runs without npx's own
// start-up second) against test Redis and the fake Bot API; killed at the end of each test.
// Also: waiting for a process's exit, and for its HTTP server to answer.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { FAKE_TOKEN, type FakeTelegram } from "../fakes/telegram.js";
import { eventually, type TestRedis } from "./redis.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

export class BotProcesses {
  private readonly procs: ChildProcess[] = [];

  /**
   * Starts one bot process; `env` adds to or overrides the test defaults (fast ticks, short
   * leases). With `captureLog`, its log (stderr, JSON lines) is kept for `logOf` instead of shown.
   */
  spawn(
    r: TestRedis,
    tg: FakeTelegram,
    env: Record<string, string> = {},
    o: { captureLog?: boolean } = {},
  ): ChildProcess {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: ROOT,
      env: {
        ...process.env,
        REDIS_URL: r.url,
        ...r.env,
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
      stdio: ["ignore", "ignore", o.captureLog ? "pipe" : "inherit"],
    });
    this.procs.push(child);
    if (o.captureLog) {
      const lines: string[] = [];
      this.logs.set(child, lines);
      let rest = "";
      child.stderr!.on("data", (d: Buffer) => {
        const parts = (rest + d.toString("utf8")).split("\n");
        rest = parts.pop() ?? "";
        lines.push(...parts);
      });
    }
    return child;
  }

  private readonly logs = new Map<ChildProcess, string[]>();

  /** The log lines a process started with `captureLog` has written so far, parsed where they are JSON. */
  logOf(child: ChildProcess): Record<string, unknown>[] {
    return (this.logs.get(child) ?? []).map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return { msg: l };
      }
    });
  }

  /** SIGKILLs every process still running (call in afterEach). */
  killAll(): void {
    for (const p of this.procs.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
  }
}

/** Resolves with the exit code (or signal) when the process ends. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

/** Waits until the process's HTTP server answers GET /healthz with 200. */
export async function serving(port: number, timeoutMs = 20_000): Promise<void> {
  await eventually(
    async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200,
    timeoutMs,
    `the bot on port ${port} to serve`,
  );
}
