// The crisis rules for the unmistakable (src/understanding/rules/*.yaml): each kind fires in
// each language it is written for, negations and third persons do not fire, a negation does
// not reach past a comma or a sentence, and a broken rule file is refused with its name.
import { describe, expect, it } from "vitest";
import { compileRules, readRuleFiles, RuleError, Rules, ruleSentences } from "../src/understanding/rules.js";
import { RULES_DIR } from "../src/understanding/index.js";

const rules = new Rules(compileRules(readRuleFiles(RULES_DIR)));
const id = (text: string) => rules.check(text)?.id;

describe("crisis rules fire on the unmistakable", () => {
  it.each([
    ["i took 25 panados like 10 min ago", "act_in_progress"],
    ["swallowed the whole bottle of my gogos pills", "act_in_progress"],
    ["im standing on the bridge right now", "act_in_progress"],
    ["gonna hang myself in the garage", "method_self"],
    ["i will drink rattex tonight", "method_self"],
    ["ill end it all tomorrow after church", "ideation_explicit"],
    ["going to kill myself on friday", "ideation_explicit"],
    ["been cutting my arms again", "self_harm"],
    ["i burn myself with a lighter", "self_harm"],
    ["i wanna kms", "ideation_explicit"],
  ])("en: %s -> %s", (text, rule) => {
    expect(id(text)).toBe(rule);
  });

  it.each([
    ["zu", "ngizozibulala kusasa"],
    ["zu", "sengiphuze wonke amaphilisi kamama"],
    ["xh", "ndiza kuzibulala ngomso"],
    ["xh", "andisafuni kuphila"],
    ["af", "ek gaan myself vanaand doodmaak"],
    ["af", "ek het al my ma se pille gedrink"],
    ["st", "ke tla ipolaya bosiung bona"],
    ["tn", "ke batla go ipolaya"],
    ["nso", "ke nyaka go ipolaya lehono"],
    // SMS spelling drops the vowel of the reflexive or the prefix.
    ["zu", "ngizozbulala namhlanje"],
    ["zu", "ngyafuna ukufa"],
    ["xh", "ndizozbulala ngokuhlwa"],
  ])("%s: %s", (lang, text) => {
    // That language's own file fires (the Sotho-Tswana files overlap, so any could be first).
    const own = new Rules(compileRules(readRuleFiles(RULES_DIR).filter((f) => f.name === `${lang}.yaml`)));
    expect(own.check(text)).toMatchObject({ lang });
  });
});

describe("crisis rules stay quiet on the ordinary", () => {
  it.each([
    "im not going to kill myself, relax",
    "i would never hurt myself",
    "my brother overdosed in 2019 and now i want to work in rehab",
    "the guy in the movie hanged himself",
    "took a panado for my headache",
    "need to cut my CV down to two pages",
    "im dying to hear back from them",
    "this interview killed me lol",
    "umfana wakwamakhelwane uzibulele izolo",
    "angifuni ukuzibulala, ngikhathele nje",
    "ek gaan nie myself doodmaak nie",
    "ga ke nyake go ipolaya, ke kwatile fela",
    "mogwera wa ka o ipolaile",
    "i dont want to live with my parents anymore",
    // Someone else asking, a joke, a denial, an idiom of regret.
    "my aunt asked me if i was thinking about killing myself. i said no",
    "my cousin keeps saying kms every time his team loses",
    "i was joking about wanting to die, relax",
    "i didnt try to kill myself, it was food poisoning",
    "i couldve shot myself for leaving my ID at home",
    "my ma het gevra of ek myself wil doodmaak, ek het nee gesê",
    "the series was about a girl who wanted to end it all",
    "killing myself laughing at these interview memes",
    "taking my life back this year, new CV",
    // Two pills for a headache, rope for the washing, poison for the rats, an article.
    "ke nwele dipilisi tse pedi tsa hlogo",
    "ke nole dipilisi di le pedi, ke siame",
    "ke rekile thapo ya go anega diaparo",
    "ke tla reka chefo ya ditoeba, ditoeba di ja bohobe",
    "ngizothenga ubuthi, amagundane adla ukudla kwami",
    "ngifunde incwadi ngokuzibulala kwentsha",
    "umfundisi ungibuzile ukuthi ngifuna ukufa yini, ngathi cha",
    "mme o mpotsitse gore a ke batla go swa",
  ])("%s", (text) => {
    expect(rules.check(text)).toBeUndefined();
  });

  it("a negation covers its own clause only", () => {
    expect(id("i didnt get the job, i want to kill myself")).toBe("ideation_explicit");
    expect(id("they did not call. i want to die")).toBe("ideation_explicit");
    expect(id("she asked how the interview went. i want to kill myself")).toBe("ideation_explicit");
    expect(id("everyone keeps asking about jobs, i want to die")).toBe("ideation_explicit");
    expect(ruleSentences("I didn't get it, I want to DIE!!! ok")).toEqual(["i didnt get it , i want to die", "ok"]);
  });
});

describe("rule files", () => {
  it("refuses an unknown word group or a broken pattern, naming the file", () => {
    expect(() => compileRules([{ name: "x.yaml", text: "lang: en\nrules:\n  r: ['{nope} me']\n" }])).toThrow(RuleError);
    expect(() => compileRules([{ name: "x.yaml", text: "lang: en\nrules:\n  r: ['(unclosed']\n" }])).toThrow(/x\.yaml/);
  });
});

describe("rules written with accents", () => {
  it("match the accent-free text the rules read (š in a pattern is s)", () => {
    const r = new Rules(compileRules([{ name: "t.yaml", text: "lang: nso\nrules:\n  x: ['ke itšhwara bohloko']\n" }]));
    expect(r.check("Ke itšhwara bohloko")?.id).toBe("x");
    expect(r.check("ke itshwara bohloko")?.id).toBe("x");
  });

  it("keep ordinary idioms and accidents out (shot myself in the foot, rather die than, cut my finger)", () => {
    for (const text of [
      "i shot myself in the foot by saying that",
      "id rather die than wear that uniform",
      "i want to die my hair",
      "ke ikgaotse monwana ke seha eie",
      "overdosed on coffee before the interview",
    ]) {
      expect(rules.check(text), text).toBeUndefined();
    }
  });
});
