import { describe, expect, it } from "vitest";
import { commandWordsOf, parseCommand, yesOrNo } from "../src/core/intents.js";
import { detectIntent } from "../bench/legacy/matcher.js";
import { editDistance, normalize } from "../src/core/matching.js";
import { en } from "./helpers/bot.js";

describe("normalize", () => {
  it("folds case, apostrophes, accents, punctuation and stretched letters", () => {
    expect(normalize("I DIDN’T get the job!!!")).toBe("i didnt get the job");
    expect(normalize("Nooooo   way")).toBe("noo way");
    expect(normalize("café")).toBe("cafe");
  });
  it("counts transpositions as one edit", () => {
    expect(editDistance("rejcetion", "rejection")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });
});

describe("rejection intent", () => {
  it.each([
    "I didn't get the job",
    "i didnt get the job 😭",
    "they rejected me",
    "got a rejection email",
    "Got a rejecton email today",
    "they said no",
    "Unfortunately I was not successful",
    "i wasnt selected for the post",
    "didnt get the position at checkers",
    "We regret to inform you that you were not shortlisted",
    "they went with another candidate",
    "i failed the interview",
    "Rejected again",
    "i did not get it",
  ])("understands %j", (text) => {
    expect(detectIntent(en, text)).toBe("rejected");
  });

  it.each(["what time is it", "I have an interview tomorrow", "the weather is nice", "my cat is sleeping"])(
    "does not read %j as a rejection",
    (text) => {
      expect(detectIntent(en, text)).not.toBe("rejected");
    },
  );

  it("takes greetings and thanks only as the whole message", () => {
    expect(detectIntent(en, "hi")).toBe("greeting");
    expect(detectIntent(en, "Sawubona")).toBe("greeting");
    expect(detectIntent(en, "thank u")).toBe("thanks");
    expect(detectIntent(en, "hi I got rejected")).toBe("rejected");
  });
});

describe("commands", () => {
  const words = commandWordsOf(en);
  it("parses slash commands with arguments and bot mentions", () => {
    expect(parseCommand("/start rejected", words)).toEqual({ name: "start", arg: "rejected", slash: true });
    expect(parseCommand("/Tip@bounce_back_bot", words)).toEqual({ name: "tip", arg: "", slash: true });
  });
  it("takes bare command words (WhatsApp has no slash)", () => {
    expect(parseCommand("Help", words)?.name).toBe("help");
    expect(parseCommand("STOP", words)?.name).toBe("stop");
    expect(parseCommand("my data", words)?.name).toBe("mydata");
    expect(parseCommand("remind me in 2 weeks call Thandi", words)).toEqual({
      name: "remind",
      arg: "in 2 weeks call Thandi",
      slash: false,
    });
    expect(parseCommand("help me understand this", words)).toBeUndefined();
  });
  it("reads a typed yes or no, in several languages", () => {
    expect(yesOrNo(en, "Yebo")).toBe("yes");
    expect(yesOrNo(en, "ja")).toBe("yes");
    expect(yesOrNo(en, "nope")).toBe("no");
    expect(yesOrNo(en, "no thanks")).toBe("no");
    expect(yesOrNo(en, "maybe later")).toBeUndefined();
  });
});
