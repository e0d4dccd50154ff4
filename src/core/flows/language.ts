// /language: the reply language. The bot reads seven languages (core/understanding.ts LANGUAGES)
// but answers only in the locales the operator enabled (LOCALES). The reply language is the
// user's choice, else the platform's hint, else the default (TurnContext.locale); it is never
// switched from what the user writes, only offered, once per language (offerLanguage below).
import { z } from "zod";
import type { Content } from "../../content/content.js";
import { done, TurnContext, type Turn } from "../context.js";
import { defineFlow, goTo } from "../flow.js";
import { LANGUAGES } from "../understanding.js";
import { text, type Choice, type Reply } from "../types.js";
import { menuChoices } from "./menu.js";

/** The model's language probability above which a message counts as clearly in that language. */
export const SWITCH_CONFIDENCE = 0.8;
/** Fewer words say too little about their language ("ok", "sharp", "yebo"). */
export const SWITCH_MIN_WORDS = 3;

/** A language's name in the words of `locale`'s catalog ("isiZulu"; in Afrikaans "Engels"). */
function nameIn(ctx: TurnContext | Content, locale: string, lang: string): string {
  const content = ctx instanceof TurnContext ? ctx.services.content : ctx;
  const names = content.for(locale).dataOf<Record<string, string>>("language_names");
  return names[lang] ?? lang;
}

/** A locale's own name for itself (English, isiZulu, Afrikaans). */
export function ownName(ctx: TurnContext, locale: string): string {
  return nameIn(ctx, locale, locale);
}

function listIn(locale: string, items: string[]): string {
  try {
    return new Intl.ListFormat(locale, { type: "conjunction" }).format(items);
  } catch {
    return items.join(", ");
  }
}

/** Lowercase letters only, accents off: "isiZulu!" -> "isizulu". */
function fold(s: string): string {
  return s
    .slice(0, 200)
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}]+/gu, " ")
    .trim();
}

/** The language a typed text names ("zulu", "I want Afrikaans", "isiZulu"), by the aliases in messages/. */
export function namedLanguage(ctx: TurnContext, typed: string): string | undefined {
  const aliases = ctx.t.dataOf<Record<string, string[]>>("language_aliases");
  const padded = ` ${fold(typed)} `;
  const all = Object.entries(aliases)
    .flatMap(([lang, words]) => words.map((w) => [lang, fold(w)] as const))
    .filter(([, w]) => w !== "")
    // The longest first: "sesotho sa leboa" (Sepedi) before "sesotho".
    .sort((a, b) => b[1].length - a[1].length);
  return all.find(([, w]) => padded.includes(` ${w} `))?.[0];
}

function choices(ctx: TurnContext): Choice[] {
  return ctx.services.content.locales().map((l) => ({ label: ownName(ctx, l), value: `${language.name}.pick:${l}` }));
}

function ask(ctx: TurnContext, lead?: string): Turn {
  const body = ctx.t.text("language.ask", { current: ownName(ctx, ctx.locale) });
  return goTo(language, "pick", {}, text(lead ? `${lead}\n\n${body}` : body, choices(ctx)));
}

/** Sets the reply language and confirms it in that language. */
async function choose(ctx: TurnContext, locale: string): Promise<Turn> {
  await ctx.services.state.profiles.set(ctx.user, { locale });
  ctx.profile.locale = locale;
  return done(text(ctx.t.text("language.set", { language: ownName(ctx, locale) }), menuChoices(ctx, ["help"])));
}

/** A typed or tapped answer: an enabled locale, one the bot reads but cannot answer in, or neither. */
function answer(ctx: TurnContext, typed: string): Promise<Turn> | Turn {
  const content = ctx.services.content;
  const code = content.isEnabled(typed.trim()) ? typed.trim() : namedLanguage(ctx, typed);
  if (code && content.isEnabled(code)) return choose(ctx, code);
  if (code) return ask(ctx, ctx.t.text("language.not_enabled", { language: nameIn(ctx, ctx.locale, code) }));
  return ask(ctx, ctx.t.text("language.unknown"));
}

export const language = defineFlow({
  name: "language",
  version: 1,
  commands: ["language"],
  data: z.object({}),
  async start(ctx, arg): Promise<Turn> {
    // "/language stay": the "no, thanks" of an offer to switch.
    if (arg.trim() === "stay") {
      // A choice made: the South African offer of languages is not made on top of it.
      const seen = offered(ctx);
      if (!seen.includes("za")) await remember(ctx, seen, "za");
      return done(
        text(ctx.t.text("language.kept", { language: ownName(ctx, ctx.locale) }), menuChoices(ctx, ["help"])),
      );
    }
    return arg.trim() ? answer(ctx, arg) : ask(ctx);
  },
  steps: {
    pick: {
      expects: "choice",
      async answer(ctx, _data, input): Promise<Turn> {
        return answer(ctx, input.kind === "choice" ? input.answer : input.text);
      },
    },
  },
});

