// /feedback: a polite feedback request the user can copy (email and WhatsApp), with company,
// role and name filled in, the timing that works (24-48 hours after; not after an automated
// screening email), and a follow-up reminder in 5-7 business days with a gentle follow-up text.
import { z } from "zod";
import { done, type Turn, type TurnContext } from "../context.js";
import { addBusinessDays, localDate } from "../dates.js";
import { defineFlow, goTo } from "../flow.js";
import { compiled, findPhrase } from "../matching.js";
import { clip } from "../text.js";
import { text, type Reply } from "../types.js";
import { unpack } from "./care.js";
import { menuChoices } from "./menu.js";

const Data = z.object({ company: z.string().optional(), role: z.string().optional(), name: z.string().optional() });
type Data = z.infer<typeof Data>;

export const feedback = defineFlow({
  name: "feedback",
  version: 1,
  commands: ["feedback"],
  data: Data,
  async start(ctx): Promise<Turn> {
    return goTo(feedback, "kind", {}, text(ctx.t.text("feedback.intro")), askKind(ctx));
  },
  steps: {
    /** An interview, or only an automated screening email? */
    kind: {
      expects: "choice",
      async answer(ctx, data, input): Promise<Turn> {
        const { typed, answer } = unpack(ctx, input);
        const kind = answer ?? typedKind(ctx, typed ?? "");
        if (kind === "automated")
          return done(
            text(ctx.t.text("feedback.automated")),
            text(ctx.t.text("feedback.automated_next"), menuChoices(ctx, ["goals", "tip", "help"])),
          );
        if (kind === "interview") return goTo(feedback, "company", data, ask(ctx, "company"));
        // Words that say neither: say so, and ask again with the buttons.
        return goTo(
          feedback,
          "kind",
          data,
          text(`${ctx.t.text("feedback.kind_unclear")}\n\n${ctx.t.text("feedback.ask_kind")}`, kindChoices(ctx)),
        );
      },
    },
    company: {
      expects: "company",
      checksNames: true,
      async answer(ctx, data, input): Promise<Turn> {
        const { typed, before } = unpack(ctx, input);
        if (!fits(ctx, typed, "company")) return reask(ctx, "company", data, before);
        return goTo(
          feedback,
          "role",
          typed ? { ...data, company: clip(typed, 60) } : data,
          ...before,
          ask(ctx, "role"),
        );
      },
    },
    role: {
      expects: "role",
      checksNames: true,
      async answer(ctx, data, input): Promise<Turn> {
        const { typed, before } = unpack(ctx, input);
        if (!fits(ctx, typed, "role")) return reask(ctx, "role", data, before);
        return goTo(feedback, "name", typed ? { ...data, role: clip(typed, 60) } : data, ...before, ask(ctx, "name"));
      },
    },
    /** The interviewer's name; then the request to copy, and the follow-up question. */
    name: {
      expects: "person",
      checksNames: true,
      async answer(ctx, data, input): Promise<Turn> {
        const { typed, before } = unpack(ctx, input);
        // "Dear hi," must never reach a letter.
        if (!fits(ctx, typed, "person")) return reask(ctx, "name", data, before);
        const d = typed ? { ...data, name: clip(typed, 40) } : data;
        const f = filled(ctx, d);
        return goTo(
          feedback,
          "follow",
          d,
          // The two drafts stand alone, to copy; timing, the reapply note and the follow-up
          // question go together, so the turn is three messages (a care note joins the last).
          text(ctx.t.text("feedback.email", { ...f })),
          text(ctx.t.text("feedback.whatsapp", { ...f })),
          text(
            [
              ...before.map((b) => (b.kind === "text" ? b.text : "")),
              ctx.t.text("feedback.timing"),
              ctx.t.text("feedback.reapply_note"),
              ctx.t.text("feedback.ask_followup"),
            ]
              .filter(Boolean)
              .join("\n\n"),
            [
              ctx.answer(feedback, "follow", "5", "in_5_workdays"),
              ctx.answer(feedback, "follow", "7", "in_7_workdays"),
              ctx.answer(feedback, "follow", "no", "no_reminder"),
            ],
          ),
        );
      },
    },
    /** A follow-up reminder in 5 or 7 working days, or none. */
    follow: {
      expects: "choice",
      async answer(ctx, data, input): Promise<Turn> {
        const answer = input.kind === "choice" ? input.answer : "";
        const days = answer === "5" ? 5 : answer === "7" ? 7 : 0;
        if (!days)
          return done(text(ctx.t.text("feedback.no_followup"), menuChoices(ctx, ["goals", "checkin", "help"])));
        const dueAt = addBusinessDays(ctx.now, ctx.timezone, days);
        const outcome = await ctx.schedule({ kind: "followup", dueAt, data: given(data) });
        const msg =
          outcome.status === "scheduled"
            ? ctx.t.text("feedback.followup_set", { date: localDate(dueAt, ctx.timezone) })
            : ctx.t.text("reflect.reminder_limit", { limit: outcome.limit });
        return done(text(msg), text(ctx.t.text("feedback.what_next"), menuChoices(ctx, ["goals", "checkin", "help"])));
      },
    },
  },
  due: {
    async followup(ctx, item) {
      const f = filled(ctx, item.data ?? {});
      return [
        text(ctx.t.text("feedback.followup_due", { company: f.company })),
        text(ctx.t.text("feedback.followup_text", { ...f })),
        text(ctx.t.text("feedback.followup_after"), [
          ctx.command("progress", "menu_progress"),
          ctx.command("tip", "menu_tip"),
          ctx.command("help", "menu_help"),
        ]),
      ];
    },
  },
});

