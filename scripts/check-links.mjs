// Checks every relative Markdown link (file and #anchor) in the given files, with GitHub's slug rules.
import { readFileSync, existsSync, statSync } from "node:fs";
import path from "node:path";
const slug = (h) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
function anchors(file) {
  const seen = new Map();
  const out = new Set();
  let fence = false;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (/^```/.test(line)) {
      fence = !fence;
      continue;
    }
    const m = !fence && /^#{1,6}\s+(.*)$/.exec(line);
    if (!m) continue;
    const base = slug(m[1].replace(/`/g, "").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1"));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}
let bad = 0,
  total = 0;
for (const file of process.argv.slice(2)) {
  let fence = false;
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (/^```/.test(line)) {
        fence = !fence;
        return;
      }
      if (fence) return;
      for (const m of line.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) {
        const target = m[1];
        if (/^[a-z]+:/i.test(target)) continue; // external
        total++;
        const [p, frag] = target.split("#");
        const dest = p ? path.resolve(path.dirname(file), p) : path.resolve(file);
        if (!existsSync(dest)) {
          bad++;
          console.log(`${file}:${i + 1}: missing file ${target}`);
          continue;
        }
        if (frag !== undefined && statSync(dest).isFile() && !anchors(dest).has(frag)) {
          bad++;
          console.log(`${file}:${i + 1}: missing anchor ${target}`);
        }
      }
    });
}
console.log(`${total} relative links checked, ${bad} broken`);
process.exit(bad ? 1 : 0);
