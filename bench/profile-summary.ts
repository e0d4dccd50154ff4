// Summarises a V8 CPU profile (node --cpu-prof) by self time: the top functions, and the time
// by package (node_modules/<name>, src/<dir>, node: internals), so a benchmark's note can say
// where the time goes.
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/schedule/capacity.ts 5000
//   npx tsx bench/profile-summary.ts /tmp/prof/<file>.cpuprofile [top=25]
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file) throw new Error("usage: profile-summary.ts <file.cpuprofile> [top]");
const top = Number(process.argv[3] ?? 25);
const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
let total = 0;
p.samples.forEach((id, i) => {
  const dt = p.timeDeltas[i] ?? 0;
  self.set(id, (self.get(id) ?? 0) + dt);
  total += dt;
});

function where(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  const s = /\/(src|bench|test)\/([^/]+)/.exec(url);
  if (s) return `${s[1]}/${s[2]}`;
  if (url.startsWith("node:")) return "node internals";
  return url === "" ? "(native, gc, idle)" : url;
}

const fns = new Map<string, number>();
const pkgs = new Map<string, number>();
for (const [id, t] of self) {
  const f = byId.get(id)!.callFrame;
  const key = `${f.functionName || "(anonymous)"} ${where(f.url)}:${f.lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + t);
  const pkg = f.functionName === "(idle)" ? "(idle)" : f.functionName === "(garbage collector)" ? "(gc)" : where(f.url);
  pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + t);
}
const busy = total - (pkgs.get("(idle)") ?? 0);
const pct = (t: number) => `${((100 * t) / busy).toFixed(1)}%`.padStart(6);
console.log(`profile: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (percentages of busy)`);
console.log("by package:");
for (const [k, t] of [...pkgs]
  .filter(([k]) => k !== "(idle)")
  .sort((a, b) => b[1] - a[1])
  .slice(0, 15))
  console.log(`  ${pct(t)}  ${k}`);
console.log("top functions (self time):");
for (const [k, t] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top))
  if (!k.startsWith("(idle)")) console.log(`  ${pct(t)}  ${k}`);
