// WhatsApp inbound benchmark: messages/s and p50/p99 latency through the real bot (signed
// webhook -> HMAC check -> engine with Redis state -> reply to the fake Graph API), beside a bare
// WhatsApp echo bot (node:http, the same HMAC check and JSON parse, one fetch per reply) on the
// same fake in the same run. Closed loop: U virtual users each post a message, wait until the
// fake receives the reply, and post the next, for D seconds per bot; rounds alternate.
// Latency = fake received the reply - webhook POST started.
//
//   npx tsx bench/whatsapp-inbound.ts [users=50] [seconds=10]
//
// Needs Redis: REDIS_URL, or 127.0.0.1:6379.
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { startBot } from "../src/app.js";
import { FakeWhatsApp, WA, sign, textMessage, whatsappEnv, type Sent } from "../test/fakes/whatsapp.js";
import { deletePrefix, report, summarize, type Result } from "./closed-loop.js";

const USERS = Number(process.argv[2] ?? 50);
const SECONDS = Number(process.argv[3] ?? 10);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(port: number, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path: "/whatsapp/webhook",
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "x-hub-signature-256": sign(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function drive(name: string, fake: FakeWhatsApp, port: number, text: string): Promise<Result> {
  const latencies: number[] = [];
  const waiting = new Map<string, { sentAt: number; done: () => void }>();
  fake.onSend = (s: Sent) => {
    const w = waiting.get(s.to);
    if (!w) return;
    latencies.push(performance.now() - w.sentAt);
    waiting.delete(s.to);
    w.done();
  };
  const until = performance.now() + SECONDS * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: USERS }, async (_, u) => {
      const user = String(27_800_000_000 + u);
      while (performance.now() < until) {
        await new Promise<void>((done) => {
          waiting.set(user, { sentAt: performance.now(), done });
          // A refused or reset connection (a loaded machine) ends this turn unmeasured instead of
          // stalling the user or crashing the run.
          post(port, JSON.stringify(textMessage(user, text))).catch(() => {
            waiting.delete(user);
            done();
          });
        });
      }
    }),
  );
  fake.onSend = undefined;
  return summarize(name, latencies, (performance.now() - start) / 1000);
}

/** The least a WhatsApp bot can do: check the signature, parse, answer 200, echo through the API. */
async function bareBot(fake: FakeWhatsApp): Promise<Result> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const expected = `sha256=${createHmac("sha256", WA.appSecret).update(raw).digest("hex")}`;
      if (req.headers["x-hub-signature-256"] !== expected) return void res.writeHead(401).end();
      const m = JSON.parse(raw.toString("utf8")).entry[0].changes[0].value.messages[0];
      res.writeHead(200).end("ok");
      void fetch(`${fake.url}/${WA.version}/${WA.phoneNumberId}/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${WA.token}`, "content-type": "application/json" },
        body: JSON.stringify({ messaging_product: "whatsapp", to: m.from, type: "text", text: { body: m.text.body } }),
      }).then(
        (r) => r.arrayBuffer(),
        () => undefined,
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  try {
    return await drive("bare WhatsApp echo bot", fake, (server.address() as AddressInfo).port, "hello");
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

async function realBot(fake: FakeWhatsApp, prefix: string): Promise<Result> {
  // A closed loop sends far more than a person could: lift the per-user flood limit (as bench/inbound.ts does),
  // or the bot goes quiet for those users and their loops wait for ever.
  const bot = await startBot({
    env: { REDIS_URL, REDIS_PREFIX: prefix, PORT: "0", FLOOD_LIMIT_PER_MINUTE: "10000", ...whatsappEnv(fake) },
    log: pino({ level: "silent" }),
  });
  try {
    // /tip: signature, dedup, profile and window fields, state, a no-repeat pick, one reply with buttons.
    return await drive("Bounce Back on WhatsApp (/tip)", fake, bot.httpPort!, "/tip");
  } finally {
    await bot.stop();
  }
}

async function main() {
  const fake = await new FakeWhatsApp().start();
  const prefix = `benchwa${Date.now().toString(36)}`;
  const rounds = Number(process.env.ROUNDS ?? 3);
  const results: Result[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const bare = await bareBot(fake);
    const real = await realBot(fake, prefix);
    results.push(bare, real);
    ratios.push(real.perSecond / bare.perSecond);
    fake.sent.length = 0; // the fake keeps every send; drop them between rounds
  }
  await fake.stop();
  await deletePrefix(REDIS_URL, prefix);
  report({
    title: `whatsapp inbound benchmark: ${USERS} users in a closed loop, ${SECONDS} s per run, ${rounds} alternating rounds, fake Graph API and webhook client on loopback in the same process`,
    unit: "messages",
    results,
    ratios,
    command: `npx tsx bench/whatsapp-inbound.ts ${USERS} ${SECONDS}`,
  });
  process.exit(0);
}

void main();
