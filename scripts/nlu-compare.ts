// npm run nlu:compare: the library choice, measured. Trains each candidate's three heads
// (intent, risk, language) on the same corpus and reads the dev set with the model alone (no
// rules, whole text, no sentence split), so the classifiers are compared like for like:
//   own      multinomial logistic regression over hashed char 2-5-grams + words + bigrams (src/understanding)
//   neural   @nlpjs/neural's NeuralNetwork fed the same features
//   nlpjs    @nlpjs/nlp with its own word features and English normalizer/stemmer
//   fasttext fastText (fasttext.wasm.js, the one npm build that trains in-process), minn 2 maxn 5, wordNgrams 2
// The losing libraries are not dependencies; install them for a run with
//   npm i --no-save @nlpjs/nlp@4 @nlpjs/neural@4 @nlpjs/core@4 @nlpjs/lang-en-min@4 fasttext.wasm.js@1.0.0
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { INTENTS, LANGUAGES, RISK_LEVELS } from "../src/core/understanding.js";
import { loadCorpus, type Example } from "../src/understanding/corpus.js";
import { readSet } from "../src/understanding/evaluate.js";
import { featuresOf, modelTokens, tokenize } from "../src/understanding/features.js";
import { CompiledModel, quantize } from "../src/understanding/model.js";
import { DEFAULT_TRAIN, train } from "../src/understanding/train.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
type Probs = Record<string, number>;
interface Heads {
  intent: Probs;
  risk: Probs;
  lang: Probs;
}
interface Candidate {
  name: string;
  train(examples: Example[]): Promise<void>;
  /** Serialize and load again; returns the artefact's bytes. */
  reload(): Promise<number>;
  read(text: string): Heads | Promise<Heads>;
}
const HEADS = { intent: INTENTS, risk: RISK_LEVELS, lang: LANGUAGES } as const;
type Head = keyof typeof HEADS;
const labelOf = (e: Example, h: Head) => (h === "intent" ? e.intent : h === "risk" ? e.risk : e.lang);
const toProbs = (labels: readonly string[], p: ArrayLike<number>): Probs =>
  Object.fromEntries(labels.map((l, i) => [l, p[i]!]));

function own(): Candidate {
  let model: CompiledModel;
  let json = "";
  return {
    name: "own (src/understanding)",
    async train(examples) {
      json = JSON.stringify(
        quantize(train(examples, DEFAULT_TRAIN), {
          corpusHash: "",
          devHash: "",
          thresholds: { crisis: 0.5, concern: 0.5 },
        }),
      );
    },
    async reload() {
      model = new CompiledModel(JSON.parse(json));
      return json.length;
    },
    read(text) {
      const s = model.score(modelTokens(text));
      return {
        intent: toProbs(INTENTS, s.intent),
        risk: toProbs(RISK_LEVELS, s.risk),
        lang: toProbs(LANGUAGES, s.lang),
      };
    },
  };
}

/**
 * Our hashed features as the sparse {feature: value} object NLP.js's network takes, scaled by
 * 1/sqrt(count) as our model does: raw counts (hundreds of features a message) make its
 * perceptrons diverge (31.7% intent accuracy after 30 iterations, against 96.9% scaled).
 */
function featureObject(text: string): Record<string, number> {
  const buckets = featuresOf(modelTokens(text));
  const out: Record<string, number> = {};
  for (const b of buckets) out[`f${b}`] = (out[`f${b}`] ?? 0) + 1 / Math.sqrt(buckets.length);
  return out;
}

