// /daily: a short daily boost at the user's own local time. The schedule keeps one
// entry per subscriber; this flow only talks to the DailyService port. /stop is in scheduled.ts.
import { DateTime } from "luxon";
import { z } from "zod";
import { done, type FlowInput, type Turn, type TurnContext } from "../context.js";
import { defineFlow, goTo } from "../flow.js";
import type { DailyService, DailySubscription } from "../ports/schedule.js";
import { text, type Choice, type Reply } from "../types.js";
import { chooseVariant } from "../../content/variants.js";
import { formatHHMM, formatLocal, type LocalTime } from "../time.js";
import { menuChoices } from "./menu.js";

const TIMES = ["0630", "0700", "0730", "0800"] as const;
const ZONES: readonly [zone: string, label: string][] = [
  ["Africa/Johannesburg", "zone_johannesburg"],
  ["Africa/Lagos", "zone_lagos"],
  ["Africa/Nairobi", "zone_nairobi"],
  ["Europe/London", "zone_london"],
];
const PAUSE_DAYS = 3;
/** Daily messages not repeated within this many deliveries (about three weeks). */
export const DAILY_NO_REPEAT = 21;

function service(ctx: TurnContext): DailyService {
  return ctx.services.schedule.daily;
}

function askTime(ctx: TurnContext, zone: string, prefix: Reply[] = []): Turn {
  const choices = TIMES.map((t) => ctx.answer(daily, "time", t, `daily_${t}`));
  return goTo(daily, "time", { zone }, ...prefix, text(ctx.t.text("daily.ask_time", { zone }), choices));
}

/**
 * WhatsApp only: Meta requires an explicit opt-in before a business sends messages the user did
 * not just ask for. Asked whenever a WhatsApp user without a subscription starts one (again
 * after /stop or STOP); the time of the yes is kept on the profile as the record of consent.
 * `typed` carries "daily 7:30 in ..." through the question.
 */

function needsOptIn(ctx: TurnContext): boolean {
  return ctx.channel === "whatsapp";
}

function askOptIn(ctx: TurnContext, typed: string, zone: string): Turn {
  return goTo(
    daily,
    "optin",
    { typed, zone },
    text(ctx.t.text("whatsapp.optin"), [
      ctx.answer(daily, "optin", "yes", "wa_optin_yes"),
      ctx.answer(daily, "optin", "no", "wa_optin_no"),
    ]),
  );
}

/** The start of a new subscription: the opt-in first where the platform needs one. */
async function beginSubscription(ctx: TurnContext, svc: DailyService, typed: string, zone: string): Promise<Turn> {
  if (needsOptIn(ctx)) return askOptIn(ctx, typed, zone);
  return hasTime(ctx, typed) ? fromText(ctx, svc, typed, zone) : askTime(ctx, zone);
}

async function answerOptIn(
  ctx: TurnContext,
  svc: DailyService,
  data: { zone?: string; typed?: string },
  input: FlowInput,
): Promise<Turn> {
  const zone = data.zone ?? ctx.timezone;
  const typed = data.typed ?? "";
  const answer = input.kind === "choice" ? input.answer : "";
  if (answer === "no") return done(text(ctx.t.text("whatsapp.optin_no"), menuChoices(ctx, ["tip", "help"])));
  if (answer !== "yes") return askOptIn(ctx, typed, zone);
  await ctx.services.state.profiles.set(ctx.user, { waOptIn: ctx.now });
  const thanks = text(ctx.t.text("whatsapp.optin_yes"));
  if (!hasTime(ctx, typed)) return askTime(ctx, zone, [thanks]);
  const turn = await fromText(ctx, svc, typed, zone);
  return { ...turn, replies: [thanks, ...turn.replies] };
}

function askZone(ctx: TurnContext): Turn {
  return goTo(daily, "zone", {}, text(ctx.t.text("daily.ask_zone"), zoneChoices(ctx)));
}

function zoneChoices(ctx: TurnContext): Choice[] {
  return ZONES.map(([zone, label]) => ctx.answer(daily, "zone", zone, label));
}

function manageChoices(ctx: TurnContext): Choice[] {
  return [
    ctx.answer(daily, "manage", "time", "daily_change_time"),
    ctx.answer(daily, "manage", "zone", "daily_change_zone"),
    ctx.answer(daily, "manage", "pause", "daily_pause"),
    ctx.answer(daily, "manage", "stop", "daily_stop"),
  ];
}

function when(ctx: TurnContext, ms: number, zone: string): string {
  return formatLocal(ms, zone, ctx.locale);
}

