// The docs stay true to the code: every relative link and anchor resolves, the README fits a
// screen, and every test a Guarantees table names as its proof exists under that name.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const docs = [
  "README.md",
  "bench/README.md",
  ...readdirSync(path.join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

describe("docs", () => {
  it("every relative link and anchor resolves", () => {
    const out = execFileSync(process.execPath, ["scripts/check-links.mjs", ...docs], { cwd: ROOT, encoding: "utf8" });
    expect(out.trim().split("\n").at(-1)).toMatch(/ 0 broken$/);
  });

  it("the README is at most 200 lines", () => {
    expect(readFileSync(path.join(ROOT, "README.md"), "utf8").split("\n").length).toBeLessThanOrEqual(200);
  });

  it("every test named as a proof exists in the file named beside it", () => {
    const missing: string[] = [];
    let checked = 0;
    for (const doc of docs) {
      for (const line of readFileSync(path.join(ROOT, doc), "utf8").split("\n")) {
        // `test/x.test.ts` › "a name", "another name"; several files may follow each other in one cell.
        for (const m of line.matchAll(/`(test\/[\w./-]+\.test\.ts)` › ((?:"[^"]+"(?:, )?)+)/g)) {
          const file = path.join(ROOT, m[1]!);
          const source = existsSync(file) ? readFileSync(file, "utf8") : "";
          for (const [, name] of m[2]!.matchAll(/"([^"]+)"/g)) {
            checked++;
            if (!source.includes(name!)) missing.push(`${doc}: ${m[1]} › "${name}"`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });
});