function neural(): Candidate {
  const { NeuralNetwork } = require("@nlpjs/neural");
  const nets = {} as Record<Head, any>;
  let json = "";
  return {
    name: "@nlpjs/neural + our features",
    async train(examples) {
      for (const h of Object.keys(HEADS) as Head[]) {
        nets[h] = new NeuralNetwork({ log: false, iterations: Number(process.env.NEURAL_ITERATIONS ?? 50) });
        nets[h].train(
          examples
            .filter((e) => labelOf(e, h))
            .map((e) => ({ input: featureObject(e.text), output: { [labelOf(e, h)!]: 1 } })),
        );
      }
      json = JSON.stringify(Object.fromEntries(Object.entries(nets).map(([h, n]) => [h, n.toJSON()])));
    },
    async reload() {
      const parsed = JSON.parse(json);
      for (const h of Object.keys(HEADS) as Head[]) (nets[h] = new NeuralNetwork()).fromJSON(parsed[h]);
      return json.length;
    },
    read(text) {
      const input = featureObject(text);
      const norm = (o: Probs) => {
        const sum = Object.values(o).reduce((a, b) => a + b, 0) || 1;
        return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v / sum]));
      };
      return {
        intent: norm({ ...nets.intent.run(input) }),
        risk: norm({ ...nets.risk.run(input) }),
        lang: norm({ ...nets.lang.run(input) }),
      };
    },
  };
}

function nlpjs(): Candidate {
  const { containerBootstrap } = require("@nlpjs/core");
  const { Nlp } = require("@nlpjs/nlp");
  const { LangEn } = require("@nlpjs/lang-en-min");
  const nlps = {} as Record<Head, any>;
  const exported = {} as Record<Head, string>;
  const make = async () => {
    const container = await containerBootstrap();
    container.use(Nlp);
    container.use(LangEn);
    const nlp = container.get("nlp");
    nlp.settings.autoSave = false;
    nlp.settings.autoLoad = false;
    nlp.addLanguage("en");
    return nlp;
  };
  return {
    name: "@nlpjs/nlp (its own features)",
    async train(examples) {
      for (const h of Object.keys(HEADS) as Head[]) {
        nlps[h] = await make();
        // Labels get a prefix so that none reads as a language code or NLP.js's "None".
        for (const e of examples) if (labelOf(e, h)) nlps[h].addDocument("en", e.text, `x_${labelOf(e, h)}`);
        await nlps[h].train();
        exported[h] = nlps[h].export(true);
      }
    },
    async reload() {
      let bytes = 0;
      for (const h of Object.keys(HEADS) as Head[]) {
        nlps[h] = await make();
        nlps[h].import(exported[h]);
        bytes += exported[h].length;
      }
      return bytes;
    },
    async read(text) {
      const out = {} as Heads;
      for (const h of Object.keys(HEADS) as Head[]) {
        const r = await nlps[h].process("en", text);
        out[h] = Object.fromEntries(
          (r.classifications as { intent: string; score: number }[]).map((c) => [c.intent.replace(/^x_/, ""), c.score]),
        );
      }
      return out;
    },
  };
}

async function fasttext(): Promise<Candidate> {
  const { getFastTextModule, FastTextModel } = await import("fasttext.wasm.js" as string);
  // One wasm instance per head: a second training run in the same instance throws.
  const mods = {} as Record<Head, any>;
  for (const h of Object.keys(HEADS) as Head[]) mods[h] = await getFastTextModule();
  const models = {} as Record<Head, any>;
  let bytes = 0;
  const line = (text: string) => tokenize(text).join(" ");
  return {
    name: "fastText (fasttext.wasm.js)",
    async train(examples) {
      for (const h of Object.keys(HEADS) as Head[]) {
        const mod = mods[h];
        const rows = examples.filter((e) => labelOf(e, h)).map((e) => `__label__${labelOf(e, h)} ${line(e.text)}`);
        mod.FS.writeFile("/train.txt", new TextEncoder().encode(`${rows.join("\n")}\n`));
        const ft = new mod.FastText();
        const args = new mod.Args();
        // FASTTEXT_ARGS='{"epoch":50}' overrides, to try other settings.
        Object.assign(
          args,
          {
            lr: 0.5,
            epoch: 25,
            dim: 32,
            minn: 2,
            maxn: 5,
            wordNgrams: 2,
            minCount: 1,
            bucket: 100000,
            verbose: 0,
            seed: 1,
          },
          JSON.parse(process.env.FASTTEXT_ARGS ?? "{}"),
        );
        args.model = mod.ModelName.supervised;
        args.loss = mod.LossName.softmax;
        args.thread = 1;
        args.input = "/train.txt";
        ft.train(args, () => {});
        ft.saveModel(`/${h}.bin`);
        models[h] = ft;
      }
    },
    async reload() {
      bytes = 0;
      for (const h of Object.keys(HEADS) as Head[]) {
        const mod = mods[h];
        const ft = new mod.FastText();
        ft.loadModel(`/${h}.bin`);
        bytes += mod.FS.stat(`/${h}.bin`).size;
        models[h] = new FastTextModel(ft, mods[h]);
      }
      return bytes;
    },
    read(text) {
      const out = {} as Heads;
      for (const h of Object.keys(HEADS) as Head[]) {
        const v = models[h].predict(line(text), HEADS[h].length, 0);
        const probs: Probs = {};
        for (let i = 0; i < v.size(); i++) {
          const [p, label] = v.get(i);
          probs[String(label).replace("__label__", "")] = p;
        }
        v.delete?.();
        out[h] = probs;
      }
      return out;
    },
  };
}

