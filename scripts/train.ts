// npm run train: trains the understanding model from the corpus (NLU_CORPUS_DIR, default
// corpus/; a list separated by ":" is allowed), chooses the risk thresholds on the dev sets
// pooled (NLU_DEV_DIR, ":"-separated, default corpus/dev:corpus/dev2; "" for none), and writes
// src/understanding/model/nlu-model.json.
// Deterministic: the same corpus, dev set and rules give the same bytes.
//   npm run train -- --out <file>    write elsewhere
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildModel, DEV_SETS } from "../src/understanding/build.js";
import { MODEL_PATH } from "../src/understanding/index.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const outAt = args.indexOf("--out");
const out = outAt >= 0 ? path.resolve(args[outAt + 1]!) : MODEL_PATH;
const dev = (process.env.NLU_DEV_DIR ?? DEV_SETS.join(":")).split(":").filter((d) => d !== "");
const build = buildModel({ root: ROOT, devDirs: dev.map((d) => path.resolve(ROOT, d)) });
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, build.text);
for (const line of build.log) console.log(line);
console.log(`wrote ${path.relative(process.cwd(), out) || out}`);