/** Typed words that can fill the slot (ctx.entities.plausible); a tap (Skip) always fits. */
function fits(ctx: TurnContext, typed: string | undefined, slot: "company" | "role" | "person"): boolean {
  return typed === undefined || ctx.entities.plausible(typed, slot);
}

/** Not a company, role or name ("hi", a question, a reminder request): nothing stored, asked again kindly. */
function reask(ctx: TurnContext, step: "company" | "role" | "name", data: Data, before: Reply[]): Turn {
  return goTo(feedback, step, data, ...before, text(ctx.t.text(`feedback.unclear_${step}`)), ask(ctx, step));
}

/** What the user gave, for the follow-up item (only the parts they gave). */
function given(d: Data): Record<string, string> {
  const out: Record<string, string> = {};
  if (d.company) out.company = d.company;
  if (d.role) out.role = d.role;
  if (d.name) out.name = d.name;
  return out;
}

/** Company, role and name, or the gentle defaults when skipped. */
function filled(ctx: TurnContext, d: Data): { company: string; role: string; name: string } {
  return {
    company: d.company || ctx.t.text("feedback.no_company"),
    role: d.role || ctx.t.text("feedback.no_role"),
    name: d.name || ctx.t.text("feedback.no_name"),
  };
}

/** "I had an interview" / "just an automatic email", in the user's words. */
function typedKind(ctx: TurnContext, typed: string): "interview" | "automated" | undefined {
  if (findPhrase(typed, compiled(ctx.t.phrases("feedback_automated")))) return "automated";
  if (findPhrase(typed, compiled(ctx.t.phrases("feedback_interview")))) return "interview";
  return undefined;
}

function kindChoices(ctx: TurnContext) {
  return [
    ctx.answer(feedback, "kind", "interview", "fb_interview"),
    ctx.answer(feedback, "kind", "automated", "fb_automated"),
  ];
}

function askKind(ctx: TurnContext): Reply {
  return text(ctx.t.text("feedback.ask_kind"), kindChoices(ctx));
}

function ask(ctx: TurnContext, step: "company" | "role" | "name"): Reply {
  const skip = ctx.answer(feedback, step, "skip", "skip");
  if (step === "company") return text(ctx.t.text("feedback.ask_company"), [skip]);
  if (step === "role") return text(ctx.t.text("feedback.ask_role"), [skip]);
  return text(ctx.t.text("feedback.ask_name"), [skip]);
}