function statusTurn(ctx: TurnContext, sub: DailySubscription): Turn {
  const vars = {
    time: sub.time,
    zone: sub.timezone,
    next: when(ctx, sub.nextAt, sub.timezone),
    until: sub.pausedUntil ? when(ctx, sub.pausedUntil, sub.timezone) : "",
  };
  return goTo(
    daily,
    "manage",
    {},
    text(ctx.t.text(sub.pausedUntil ? "daily.status_paused" : "daily.status", vars), manageChoices(ctx)),
  );
}

async function subscribeAt(ctx: TurnContext, svc: DailyService, hhmm: string, zone: string): Promise<Turn> {
  const sub = await svc.subscribe(ctx.user, hhmm, zone);
  const vars = { time: sub.time, zone: sub.timezone, next: when(ctx, sub.nextAt, sub.timezone) };
  // A pause survives a new time or zone; say so, so nobody wonders where the boost went.
  const said = sub.pausedUntil
    ? ctx.t.text("daily.subscribed_paused", { ...vars, until: when(ctx, sub.pausedUntil, sub.timezone) })
    : ctx.t.text("daily.subscribed", vars);
  return done(text(said, menuChoices(ctx, ["tip", "remind", "help"])));
}

/** "... in <one word>" at the end that is not a part of the day: a place the user meant. */
const PLACE_AT_END = /\bin\s+(?!(?:the\s+)?(?:morning|afternoon|evening|night|am|pm)\s*$)\S+$/i;

/**
 * "7:30", "7 in the morning", "half past seven in Cape Town", "20h00 London": the time of day
 * (ctx.entities.timeOfDay) and the zone of a place or IANA name (ctx.entities.zone), read one
 * way. `unknownPlace`: "... in <word>" names a place the bot does not know ("in Mars/Phobos"):
 * said so, rather than silently taking the user's zone.
 */
function readTyped(ctx: TurnContext, typed: string): { time?: LocalTime; zone?: string; unknownPlace: boolean } {
  const t = typed.trim();
  if (t === "") return { unknownPlace: false };
  const zone = ctx.entities.zone(t);
  const place = zone ? null : PLACE_AT_END.exec(t);
  const time = ctx.entities.timeOfDay(place ? t.slice(0, place.index) : t);
  return { time, zone, unknownPlace: place !== null };
}

/** Whether words name a time of day ("7 in the morning", "half past seven", "at 9", "20h00"). */
function hasTime(ctx: TurnContext, typed: string): boolean {
  return readTyped(ctx, typed).time !== undefined;
}

/** A tapped time ("0630") or a typed one, read one way (ctx.entities.timeOfDay). */
function timeOf(ctx: TurnContext, s: string): LocalTime | undefined {
  return ctx.entities.timeOfDay(s);
}

async function fromText(ctx: TurnContext, svc: DailyService, typed: string, zone: string): Promise<Turn> {
  const read = readTyped(ctx, typed);
  if (read.unknownPlace) return askTime(ctx, zone, [text(ctx.t.text("daily.bad_zone"))]);
  if (read.zone) zone = read.zone;
  if (!read.time)
    return goTo(
      daily,
      "time",
      { zone },
      text(
        ctx.t.text("daily.bad_time"),
        TIMES.map((x) => ctx.answer(daily, "time", x, `daily_${x}`)),
      ),
    );
  return subscribeAt(ctx, svc, formatHHMM(read.time), zone);
}

