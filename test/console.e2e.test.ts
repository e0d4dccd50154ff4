// The real process (`tsx src/main.ts`), as `npm start` runs it with no platform configured:
// a chat on stdin and stdout.
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { en } from "./helpers/bot.js";
import { redisPerTest } from "./helpers/redis.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

const r = redisPerTest();

function run(lines: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, ["src/main.ts"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? "/tmp", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => resolve({ code, out, err }));
    child.stdin.end(lines.map((l) => `${l}\n`).join(""));
  });
}

describe("console chat", () => {
  it("greets, takes consent by number, supports a rejection, and exits cleanly at end of input", async () => {
    const { code, out, err } = await run(["1", "I didn't get the job", "2", "/tip"], {
      REDIS_URL: r.url,
      REDIS_PREFIX: r.prefix,
    });
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain(en.text("core.welcome").split("\n")[0]);
    expect(out).toContain(`1) ${en.label("consent_yes")}`);
    expect(out).toContain(en.text("consent.thanks_yes").split("\n")[0]);
    expect(out).toContain(en.text("support.what_next"));
    expect(await r.redis.hget(r.keys.user("console:local", "profile"), "consent")).toBe("yes");
  });

  it("stops with one clear line when the configuration is wrong", async () => {
    const { code, out, err } = await run([], { REDIS_URL: r.url, PORT: "not-a-port", TELEGRAM_BOT_TOKEN: "oops" });
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err.trim().split("\n")).toHaveLength(1);
    expect(err).toMatch(/PORT/);
    expect(err).toMatch(/TELEGRAM_BOT_TOKEN/);
    expect(err).not.toContain("oops");
  });
});
