// Reply languages through the engine (real Redis, the real model): /language by button and by
// typed name, the confirmation in the chosen language, the platform hint, the offer to switch
// shown once, and the "didn't catch that" answer naming the languages.
import { help } from "./helpers/messages.js";
import { describe, expect, it } from "vitest";
import { loadContent } from "../src/content/content.js";
import { TurnContext } from "../src/core/context.js";
import { languageLists, languageOffer } from "../src/core/flows/language.js";
import type { Profile } from "../src/core/ports/state.js";
import { choicesOf, text, type Incoming, type UserKey } from "../src/core/types.js";
import type { Engine } from "../src/core/engine.js";
import { MESSAGES_DIR } from "./helpers/bot.js";
import { buildCore, chatAs, makeEngine } from "./helpers/engine.js";
import { redisPerTest } from "./helpers/redis.js";

const ALL = ["en", "af", "zu"];
const content = loadContent(MESSAGES_DIR, "en", ALL);
const [en, af, zu] = [content.for("en"), content.for("af"), content.for("zu")];

const r = redisPerTest();

let seq = 0;
const user = (): UserKey => `console:lang${++seq}`;
const profileOf = (u: UserKey) => r.redis.hgetall(r.keys.user(u, "profile"));

/** A message with the platform's language hint, as a channel hands it over. */
async function withHint(engine: Engine, u: UserKey, text: string, languageHint: string) {
  const out = await engine.handle({
    channel: "whatsapp",
    user: u,
    updateId: `h${++seq}`,
    kind: "text",
    text,
    languageHint,
  } as Incoming);
  if (out.status !== "handled") throw new Error(out.status);
  return out.replies.map((x) => ({ text: x.kind === "text" ? x.text : "", choices: choicesOf(x) ?? [] }));
}

describe("/language", () => {
  it("lists the enabled locales by their own names, sets one by button and confirms in it", async () => {
    const u = user();
    const chat = chatAs(makeEngine(r.redis, r.prefix, { locales: ALL }), u);
    const asked = await chat.say("/language");
    expect(asked.texts).toEqual([en.text("language.ask", { current: "English" })]);
    expect(asked.choices.map((c) => c.label)).toEqual(["English", "Afrikaans", "isiZulu"]);
    const set = await chat.press(asked.choices[2]!.value);
    expect(set.texts).toEqual([zu.text("language.set")]);
    expect((await profileOf(u)).locale).toBe("zu");
    // From now on the bot answers in isiZulu, its menus too.
    expect((await chat.say("/help")).texts[0]).toBe(help(zu));
  });

  it("opens from the bare word too ('language', and 'taal' for an Afrikaans reader)", async () => {
    const engine = makeEngine(r.redis, r.prefix, { locales: ALL });
    expect((await chatAs(engine, user()).say("language")).texts).toEqual([
      en.text("language.ask", { current: "English" }),
    ]);
    const u = user();
    await chatAs(engine, u).say("/language af");
    expect((await chatAs(engine, u).say("taal")).texts).toEqual([af.text("language.ask", { current: "Afrikaans" })]);
  });

  it.each([
    ["zulu", "zu"],
    ["isiZulu", "zu"],
    ["IsiZulu please", "zu"],
    ["afrikaans", "af"],
    ["Afrikaans asseblief", "af"],
    ["english", "en"],
  ])("takes a typed name: %s", async (typed, locale) => {
    const u = user();
    const chat = chatAs(makeEngine(r.redis, r.prefix, { locales: ALL }), u);
    await chat.say("/language");
    const set = await chat.say(typed);
    expect(set.texts).toEqual([content.for(locale).text("language.set")]);
    expect((await profileOf(u)).locale).toBe(locale);
  });

  it("says kindly when a language is read but not answered in, or not known, and asks again", async () => {
    const u = user();
    const chat = chatAs(makeEngine(r.redis, r.prefix, { locales: ALL }), u);
    await chat.say("/language");
    const xhosa = await chat.say("isiXhosa");
    expect(xhosa.texts[0]).toContain(en.text("language.not_enabled", { language: "isiXhosa" }));
    expect(xhosa.choices).toHaveLength(3);
    const klingon = await chat.say("klingon");
    expect(klingon.texts[0]).toContain(en.text("language.unknown"));
    expect((await profileOf(u)).locale).toBeUndefined();
  });

  it("offers only what is enabled: with LOCALES=en,zu Afrikaans is not offered and not set", async () => {
    const u = user();
    const chat = chatAs(makeEngine(r.redis, r.prefix, { locales: ["en", "zu"] }), u);
    const asked = await chat.say("/language");
    expect(asked.choices.map((c) => c.label)).toEqual(["English", "isiZulu"]);
    const typed = await chat.say("afrikaans");
    expect(typed.texts[0]).toContain(en.text("language.not_enabled", { language: "Afrikaans" }));
    expect((await profileOf(u)).locale).toBeUndefined();
  });

  it("falls back to English for a chosen locale the operator no longer enables", async () => {
    const u = user();
    await chatAs(makeEngine(r.redis, r.prefix, { locales: ALL }), u).say("/language af");
    expect((await profileOf(u)).locale).toBe("af");
    expect((await chatAs(makeEngine(r.redis, r.prefix, { locales: ["en"] }), u).say("/help")).texts[0]).toBe(help());
  });
});

