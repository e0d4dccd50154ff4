// The HTTP hardening's figures, measured on the real process (src/main.ts) with its own
// redis-server and the platform fakes: memory under 60 connections each sending a 3.4 MB
// WhatsApp body (unsigned, then with forged well-formed signatures), /healthz's answer time
// with Redis frozen (SIGSTOP), the time from SIGTERM to exit while the Bot API drops every
// connection, and one signed body of 2,000 messages (time to answer all, most Graph API calls
// at once). The "before" figures are those issue 10 reports for the hand-written server.
//
//   npx tsx bench/http-attack.ts
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { FAKE_TOKEN, FakeTelegram } from "../test/fakes/telegram.js";
import { FakeWhatsApp, batch, postWebhook, textMessage, whatsappEnv } from "../test/fakes/whatsapp.js";
import { freePort, startRedisServer } from "../test/setup/global.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const BODY = Math.floor(3.4 * 1024 * 1024);
const rss = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await wait(20);
  }
}

/** 60 connections each send headers and all but the last byte of a body, and hold it. */
async function flood(
  port: number,
  signature: string | undefined,
): Promise<{ statuses: Record<string, number>; sockets: net.Socket[] }> {
  const statuses: Record<string, number> = {};
  const sockets: net.Socket[] = [];
  await Promise.all(
    Array.from({ length: 60 }, async () => {
      const s = net.connect(port, "127.0.0.1");
      sockets.push(s);
      let got = "";
      s.on("data", (d: Buffer) => (got += d.toString("latin1")));
      s.on("error", () => undefined);
      await new Promise((r) => s.once("connect", r));
      s.write(
        `POST /whatsapp/webhook HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: ${BODY}\r\n${signature ? `X-Hub-Signature-256: ${signature}\r\n` : ""}\r\n`,
      );
      s.write(Buffer.alloc(BODY - 1, 0x20));
      await wait(1500);
      // A refusal closes the connection while the client is still writing: the reset can drop
      // the answer on the client's side, so a closed socket without a status counts as refused.
      const status = /^HTTP\/1\.1 (\d{3})/.exec(got)?.[1] ?? (s.destroyed ? "refused, closed" : "still being read");
      statuses[status] = (statuses[status] ?? 0) + 1;
    }),
  );
  return { statuses, sockets };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bb-attack-"));
  const redisPort = await freePort();
  const redis = await startRedisServer(redisPort, dir);
  const tg = await new FakeTelegram().start();
  const wa = await new FakeWhatsApp().start();
  const port = await freePort();
  const bot = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      REDIS_PREFIX: "attack",
      PORT: String(port),
      LOG_LEVEL: "error",
      TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
      TELEGRAM_API_ROOT: tg.url,
      ...whatsappEnv(wa),
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const rows: string[] = [];
  try {
    await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status === 200);
    await wait(1000);

    for (const [name, signature] of [
      ["unsigned", undefined],
      ["forged, well-formed signature", `sha256=${"ab".repeat(32)}`],
    ] as const) {
      const before = rss(bot.pid!);
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, rss(bot.pid!))), 50);
      const { statuses, sockets } = await flood(port, signature);
      clearInterval(sampler);
      sockets.forEach((s) => s.destroy());
      rows.push(
        `| 60 × 3.4 MB WhatsApp bodies, ${name} | RSS +${(peak - before).toFixed(0)} MB (${before.toFixed(0)} → ${peak.toFixed(0)}); answers ${JSON.stringify(statuses)} | +210 MB, all read |`,
      );
      await wait(1000);
    }

    redis.kill("SIGSTOP");
    const t0 = performance.now();
    const frozen = await fetch(`http://127.0.0.1:${port}/healthz`);
    rows.push(
      `| /healthz, Redis frozen (SIGSTOP) | ${frozen.status} after ${(performance.now() - t0).toFixed(0)} ms | 200 after 9.8 s |`,
    );
    redis.kill("SIGCONT");
    await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200);

    wa.delayMs = 50;
    const users = Array.from({ length: 2000 }, (_, i) => String(27825000000 + i));
    const t1 = performance.now();
    await postWebhook(port, batch(...users.map((u) => textMessage(u, "/help"))));
    await until(() => wa.sent.length >= 2000, 300_000);
    rows.push(
      `| one signed body of 2,000 messages (Graph API 50 ms) | all answered in ${((performance.now() - t1) / 1000).toFixed(1)} s, at most ${wa.maxInFlight} calls at once | 4,000 calls at once |`,
    );

    // A message whose reply the Bot API drops, then SIGTERM.
    tg.fail({ method: "sendMessage", code: 0, description: "", drop: true, times: Infinity });
    tg.text(7001, "/help");
    await until(() => tg.calls.some((c) => c.method === "!sendMessage"));
    tg.fail({ method: "*", code: 0, description: "", drop: true, times: Infinity });
    const t2 = performance.now();
    bot.kill("SIGTERM");
    const code = await new Promise<number | null>((r) => bot.once("exit", r));
    rows.push(
      `| SIGTERM while the Bot API drops every connection (deadline 8 s) | exit ${code} after ${((performance.now() - t2) / 1000).toFixed(1)} s | 40 s to 2.5 min |`,
    );
  } finally {
    if (bot.exitCode === null) bot.kill("SIGKILL");
    await tg.stop();
    await wa.stop();
    redis.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `machine: ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  console.log("| what | now | before (issue 10) |\n|---|---|---|");
  for (const r of rows) console.log(r);
}

await main();
