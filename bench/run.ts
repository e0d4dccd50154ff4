// Runs every benchmark in turn, each as its own child process with its own fresh redis-server
// (free port, temporary directory, removed afterwards), and prints one Markdown table of the
// figures with the machine, its load and the command that reproduces each row.
//
//   npm run bench                 full sizes (tens of minutes on 2 cores)
//   npm run bench -- --quick      small sizes (a few minutes)
//   npm run bench -- --only soak,capacity
//   npm run bench -- --only adversarial   parsers and matchers against their slowest inputs
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { freePort, startRedisServer } from "../test/setup/global.js";

interface Row {
  figure: string;
  value: string;
  baseline: string;
}
interface Bench {
  name: string;
  file: string;
  full: string[];
  quick: string[];
  /** Extra environment (the inbound benchmarks' rounds). */
  env?: { full: Record<string, string>; quick: Record<string, string> };
  node?: string[];
  parse(out: string): Row[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const num = (out: string, re: RegExp) => Number(re.exec(out)?.[1] ?? NaN);
const result = (out: string) => JSON.parse(/^RESULT (.*)$/m.exec(out)?.[1] ?? "{}") as Record<string, number>;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;

/** Rows of `| name | count | per second | p50 | p99 |`, medians per side (bare / real). */
function inboundRows(out: string, unit: string): Row[] {
  const rows = [...out.matchAll(/^\| ([^|]+) \| (\d+) \| (\d+) \| ([\d.]+) \| ([\d.]+) \|$/gm)].map((m) => ({
    bare: /bare/i.test(m[1]!),
    rate: Number(m[3]),
    p50: Number(m[4]),
    p99: Number(m[5]),
  }));
  const side = (bare: boolean) => rows.filter((r) => r.bare === bare);
  const real = side(false);
  const bare = side(true);
  const ratio = num(out, /median ([\d.]+)/);
  return [
    {
      figure: `${unit}/s, real bot`,
      value: String(median(real.map((r) => r.rate))),
      baseline: `bare ${median(bare.map((r) => r.rate))}/s; ratio ${ratio}`,
    },
    {
      figure: "p50 / p99 latency, real bot",
      value: `${median(real.map((r) => r.p50))} / ${median(real.map((r) => r.p99))} ms`,
      baseline: `bare ${median(bare.map((r) => r.p50))} / ${median(bare.map((r) => r.p99))} ms`,
    },
  ];
}

const BENCHES: Bench[] = [
  {
    name: "understanding",
    file: "bench/understanding.ts",
    full: ["20"],
    quick: ["5"],
    node: ["--expose-gc"],
    parse: (out) => {
      const r = result(out);
      return [
        {
          figure: `understanding per message, median / p99 (${r.messages} dev messages)`,
          value: `${r.p50?.toFixed(4)} / ${r.p99?.toFixed(4)} ms`,
          baseline: `old phrase matcher ${r.oldP50?.toFixed(4)} / ${r.oldP99?.toFixed(4)} ms`,
        },
        {
          figure: "understanding load time and memory after load",
          value: `${r.loadMs?.toFixed(0)} ms; heap +${mb(r.heapDelta!)}, RSS +${mb(r.rssDelta!)}`,
          baseline: "budget <= 2 s, <= 50 MB",
        },
      ];
    },
  },
  {
    name: "features",
    file: "bench/features.ts",
    full: ["10"],
    quick: ["3"],
    parse: (out) => [
      {
        figure: "the model's feature reader, µs a dev message",
        value: `${num(out, /no strings \(now\) \| ([\d.]+) \|/)} µs`,
        baseline: `string-building reader ${num(out, /before, bench\/legacy\/features\.ts\) \| ([\d.]+) \|/)} µs; ratio ${num(out, /ratio now \/ before: ([\d.]+)/)}`,
      },
    ],
  },
  {
    name: "inbound",
    file: "bench/inbound.ts",
    full: ["50", "10"],
    quick: ["20", "3"],
    env: { full: { ROUNDS: "3" }, quick: { ROUNDS: "1" } },
    parse: (out) => [
      ...inboundRows(out, "Telegram updates"),
      {
        figure: "Telegram updates/s ratio with the understanding step added",
        value: `${num(out, /one core saturated\): .*median ([\d.]+)/)}`,
        baseline: `understanding.read ${num(out, /understanding\.read: (\d+) µs/)} µs per text; goal >= 0.8`,
      },
      {
        figure: "p99 latency at half the bare rate, real bot (open loop)",
        value: `${num(out, /at half the bare rate: .* p99 ([\d.]+) ms/)} ms`,
        baseline: `p50 ${num(out, /at half the bare rate: .* p50 ([\d.]+) ms/)} ms; goal p99 < 50 ms`,
      },
    ],
  },
  {
    name: "whatsapp",
    file: "bench/whatsapp-inbound.ts",
    full: ["50", "10"],
    quick: ["20", "3"],
    env: { full: { ROUNDS: "3" }, quick: { ROUNDS: "1" } },
    parse: (out) => inboundRows(out, "WhatsApp messages"),
  },
  {
    name: "privacy",
    file: "bench/privacy-overhead.ts",
    full: ["50", "4", "4"],
    quick: ["20", "2", "2"],
    parse: (out) => [
      {
        figure: "engine with privacy (flood limit, counters) / without",
        value: `${num(out, /median ([\d.]+)/)}x`,
        baseline: "the same engine without them",
      },
    ],
  },
  {
    name: "capacity",
    file: "bench/schedule/capacity.ts",
    full: ["100000"],
    quick: ["5000"],
    parse: (out) => [
      {
        figure: `outbound capacity, rate limit off (${num(out, /delivered: (\d+)/)} msgs, ${num(out, /(\d+) users twice/)} twice)`,
        value: `${num(out, /throughput: (\d+) msg\/s/)} msg/s`,
        baseline: `sequential sendMessage ${num(out, /baseline: (\d+)/)} msg/s; ratio ${num(out, /ratio: ([\d.]+)x/)}`,
      },
      {
        figure: "outbound CPU per message after start, bot + Redis",
        value: `${num(out, /together (\d+) µs per message\n/)} µs`,
        baseline: `floor (bare BullMQ worker, keep-alive node:http) ${num(out, /floor: .* together (\d+) µs/)} µs; ratio ${num(out, /CPU ratio to the floor: ([\d.]+)x/)}x (goal <= 2x)`,
      },
    ],
  },
  {
    name: "accuracy",
    file: "bench/schedule/accuracy.ts",
    full: ["30", "900"],
    quick: ["30", "300"],
    parse: (out) => [
      {
        figure: `rate-limit accuracy at 30/s (busiest second ${num(out, /busiest sliding second: (\d+)/)}; none twice: ${/none twice: yes/.test(out) ? "yes" : "NO"})`,
        value: `${num(out, /measured rate: ([\d.]+)/)} msg/s`,
        baseline: `configured 30/s; ratio ${num(out, /ratio ([\d.]+),/)}`,
      },
    ],
  },
  {
    name: "fanout",
    file: "bench/schedule/daily-fanout.ts",
    full: ["100000"],
    quick: ["5000"],
    parse: (out) => {
      const r = result(out);
      return [
        {
          figure: `daily to ${r.n} subscribers due at one minute: due -> last enqueued (left due ${r.left}, moved to tomorrow ${r.tomorrow})`,
          value: `${r.fanoutSeconds?.toFixed(1)} s (${r.perSecond?.toFixed(0)}/s)`,
          baseline: `bare ZSET drain ratio ${num(out, /ratio ([\d.]+)x/)}x`,
        },
      ];
    },
  },
  {
    name: "memory",
    file: "bench/schedule/memory.ts",
    full: ["100000"],
    quick: ["10000"],
    parse: (out) => [
      {
        figure: "Redis bytes per user (profile hash)",
        value: `${num(out, /profile alone costs (\d+) B/)} B`,
        baseline: "INFO used_memory delta",
      },
      {
        figure: "Redis bytes per daily subscriber (profile + subscription)",
        value: `${num(out, /whole user incl\. profile hash: (\d+)/)} B`,
        baseline: `subscription alone ${num(out, /daily subscription: (\d+)/)} B`,
      },
    ],
  },
  {
    name: "adversarial",
    file: "bench/adversarial.ts",
    full: ["4000,10000,100000"],
    quick: ["4000,10000,100000"],
    parse: (out) =>
      [...out.matchAll(/^\| (.+?) \| (.+?) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| (\d+) \| ([\d.]+) \|$/gm)]
        .slice(0, 7)
        .map((m) => ({
          figure: `slowest input for ${m[1]} (${m[2]}): 4k / 10k / 100k chars`,
          value: `${m[3]} / ${m[4]} / ${m[5]} ms; growth 100k/10k ${m[8]}`,
          baseline: `toLowerCase + one regex pass at 100k ${m[6]} ms; x${m[7]}`,
        })),
  },
  {
    name: "soak",
    file: "bench/soak.ts",
    full: ["10000", "30", "1000"],
    quick: ["300", "5", "200"],
    node: ["--expose-gc"],
    parse: (out) => {
      const r = result(out);
      return [
        {
          figure: `bot RSS after ${r.days} simulated days (${r.n} daily subscribers, ${r.inboundPerDay} inbound/day, ${r.sent} messages)`,
          value: `${mb(r.rssEnd!)} (heap ${mb(r.heapEnd!)}, external ${mb(r.externalEnd!)})`,
          baseline: `after warm-up day ${mb(r.rssWarm!)} (heap ${mb(r.heapWarm!)}, external ${mb(r.externalWarm!)}); ratio ${(r.rssEnd! / r.rssWarm!).toFixed(2)}`,
        },
        {
          figure: `Redis bytes per user after those ${r.days} days (everything: state, history, queues' kept jobs)`,
          value: `${r.redisBytesPerUser?.toFixed(0)} B`,
          baseline: "INFO used_memory delta over the empty server / users",
        },
        {
          figure: `the same as a real-time run would hold it (the share of TTL'd keys a real ${r.days} days would have expired deleted, then used_memory read again), journal text excluded`,
          value: `${r.redisBytesPerUserRealTimeMeasured?.toFixed(0)} B`,
          baseline: `estimate from MEMORY USAGE ${r.redisBytesPerUserRealTime?.toFixed(0)} B; goal <= 1200 B at 10,000 users and 30 days`,
        },
      ];
    },
  },
  {
    name: "rss",
    file: "bench/rss.ts",
    full: ["200"],
    quick: ["200"],
    parse: (out) => {
      const r = result(out);
      return [
        {
          figure: "bot RSS after start and 200 messages, the model aside",
          value: mb(r.bot! - Math.max(0, r.model! - r.empty!)),
          baseline: `bare grammY bot ${mb(r.bare!)}; ratio ${r.ratioModelAside?.toFixed(2)} (above node + tsx: ${r.ratioAboveRuntime?.toFixed(2)}); goal <= 1.5`,
        },
      ];
    },
  },
];

async function runOne(
  b: Bench,
  quick: boolean,
): Promise<{ rows: Row[]; command: string; seconds: number; ok: boolean }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bb-bench-"));
  const port = await freePort();
  const server = await startRedisServer(port, dir, ["--maxmemory-policy", "noeviction"]);
  const url = `redis://127.0.0.1:${port}`;
  const args = quick ? b.quick : b.full;
  const env = quick ? b.env?.quick : b.env?.full;
  const envText = Object.entries(env ?? {})
    .map(([k, v]) => `${k}=${v} `)
    .join("");
  const command = `${envText}${b.node ? `node ${b.node.join(" ")} --import tsx` : "npx tsx"} ${b.file} ${args.join(" ")}`;
  const started = performance.now();
  try {
    const child = spawn(process.execPath, [...(b.node ?? []), "--import", "tsx", b.file, ...args], {
      env: { ...process.env, ...env, REDIS_URL: url, BENCH_REDIS_URL: url },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      process.stdout.write(c);
    });
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0)
      return { rows: [{ figure: `FAILED (exit ${code})`, value: "-", baseline: "-" }], command, seconds, ok: false };
    return { rows: b.parse(out), command, seconds, ok: true };
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => (server.exitCode !== null ? r(undefined) : server.once("exit", r)));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function redisVersion(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bb-bench-"));
  const port = await freePort();
  const server = await startRedisServer(port, dir);
  const r = new Redis(`redis://127.0.0.1:${port}`);
  const v = /redis_version:(\S+)/.exec(await r.info("server"))?.[1] ?? "?";
  r.disconnect();
  server.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
  return v;
}

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const onlyArg = argv.find((a) => a.startsWith("--only"));
const only = onlyArg
  ? (onlyArg.includes("=") ? onlyArg.split("=")[1]! : argv[argv.indexOf(onlyArg) + 1]!).split(",")
  : undefined;
const chosen = BENCHES.filter((b) => !only || only.includes(b.name));
if (chosen.length === 0) {
  console.error(`no benchmark named ${only?.join(",")}; known: ${BENCHES.map((b) => b.name).join(", ")}`);
  process.exit(2);
}

const loadBefore = os.loadavg();
const results: { bench: Bench; rows: Row[]; command: string; seconds: number }[] = [];
let failed = false;
for (const b of chosen) {
  console.log(`\n=== ${b.name} (${quick ? "quick" : "full"} sizes) ===`);
  const r = await runOne(b, quick);
  failed ||= !r.ok;
  results.push({ bench: b, ...r });
}
const loadAfter = os.loadavg();
const cpu = os.cpus()[0]?.model.trim() ?? "?";
console.log(`\n## Benchmarks (${quick ? "quick" : "full"} sizes, ${new Date().toISOString().slice(0, 16)}Z)\n`);
console.log(
  `Machine: ${os.cpus().length} cores (${cpu}), ${mb(os.totalmem())} RAM, node ${process.version}, redis ${await redisVersion()}; load average ${loadBefore.map((x) => x.toFixed(2)).join(" ")} before, ${loadAfter.map((x) => x.toFixed(2)).join(" ")} after.`,
);
console.log(
  `Each benchmark ran alone in its own process against its own fresh redis-server. All: \`npm run bench${quick ? " -- --quick" : ""}\`; one: \`npm run bench -- --only <name>\` (the reproduce column is the bare command, which needs REDIS_URL pointing at an empty redis-server).\n`,
);
console.log("| benchmark | figure | value | baseline / ratio | reproduce |");
console.log("|---|---|---|---|---|");
for (const r of results) {
  for (const row of r.rows)
    console.log(
      `| ${r.bench.name} | ${row.figure} | ${row.value} | ${row.baseline} | \`${r.command}\` (${r.seconds.toFixed(0)} s) |`,
    );
}
process.exit(failed ? 1 : 0);