describe("the reply language from the platform's hint", () => {
  it("answers in an enabled hinted language, else in the default; a choice wins over the hint", async () => {
    const engine = makeEngine(r.redis, r.prefix, { locales: ALL });
    const a = user();
    expect((await withHint(engine, a, "/help", "zu"))[0]!.text).toBe(help(zu));
    expect((await withHint(engine, user(), "/help", "af-ZA"))[0]!.text).toBe(help(af));
    expect((await withHint(engine, user(), "/help", "fr"))[0]!.text).toBe(help());
    await withHint(engine, a, "/language english", "zu");
    expect((await withHint(engine, a, "/help", "zu"))[0]!.text).toBe(help());
  });

  it("a South African number (en-ZA): English, and the choice of languages offered once", async () => {
    const engine = makeEngine(r.redis, r.prefix, { locales: ALL });
    const u = user();
    const first = await withHint(engine, u, "I didn't get the job", "en-ZA");
    expect(first.length).toBeLessThanOrEqual(3);
    const offer = first[first.length - 1]!;
    expect(offer.text).toBe(en.text("language.offer_choose", { others: "Afrikaans and isiZulu" }));
    expect(offer.choices.map((c) => c.value)).toEqual(["/language af", "/language zu"]);
    expect(first[0]!.text).not.toBe(offer.text);
    const again = await withHint(engine, u, "/tip", "en-ZA");
    expect(again.map((x) => x.text)).not.toContain(offer.text);
    // "No, thanks" to an offer is a choice made: the offer of languages does not follow it.
    const declined = await withHint(engine, user(), "/language stay", "en-ZA");
    expect(declined.map((x) => x.text)).toEqual([en.text("language.kept", { language: "English" })]);
    // With English alone enabled there is nothing to offer.
    const alone = await withHint(makeEngine(r.redis, r.prefix, { locales: ["en"] }), user(), "/tip", "en-ZA");
    expect(alone.some((x) => x.text === offer.text)).toBe(false);
  });
});