const argmax = (p: Probs) => Object.entries(p).reduce((a, b) => (b[1] > a[1] ? b : a), ["", -Infinity])[0];
const noticed = (h: Heads) => (h.risk.crisis ?? 0) + (h.risk.concern ?? 0);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

async function measure(c: Candidate, examples: Example[]): Promise<string> {
  const dev = readSet(path.join(ROOT, "corpus", "dev"));
  const t0 = performance.now();
  await c.train(examples);
  const trainS = (performance.now() - t0) / 1000;
  const l0 = performance.now();
  const bytes = await c.reload();
  const loadMs = performance.now() - l0;
  const readAll = async (lines: { text: string }[]) => Promise.all(lines.map((l) => c.read(l.text)));
  const cr = (await readAll(dev.crisis)).map(noticed);
  const or = (await readAll(dev.ordinary_hard)).map(noticed);
  const recallAt = (fp: number) => {
    const sorted = [...or].sort((a, b) => b - a);
    const t = sorted[Math.floor(fp * or.length)] ?? 0; // ordinary messages strictly above t are the allowed false positives
    return cr.filter((x) => x > t).length / cr.length;
  };
  let auc = 0;
  for (const x of cr) for (const y of or) auc += x > y ? 1 : x === y ? 0.5 : 0;
  auc /= cr.length * or.length;
  const intents = await readAll(dev.intents);
  const intentAcc = intents.filter((h, i) => argmax(h.intent) === dev.intents[i]!.intent).length / intents.length;
  const all = [...dev.crisis, ...dev.ordinary_hard, ...dev.concern, ...dev.intents];
  const langs = await readAll(all);
  const langAcc = langs.filter((h, i) => argmax(h.lang) === all[i]!.lang).length / all.length;
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const l of all) {
      const s = process.hrtime.bigint();
      await c.read(l.text);
      times.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.floor(p * (times.length - 1))]!.toFixed(3);
  return `| ${c.name} | ${pct(intentAcc)} | ${pct(langAcc)} | ${auc.toFixed(3)} | ${pct(recallAt(0.05))} | ${pct(recallAt(0.03))} | ${q(0.5)} / ${q(0.99)} | ${trainS.toFixed(1)} s | ${loadMs.toFixed(0)} ms | ${(bytes / 1024 / 1024).toFixed(1)} MB |`;
}

const only = process.argv.slice(2);
const corpus = loadCorpus(ROOT);
console.log(
  `corpus ${corpus.examples.length} examples (sha256 ${corpus.hash.slice(0, 12)}); dev set corpus/dev; model alone (no rules, whole text)\n`,
);
console.log(
  "| candidate | intent acc | language acc | risk AUC (crisis vs hard ordinary) | crisis recall at FP 5% | at FP 3% | ms per message, 3 heads, median / p99 | train | load | artefact |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|");
const makers: [string, () => Candidate | Promise<Candidate>][] = [
  ["own", own],
  ["neural", neural],
  ["nlpjs", nlpjs],
  ["fasttext", fasttext],
];
for (const [key, make] of makers) {
  if (only.length > 0 && !only.includes(key)) continue;
  try {
    console.log(await measure(await make(), corpus.examples));
  } catch (e) {
    console.log(`| ${key} | not run: ${String((e as Error)?.message ?? e).split("\n")[0]} |`);
  }
}