/**
 * The "didn't catch that" answer (core.not_understood): what the bot can do, the languages it
 * reads and those it answers in, in the user's language.
 */
export function notUnderstood(ctx: TurnContext): Reply {
  return text(ctx.t.text("core.not_understood", languageLists(ctx.services.content, ctx.locale)), menuChoices(ctx));
}

/** The languages read and those answered in, named in `locale`'s words, as lists ("A, B and C"). */
export function languageLists(content: Content, locale: string): { reads: string; answers: string } {
  return {
    reads: listIn(
      locale,
      LANGUAGES.map((l) => nameIn(content, locale, l)),
    ),
    answers: listIn(
      locale,
      content.locales().map((l) => nameIn(content, locale, l)),
    ),
  };
}

function offered(ctx: TurnContext): string[] {
  return ctx.profile.langOffered;
}

function words(s: string): number {
  return s.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/**
 * A language offer to add to this turn, or undefined:
 * - the message is clearly in another enabled language (the model is confident, and it has a
 *   few words): "I can answer in isiZulu: switch?", in that language, once per language;
 * - else, a user hinted from South Africa (a +27 WhatsApp number) who has not chosen a language
 *   while others are enabled: the choice of languages, once.
 * Only where the turn ends outside a flow (a tap on it would leave the flow), never beside a
 * crisis or concern answer, and only when the turn has room (no turn sends more than three).
 */
export async function languageOffer(
  ctx: TurnContext,
  typed: string | undefined,
  turn: Turn,
): Promise<Reply | undefined> {
  const content = ctx.services.content;
  if (content.locales().length < 2 || turn.replies.length === 0 || turn.replies.length >= 3) return undefined;
  const staysInFlow = turn.next === "keep" ? Boolean(ctx.state?.flow) : turn.next !== null;
  if (staysInFlow) return undefined;
  if (ctx.reading && ctx.reading.risk.level !== "none") return undefined;
  const seen = offered(ctx);
  const current = ctx.locale;
  // Words, not a command: "/language zu" says nothing about the language the user writes in.
  const said = typed !== undefined && !typed.trim().startsWith("/") ? typed : undefined;
  const read = said !== undefined ? ctx.reading?.language : undefined;
  const target = read?.id;
  if (
    said !== undefined &&
    read &&
    target &&
    target !== current &&
    content.isEnabled(target) &&
    read.confidence >= SWITCH_CONFIDENCE &&
    words(said) >= SWITCH_MIN_WORDS &&
    !seen.includes(target)
  ) {
    await remember(ctx, seen, target);
    const t = content.for(target);
    return text(t.text("language.offer_switch", { language: ownName(ctx, target) }), [
      { label: t.label("lang_switch_yes"), value: `/language ${target}` },
      { label: t.label("lang_switch_no"), value: "/language stay" },
    ]);
  }
  const fromSouthAfrica = /-ZA$/i.test(ctx.profile.languageHint ?? "");
  if (fromSouthAfrica && !content.isEnabled(ctx.profile.locale) && !seen.includes("za")) {
    await remember(ctx, seen, "za");
    const others = content.locales().filter((l) => l !== current);
    return text(
      ctx.t.text("language.offer_choose", {
        others: listIn(
          current,
          others.map((l) => ownName(ctx, l)),
        ),
      }),
      others.map((l) => ({ label: ownName(ctx, l), value: `/language ${l}` })),
    );
  }
  return undefined;
}

async function remember(ctx: TurnContext, seen: string[], what: string): Promise<void> {
  const value = [...seen, what].join(",");
  ctx.profile.langOffered = [...seen, what];
  await ctx.services.state.profiles.set(ctx.user, { langOffered: value });
}

/** The turn with the language offer added, when there is one to make (see languageOffer). */
export async function withLanguageOffer(ctx: TurnContext, typed: string | undefined, turn: Turn): Promise<Turn> {
  // The engine reads each text once (ctx.reading); a turn it did not read is read here.
  if (typed !== undefined && typed.trim() !== "" && !ctx.reading) {
    ctx.reading = ctx.services.understanding.read(typed, { language: ctx.profile.locale ?? ctx.profile.languageHint });
  }
  const offer = await languageOffer(ctx, typed, turn);
  return offer ? { ...turn, replies: [...turn.replies, offer] } : turn;
}