describe("the offer to switch", () => {
  it("is made once, in the language the user wrote in, and switches only when accepted", async () => {
    const u = user();
    const chat = chatAs(makeEngine(r.redis, r.prefix, { locales: ALL }), u);
    const first = await chat.say("ngicela ungisize ngithole umsebenzi");
    const offerText = zu.text("language.offer_switch", { language: "isiZulu" });
    expect(first.texts[first.texts.length - 1]).toBe(offerText);
    expect(first.texts.length).toBeLessThanOrEqual(3);
    expect(first.choices).toEqual([
      { label: zu.label("lang_switch_yes"), value: "/language zu" },
      { label: zu.label("lang_switch_no"), value: "/language stay" },
    ]);
    // Never silently: nothing changed yet.
    expect((await profileOf(u)).locale).toBeUndefined();
    const second = await chat.say("angiwutholanga umsebenzi engangiwufuna");
    expect(second.texts).not.toContain(offerText);
    expect((await chat.press("/language zu")).texts).toEqual([zu.text("language.set")]);
  });

  it("is not made for a short message, for one in English, or for a language not enabled", async () => {
    const engine = makeEngine(r.redis, r.prefix, { locales: ["en", "zu"] });
    const short = await chatAs(engine, user()).say("sawubona");
    expect(short.texts.join("\n")).not.toContain(zu.text("language.offer_switch", { language: "isiZulu" }));
    const english = await chatAs(engine, user()).say("I did not get the job");
    expect(english.choices.some((c) => c.value.startsWith("/language"))).toBe(false);
    const afrikaans = await chatAs(engine, user()).say("ek het nie die werk gekry nie");
    expect(afrikaans.choices.some((c) => c.value.startsWith("/language"))).toBe(false);
  });

  it("is not made in the middle of a flow, nor beside a crisis answer", async () => {
    const engine = makeEngine(r.redis, r.prefix, { locales: ALL });
    const offerText = zu.text("language.offer_switch", { language: "isiZulu" });
    const inFlow = chatAs(engine, user());
    await inFlow.say("/goals");
    const answer = await inFlow.say("ngicela ungisize ngithole umsebenzi");
    expect(answer.texts).not.toContain(offerText);
    const crisis = await chatAs(engine, user()).say("angisafuni ukuphila ngifuna ukuzibulala namhlanje");
    expect(crisis.texts).not.toContain(offerText);
    expect(crisis.choices.some((c) => c.value.startsWith("/language"))).toBe(false);
  });

  it("is never added to a turn whose message carries risk (crisis or concern), whatever that turn is", async () => {
    const core = buildCore(r.redis, r.prefix, { locales: ALL });
    const profile: Profile = { user: user(), createdAt: 0, lastSeenAt: 0, isNew: false, langOffered: [] };
    const ctx = new TurnContext(
      profile.user,
      "console",
      profile,
      core.services,
      null,
      Date.now(),
      new Set(["language", "help"]),
    );
    const said = "ngicela ungisize ngithole umsebenzi";
    const turn = { replies: [text("ok")], next: null };
    ctx.reading = core.services.understanding.read(said);
    expect(await languageOffer(ctx, said, turn)).toBeDefined();
    for (const level of ["crisis", "concern"] as const) {
      profile.langOffered = [];
      ctx.reading = { ...core.services.understanding.read(said), risk: { level, score: 0.9 } };
      expect(await languageOffer(ctx, said, turn), level).toBeUndefined();
    }
  });

  it("'no thanks' keeps the language and says so", async () => {
    const u = user();
    const chat = chatAs(makeEngine(r.redis, r.prefix, { locales: ALL }), u);
    await chat.say("ek het nie die werk gekry nie");
    expect((await chat.press("/language stay")).texts).toEqual([en.text("language.kept", { language: "English" })]);
    expect((await profileOf(u)).locale).toBeUndefined();
  });
});

describe("the didn't-catch-that answer", () => {
  it("names what the bot reads and what it answers in, in the user's language", async () => {
    const engine = makeEngine(r.redis, r.prefix, { locales: ALL });
    const english = await chatAs(engine, user()).say("qwerty zxcvb");
    expect(english.texts[0]).toBe(en.text("core.not_understood", languageLists(content, "en")));
    expect(english.texts[0]).toContain("English, isiZulu, isiXhosa, Afrikaans, Sesotho, Setswana, and Sepedi");
    expect(english.texts[0]).toContain("English, Afrikaans, and isiZulu");
    const u = user();
    await chatAs(engine, u).say("/language af");
    const afr = await chatAs(engine, u).say("qwerty zxcvb");
    expect(afr.texts[0]).toBe(af.text("core.not_understood", languageLists(content, "af")));
    expect(afr.texts[0]).toContain("Engels, isiZulu");
  });
});