export const daily = defineFlow({
  name: "daily",
  version: 1,
  commands: ["daily"],
  // `zone`: the zone the time is for; `typed`: "daily 7:30 in ..." carried through the opt-in.
  data: z.object({ zone: z.string().optional(), typed: z.string().optional() }),
  async start(ctx, arg): Promise<Turn> {
    const svc = service(ctx);
    // "daily 7:30 in Europe/London" sets it at once; words without a time ("daily boost",
    // the menu label typed out) just open /daily.
    const sub = await svc.status(ctx.user);
    if (hasTime(ctx, arg))
      return sub ? fromText(ctx, svc, arg, ctx.timezone) : beginSubscription(ctx, svc, arg, ctx.timezone);
    return sub ? statusTurn(ctx, sub) : beginSubscription(ctx, svc, "", ctx.timezone);
  },
  steps: {
    /** WhatsApp only: the explicit opt-in Meta requires. */
    optin: {
      expects: "yes_no",
      async answer(ctx, data, input): Promise<Turn> {
        return answerOptIn(ctx, service(ctx), data, input);
      },
    },
    time: {
      expects: "time",
      async answer(ctx, data, input): Promise<Turn> {
        const zone = data.zone ?? ctx.timezone;
        if (input.kind === "text") return fromText(ctx, service(ctx), input.text, zone);
        const t = timeOf(ctx, input.answer);
        return t ? subscribeAt(ctx, service(ctx), formatHHMM(t), zone) : askTime(ctx, zone);
      },
    },
    zone: {
      // A button, or a place: "Cape Town", "Joburg", "London", "Europe/London".
      expects: "choice",
      async answer(ctx, _data, input): Promise<Turn> {
        const svc = service(ctx);
        const named = ctx.entities.zone(input.kind === "choice" ? input.answer : input.text);
        if (!named) return goTo(daily, "zone", {}, text(ctx.t.text("daily.bad_zone"), zoneChoices(ctx)));
        const sub = await svc.status(ctx.user);
        if (!sub) return beginSubscription(ctx, svc, "", named);
        return subscribeAt(ctx, svc, sub.time, named);
      },
    },
    /** The subscription shown: change the time or the zone, pause, stop. */
    manage: {
      expects: "choice",
      async answer(ctx, data, input): Promise<Turn> {
        const svc = service(ctx);
        const answer = input.kind === "choice" ? input.answer : input.text.trim().toLowerCase();
        const sub = await svc.status(ctx.user);
        // Stopped meanwhile (STOP, another device): a new subscription, opt-in included.
        if (!sub) return beginSubscription(ctx, svc, "", data.zone ?? ctx.timezone);
        switch (answer) {
          case "time":
            return askTime(ctx, sub.timezone);
          case "zone":
            return askZone(ctx);
          case "pause": {
            const until = DateTime.fromMillis(ctx.now, { zone: sub.timezone }).plus({ days: PAUSE_DAYS }).toMillis();
            const paused = await svc.pause(ctx.user, until);
            return done(
              text(
                ctx.t.text("daily.paused", { next: when(ctx, paused?.nextAt ?? until, sub.timezone) }),
                menuChoices(ctx, ["tip", "help"]),
              ),
            );
          }
          case "stop":
            await svc.unsubscribe(ctx.user);
            return done(text(ctx.t.text("daily.stopped"), menuChoices(ctx, ["tip", "help"])));
          default: {
            // A typed time while looking at the settings: take it as the new time.
            const t = timeOf(ctx, answer);
            if (t) return subscribeAt(ctx, svc, formatHHMM(t), sub.timezone);
            return statusTurn(ctx, sub);
          }
        }
      },
    },
  },
  due: {
    async daily(ctx) {
      // Rendered when it is sent, so the greeting fits the subscriber's clock at that moment.
      const part = partOfDay(ctx.now, ctx.timezone);
      const picked = await pickDaily(ctx, part);
      return [text(ctx.t.text("daily.greeting", { part, message: picked }), dailyChoices(ctx))];
    },
  },
});

/** One or two follow-ups on each daily message; commands, so they work whenever tapped. */
function dailyChoices(ctx: TurnContext): Choice[] {
  const offer: [string, string][] = [
    ["tip", "pep_talk"],
    ["reflect", "reflect_interview"],
  ];
  return offer.filter(([c]) => ctx.commands.has(c)).map(([c, l]) => ctx.command(c, l));
}

/**
 * A daily message: a strategy other than yesterday's (rotation), a variant not sent in the
 * last DAILY_NO_REPEAT deliveries. Remembered in the user's "seen" hash.
 */
async function pickDaily(ctx: TurnContext, part: PartOfDay): Promise<string> {
  const id = "daily.message";
  const variants = ctx.t.message(id).variants;
  const keep = Math.min(DAILY_NO_REPEAT, variants.length - 1);
  const seen = ctx.services.state.seen;
  const recent = (await seen.recent(ctx.user, id)).slice(0, keep);
  const lastStrategy = variants.find((v) => v.id === recent[0])?.strategy;
  const fresh = variants.filter((v) => !recent.includes(v.id));
  const rotated = fresh.filter((v) => v.strategy !== lastStrategy);
  const v = chooseVariant(rotated.length ? rotated : fresh.length ? fresh : variants, recent);
  await seen.remember(ctx.user, id, v.id, keep, recent);
  return ctx.t.variantText(id, v.id, { part });
}

export type PartOfDay = "morning" | "afternoon" | "evening" | "night";

/** The part of the day at `ms` in `zone`: 05-12 morning, 12-17 afternoon, 17-22 evening, else night. */
export function partOfDay(ms: number, zone: string): PartOfDay {
  const hour = DateTime.fromMillis(ms, { zone }).hour;
  if (hour >= 5 && hour < 12) return "morning";
  if (hour >= 12 && hour < 17) return "afternoon";
  if (hour >= 17 && hour < 22) return "evening";
  return "night";
}
