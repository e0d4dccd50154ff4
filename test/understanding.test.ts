// The understanding layer with the real, committed model: it is current with the corpus,
// training is reproducible, the dev-set figures hold (npm run nlu:eval prints the same), and
// readings of plain messages in several languages come out as a person would read them.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildModel } from "../src/understanding/build.js";
import { loadCorpus } from "../src/understanding/corpus.js";
import { evaluate, readSet, setHash } from "../src/understanding/evaluate.js";
import { createUnderstanding, langFromHint, MODEL_PATH } from "../src/understanding/index.js";
import type { Artefact } from "../src/understanding/model.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const DEV = path.join(ROOT, "corpus", "dev");
const u = createUnderstanding();

describe("the committed model", () => {
  const artefact = JSON.parse(readFileSync(MODEL_PATH, "utf8")) as Artefact;

  it("was trained from the corpus as it is now (if this fails: npm run train, and commit the model)", () => {
    const corpus = loadCorpus(ROOT);
    expect(corpus.examples.length).toBeGreaterThan(1000);
    expect(artefact.corpusHash, "corpus changed since the model was trained").toBe(corpus.hash);
    expect(artefact.devHash, "dev set changed since the thresholds were chosen").toBe(setHash(DEV));
  });

  it("is compact and its thresholds put concern at or below crisis", () => {
    expect(statSync(MODEL_PATH).size).toBeLessThan(5 * 1024 * 1024);
    expect(artefact.thresholds.concern).toBeGreaterThan(0);
    expect(artefact.thresholds.concern).toBeLessThanOrEqual(artefact.thresholds.crisis);
  });
});

describe("training", () => {
  let dir: string;
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "nlu-train-"));
    write(
      "corpus/en/intents.yaml",
      ["lang: en", "intents:", "  rejected: [they said no, didnt get the job, not shortlisted]", "  greeting: [hi, hello there, good morning]", "  thanks: [thanks, thank you so much, cheers]"].join("\n"),
    );
    write("corpus/en/risk.yaml", ["lang: en", "crisis: [i want to die, kill myself tonight]", "concern: [i cant do this anymore]", "none: [this traffic is killing me]"].join("\n"));
    write("corpus/zu/intents.yaml", ["lang: zu", "intents:", "  greeting: [sawubona, sanibonani]", "  thanks: [ngiyabonga kakhulu]"].join("\n"));
    write("dev/crisis.jsonl", `${JSON.stringify({ text: "i want to die", lang: "en", kind: "direct" })}\n`);
    write("dev/ordinary_hard.jsonl", `${JSON.stringify({ text: "traffic is killing me", lang: "en", kind: "idiom" })}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const build = () => buildModel({ root: dir, corpusDirs: [path.join(dir, "corpus")], devDir: path.join(dir, "dev") });

  it("gives byte-identical artefacts from the same corpus", () => {
    const a = build();
    const b = build();
    expect(a.text.length).toBeGreaterThan(100);
    expect(b.text).toBe(a.text);
    expect(a.artefact.devHash).toBe(setHash(path.join(dir, "dev")));
  });

  it("records a different corpus hash when a line changes, and learns what it was given", () => {
    const before = build();
    write("corpus/zu/intents.yaml", ["lang: zu", "intents:", "  greeting: [sawubona, sanibonani, yebo sawubona]", "  thanks: [ngiyabonga kakhulu]"].join("\n"));
    const after = build();
    expect(after.artefact.corpusHash).not.toBe(before.artefact.corpusHash);
    const small = createUnderstanding({ model: after.artefact });
    expect(small.read("sawubona").language.id).toBe("zu");
    expect(small.read("thank you so much").intent.id).toBe("thanks");
  });
});

describe("dev set (npm run nlu:eval prints these figures with intervals)", () => {
  const e = evaluate(readSet(DEV), (t) => u.read(t));

  it("notices at least 95% of crisis messages and flags at most 5% of hard ordinary ones", () => {
    expect(e.crisisNoticed.all.n).toBeGreaterThanOrEqual(200);
    expect(e.falsePositive.all.n).toBeGreaterThanOrEqual(200);
    expect(e.crisisNoticed.all.rate).toBeGreaterThanOrEqual(0.95);
    expect(e.falsePositive.all.rate).toBeLessThanOrEqual(0.05);
  });

  it("reads at least 85% of intents and 90% of languages right", () => {
    expect(e.intent.all.n).toBeGreaterThanOrEqual(300);
    expect(e.intent.all.rate).toBeGreaterThanOrEqual(0.85);
    expect(e.language.all.rate).toBeGreaterThanOrEqual(0.9);
  });
});

describe("readings", () => {
  it.each([
    ["I didn't get the job at Shoprite", "rejected"],
    ["please stop sending me messages", "stop"],
    ["remind me tomorrow at 9 to call Thandi", "remind"],
    ["what can you do", "help"],
    ["ngiyabonga kakhulu", "thanks"],
    ["dankie", "thanks"],
  ])("%s -> %s", (text, intent) => {
    const r = u.read(text);
    expect(r.intent.id).toBe(intent);
    expect(r.intent.runnerUp?.id).not.toBe(intent);
    expect(r.intent.confidence).toBeGreaterThan(r.intent.runnerUp!.confidence);
  });

  it.each([
    ["sawubona, ngicela usizo", "zu"],
    ["molo, ndicela uncedo", "xh"],
    ["hallo, ek het nie die werk gekry nie", "af"],
    ["hello, how does this work", "en"],
  ])("%s is read as %s", (text, lang) => {
    expect(u.read(text).language.id).toBe(lang);
  });

  it("crisis from an unmistakable rule names the rule; ordinary talk carries no risk", () => {
    const r = u.read("i just took 30 panados");
    expect(r.risk.level).toBe("crisis");
    expect(r.risk.rule).toBe("act_in_progress");
    const ok = u.read("I applied at Capitec for the teller post");
    expect(ok.risk).toMatchObject({ level: "none" });
    expect(ok.risk.rule).toBeUndefined();
  });

  it("takes the platform's language code as a weak prior, not a verdict", () => {
    expect(langFromHint("en-US")).toBe("en");
    expect(langFromHint("zu")).toBe("zu");
    expect(langFromHint("fr")).toBeUndefined();
    // An empty message has nothing but the hint to go on.
    expect(u.read("", { language: "af" }).language.id).toBe("af");
    // A plain English sentence stays English under an isiZulu hint.
    expect(u.read("I did not get the job, they chose someone else", { language: "zu" }).language.id).toBe("en");
  });
});
