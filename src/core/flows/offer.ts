// "I got the job" (issue 13, part 3): the goal of the whole search. Celebrate it warmly, mark the
// application as an offer, and offer to pause or stop the daily boost and the job-search
// reminders (follow-ups, reapply dates, goals check-ins, interview eves, "check on me"); the
// user's own reminders and their journal stay. Say how to come back. The engine routes the
// `offer` intent here; /progress sends an offer here too.
import { DateTime } from "luxon";
import { z } from "zod";
import { done, type Turn, type TurnContext } from "../context.js";
import { defineFlow, goTo } from "../flow.js";
import type { ApplicationRecord } from "../ports/stores.js";
import { compiled, findPhrase, tokens } from "../matching.js";
import { clip } from "../text.js";
import { text, type Reply } from "../types.js";
import { nameOf } from "./applications.js";
import { hasCommand, menuChoices } from "./menu.js";

/** What the job search schedules for itself; a user's own /remind reminders are not among them. */
export const JOB_SEARCH_KINDS = new Set(["followup", "reapply", "goals_weekly", "interview_eve", "checkin_after"]);
/** Words of the news itself, never a company's name. */
const OFFER_WORDS = new Set(["job", "offer", "hired", "got", "yay", "accepted", "position", "work"]);
/** "Pause" pauses the daily boost this long. */
export const OFFER_PAUSE_DAYS = 14;

/** The company an offer names: "I got the job at Absa!!! 🎉", or a bare name typed in /progress. */
function companyIn(ctx: TurnContext, arg: string): string | undefined {
  const typed = arg.trim();
  if (!typed) return undefined;
  const read = ctx.entities.application(typed).company;
  if (read) return clip(read, 60);
  // A bare name ("Absa") typed in /progress: short, and not the news itself ("yay got the job").
  const words = tokens(typed);
  if (words.length > 4 || /[!?.]/.test(typed) || findPhrase(words, compiled(ctx.t.phrases("progress_offer"))))
    return undefined;
  if (words.some((w) => OFFER_WORDS.has(w))) return undefined;
  return ctx.entities.plausible(typed, "company") ? clip(typed, 60) : undefined;
}

async function markOffer(ctx: TurnContext, company: string | undefined): Promise<ApplicationRecord> {
  const apps = ctx.services.stores.applications;
  const known = company ? await apps.findByCompany(ctx.user, company) : undefined;
  if (known) return (await apps.update(ctx.user, known.id, { stage: "offer" }, ctx.now)) ?? known;
  return apps.add(ctx.user, { appliedAt: ctx.now, stage: "offer", ...(company ? { company } : {}) }, ctx.now);
}

async function whatIsScheduled(ctx: TurnContext): Promise<{ daily: boolean; jobSearch: number }> {
  const [sub, items] = await Promise.all([
    ctx.services.schedule.daily.status(ctx.user),
    ctx.services.schedule.scheduler.list(ctx.user),
  ]);
  return { daily: sub !== undefined, jobSearch: items.filter((i) => JOB_SEARCH_KINDS.has(i.kind)).length };
}

function comeBack(ctx: TurnContext, id: string): Reply {
  return text(
    ctx.t.text(id),
    menuChoices(ctx, ["progress", "help"]).concat(
      hasCommand(ctx, "journal") ? [ctx.command("journal", "offer_journal")] : [],
    ),
  );
}

export const offer = defineFlow({
  name: "offer",
  version: 1,
  commands: ["offer"],
  data: z.object({}),
  async start(ctx, arg): Promise<Turn> {
    const record = await markOffer(ctx, companyIn(ctx, arg));
    const name = nameOf(record);
    const cheer = text(ctx.t.text(name ? "offer.celebrate" : "offer.celebrate_unnamed", { name: name ?? "" }));
    const { daily, jobSearch } = await whatIsScheduled(ctx);
    if (!daily && jobSearch === 0) return done(cheer, comeBack(ctx, "offer.come_back"));
    const choices = [
      ...(daily ? [ctx.answer(offer, "choose", "pause", "offer_pause")] : []),
      ctx.answer(offer, "choose", "stop", "offer_stop"),
      ctx.answer(offer, "choose", "keep", "offer_keep"),
    ];
    return goTo(
      offer,
      "choose",
      {},
      cheer,
      text(ctx.t.text(daily ? "offer.ask_pause_stop" : "offer.ask_stop", { days: OFFER_PAUSE_DAYS }), choices),
    );
  },
  steps: {
    choose: {
      expects: "choice",
      async answer(ctx, _data, input): Promise<Turn> {
        const answer = input.kind === "choice" ? input.answer : "";
        const { daily, scheduler } = ctx.services.schedule;
        if (answer === "pause") {
          const until = DateTime.fromMillis(ctx.now, { zone: ctx.timezone })
            .plus({ days: OFFER_PAUSE_DAYS })
            .toMillis();
          await daily.pause(ctx.user, until);
          return done(comeBack(ctx, "offer.paused"));
        }
        if (answer === "stop") {
          await daily.unsubscribe(ctx.user);
          for (const i of (await scheduler.list(ctx.user)).filter((x) => JOB_SEARCH_KINDS.has(x.kind)))
            await scheduler.cancel(ctx.user, i.id);
          return done(comeBack(ctx, "offer.stopped"));
        }
        if (answer === "keep") return done(comeBack(ctx, "offer.kept"));
        return goTo(
          offer,
          "choose",
          {},
          text(ctx.t.text("offer.ask_again"), [
            ...((await whatIsScheduled(ctx)).daily ? [ctx.answer(offer, "choose", "pause", "offer_pause")] : []),
            ctx.answer(offer, "choose", "stop", "offer_stop"),
            ctx.answer(offer, "choose", "keep", "offer_keep"),
          ]),
        );
      },
    },
  },
});
