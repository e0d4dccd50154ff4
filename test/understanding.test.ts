// The understanding layer with the real, committed model: it is current with the corpus,
// training is reproducible, the dev-set figures hold (npm run nlu:eval prints the same), and
// readings of plain messages in several languages come out as a person would read them.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildModel, DEV_SETS } from "../src/understanding/build.js";
import { loadCorpus } from "../src/understanding/corpus.js";
import { evaluate, readSet, setHash, setsHash } from "../src/understanding/evaluate.js";
import { combineRisk, createUnderstanding, langFromHint, MODEL_PATH } from "../src/understanding/index.js";
import type { Artefact } from "../src/understanding/model.js";
import { chooseThresholds, GOALS } from "../src/understanding/thresholds.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const u = createUnderstanding();

describe("the committed model", () => {
  const artefact = JSON.parse(readFileSync(MODEL_PATH, "utf8")) as Artefact;

  it("was trained from the corpus as it is now (if this fails: npm run train, and commit the model)", () => {
    const corpus = loadCorpus(ROOT);
    expect(corpus.examples.length).toBeGreaterThan(1000);
    expect(artefact.corpusHash, "corpus changed since the model was trained").toBe(corpus.hash);
    expect(artefact.devHash, "dev sets changed since the thresholds were chosen").toBe(
      setsHash(DEV_SETS.map((d) => path.join(ROOT, d))),
    );
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
      [
        "lang: en",
        "intents:",
        "  rejected: [they said no, didnt get the job, not shortlisted]",
        "  greeting: [hi, hello there, good morning]",
        "  thanks: [thanks, thank you so much, cheers]",
      ].join("\n"),
    );
    write(
      "corpus/en/risk.yaml",
      [
        "lang: en",
        "crisis: [i want to die, kill myself tonight]",
        "concern: [i cant do this anymore]",
        "none: [this traffic is killing me]",
      ].join("\n"),
    );
    write(
      "corpus/zu/intents.yaml",
      ["lang: zu", "intents:", "  greeting: [sawubona, sanibonani]", "  thanks: [ngiyabonga kakhulu]"].join("\n"),
    );
    write("dev/crisis.jsonl", `${JSON.stringify({ text: "i want to die", lang: "en", kind: "direct" })}\n`);
    write(
      "dev/ordinary_hard.jsonl",
      `${JSON.stringify({ text: "traffic is killing me", lang: "en", kind: "idiom" })}\n`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const build = () =>
    buildModel({ root: dir, corpusDirs: [path.join(dir, "corpus")], devDirs: [path.join(dir, "dev")] });

  it("gives byte-identical artefacts from the same corpus", () => {
    const a = build();
    const b = build();
    expect(a.text.length).toBeGreaterThan(100);
    expect(b.text).toBe(a.text);
    expect(a.artefact.devHash).toBe(setHash(path.join(dir, "dev")));
  });

  it("records a different corpus hash when a line changes, and learns what it was given", () => {
    const before = build();
    write(
      "corpus/zu/intents.yaml",
      [
        "lang: zu",
        "intents:",
        "  greeting: [sawubona, sanibonani, yebo sawubona]",
        "  thanks: [ngiyabonga kakhulu]",
      ].join("\n"),
    );
    const after = build();
    expect(after.artefact.corpusHash).not.toBe(before.artefact.corpusHash);
    const small = createUnderstanding({ model: after.artefact });
    expect(small.read("sawubona").language.id).toBe("zu");
    expect(small.read("thank you so much").intent.id).toBe("thanks");
  });
});

describe("risk evidence", () => {
  const part = (noticed: number, guard: number) => ({ crisis: noticed / 2, noticed, guard });

  it("weighs each part with the guard, then takes the highest part", () => {
    // A sentence the risk head likes but the guard takes for ordinary talk counts for less.
    const e = combineRisk({ whole: part(0.2, 0.9), sentences: [part(0.9, 0.1), part(0.6, 0.9)], tokens: 12 }, 0.5);
    expect(e.noticed).toBeCloseTo(Math.sqrt(0.6 * 0.9), 6);
    expect(e.rule).toBeUndefined();
    // Without the guard it is the plain maximum.
    expect(combineRisk({ whole: part(0.2, 0.9), sentences: [part(0.9, 0.1)], tokens: 12 }, 0).noticed).toBeCloseTo(
      0.9,
      6,
    );
  });

  it("is what the committed model's reader uses, guard head included", () => {
    expect(u.model.hasGuard).toBe(true);
    const text = "got the regret email. i want to die. anyway can you help with my CV";
    expect(u.riskEvidence(text)).toEqual(combineRisk(u.riskParts(text)));
    expect(u.riskParts(text).sentences).toHaveLength(3);
  });
});

describe("threshold choice", () => {
  // Crisis scores 0.5..0.995, hard ordinary 0..0.594, concern 0.3..0.545: they overlap, so 98%
  // recall would cost 15% false positives, past the 5% cap.
  const ev = (noticed: number) => ({ noticed, crisis: noticed });
  const crisis = Array.from({ length: 100 }, (_, i) => ev(0.5 + i / 200));
  const ordinary = Array.from({ length: 100 }, (_, i) => ev((i / 100) * 0.6));
  const concern = Array.from({ length: 50 }, (_, i) => ev(0.3 + i / 200));
  const share = (xs: { noticed: number }[], t: number) => xs.filter((e) => e.noticed >= t).length / xs.length;

  it("takes the false-positive cap's threshold when the recall goal is out of reach, and is deterministic", () => {
    const a = chooseThresholds(crisis, ordinary, concern);
    expect(share(ordinary, a.concern)).toBeLessThanOrEqual(GOALS.falsePositiveCap + 0.01);
    expect(share(ordinary, a.concern)).toBeGreaterThan(GOALS.falsePositives);
    expect(a.why).toMatch(/cap/);
    expect(chooseThresholds(crisis, ordinary, concern)).toEqual(a);
  });

  it("keeps the full crisis answer off all but 1% of hard ordinary messages", () => {
    const a = chooseThresholds(crisis, ordinary, concern);
    expect(share(ordinary, a.crisis)).toBeLessThanOrEqual(GOALS.crisisFalsePositives);
    expect(a.crisis).toBeGreaterThanOrEqual(a.concern);
  });

  it("counts a rule hit as noticed whatever the score", () => {
    const ruled = crisis.map((e, i) => (i < 10 ? { ...e, noticed: 0, crisis: 0, rule: { id: "x", lang: "en" } } : e));
    const a = chooseThresholds(ruled, ordinary, concern, { ...GOALS, resamples: 0 });
    expect(a.concern).toBeGreaterThan(0.4);
  });
});

describe.each([
  // dev2 was written later by another writer and is harder; the thresholds are chosen on both.
  // 0.05 since the retrain on short answers (it was 0.04: 3.0% before, 5.0% after; see docs/understanding.md).
  ["corpus/dev", 200, 0.97, 0.05],
  ["corpus/dev2", 320, 0.96, 0.06],
])("%s (npm run nlu:eval prints these figures with intervals)", (dir, size, recall, falsePositives) => {
  const e = evaluate(readSet(path.join(ROOT, dir)), (t) => u.read(t));

  it(`notices at least ${recall * 100}% of crisis messages and flags at most ${falsePositives * 100}% of hard ordinary ones, 2% as crisis`, () => {
    expect(e.crisisNoticed.all.n).toBeGreaterThanOrEqual(size);
    expect(e.falsePositive.all.n).toBeGreaterThanOrEqual(200);
    expect(e.crisisNoticed.all.rate).toBeGreaterThanOrEqual(recall);
    expect(e.falsePositive.all.rate).toBeLessThanOrEqual(falsePositives);
    expect(e.falseCrisis.all.rate).toBeLessThanOrEqual(0.02);
  });

  it("reads at least 90% of intents and 95% of languages right", () => {
    expect(e.intent.all.n).toBeGreaterThanOrEqual(300);
    expect(e.intent.all.rate).toBeGreaterThanOrEqual(0.9);
    expect(e.language.all.rate).toBeGreaterThanOrEqual(0.95);
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
