// /feedback: a polite feedback request the user can copy (email and WhatsApp), with company,
// role and name filled in, the timing that works (24-48 hours after; not after an automated
// screening email), and a follow-up reminder in 5-7 business days with a gentle follow-up text.
import { done, goTo, type TurnContext } from "../context.js";
import type { Flow } from "../flow.js";
import { compiled, findPhrase } from "../matching.js";
import type { DueItem } from "../ports/schedule.js";
import { text, type Reply } from "../types.js";
import type { FlowData } from "../ports/state.js";
import { menuChoices } from "./menu.js";
import { addBusinessDays, localDate } from "../dates.js";
import { clip } from "../text.js";
import { unpack } from "./care.js";

const F = "feedback";

interface Filled {
  company: string;
  role: string;
  name: string;
}

function filled(ctx: TurnContext, d: Record<string, string | undefined>): Filled {
  return {
    company: d.company || ctx.t.text("feedback.no_company"),
    role: d.role || ctx.t.text("feedback.no_role"),
    name: d.name || ctx.t.text("feedback.no_name"),
  };
}

function str(d: FlowData, k: string): string | undefined {
  const v = d[k];
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** "I had an interview" / "just an automatic email", in the user's words. */
function typedKind(ctx: TurnContext, typed: string): "interview" | "automated" | undefined {
  if (findPhrase(typed, compiled(ctx.t.phrases("feedback_automated")))) return "automated";
  if (findPhrase(typed, compiled(ctx.t.phrases("feedback_interview")))) return "interview";
  return undefined;
}

function ask(ctx: TurnContext, step: "company" | "role" | "name"): Reply {
  const skip = ctx.answer(F, step, "skip", "skip");
  if (step === "company") return text(ctx.t.text("feedback.ask_company"), [skip]);
  if (step === "role") return text(ctx.t.text("feedback.ask_role"), [skip]);
  return text(ctx.t.text("feedback.ask_name"), [skip]);
}

export const feedback: Flow = {
  name: F,
  commands: ["feedback"],
  async start(ctx) {
    return goTo(F, "kind", {}, text(ctx.t.text("feedback.intro")), text(ctx.t.text("feedback.ask_kind"), [
      ctx.answer(F, "kind", "interview", "fb_interview"),
      ctx.answer(F, "kind", "automated", "fb_automated"),
    ]));
  },

  async answer(ctx, step, data, input) {
    const d: FlowData = { ...data };
    const { typed, answer, before } = unpack(ctx, input);
    switch (step) {
      case "kind":
        const kind = answer ?? typedKind(ctx, typed ?? "");
        if (kind === "automated") return done(text(ctx.t.text("feedback.automated")), text(ctx.t.text("feedback.automated_next"), menuChoices(ctx, ["goals", "tip", "help"])));
        if (kind === "interview") return goTo(F, "company", d, ask(ctx, "company"));
        // Words that say neither: say so, and ask again with the buttons.
        return goTo(F, "kind", d, text(`${ctx.t.text("feedback.kind_unclear")}\n\n${ctx.t.text("feedback.ask_kind")}`, [
          ctx.answer(F, "kind", "interview", "fb_interview"),
          ctx.answer(F, "kind", "automated", "fb_automated"),
        ]));
      case "company":
        if (typed) d.company = clip(typed, 60);
        return goTo(F, "role", d, ...before, ask(ctx, "role"));
      case "role":
        if (typed) d.role = clip(typed, 60);
        return goTo(F, "name", d, ...before, ask(ctx, "name"));
      case "name": {
        if (typed) d.name = clip(typed, 40);
        const f = filled(ctx, { company: str(d, "company"), role: str(d, "role"), name: str(d, "name") });
        return goTo(
          F,
          "follow",
          d,
          ...before,
          text(ctx.t.text("feedback.timing")),
          text(ctx.t.text("feedback.email", { ...f })),
          text(ctx.t.text("feedback.whatsapp", { ...f })),
          text(ctx.t.text("feedback.reapply_note")),
          text(ctx.t.text("feedback.ask_followup"), [
            ctx.answer(F, "follow", "5", "in_5_workdays"),
            ctx.answer(F, "follow", "7", "in_7_workdays"),
            ctx.answer(F, "follow", "no", "no_reminder"),
          ]),
        );
      }
      case "follow": {
        const days = answer === "5" || answer === "7" ? Number(answer) : 0;
        if (!days) return done(text(ctx.t.text("feedback.no_followup"), menuChoices(ctx, ["goals", "checkin", "help"])));
        const dueAt = addBusinessDays(ctx.now, ctx.timezone, days);
        const item: Omit<DueItem, "id" | "user"> = { kind: "followup", dueAt, data: {} };
        for (const k of ["company", "role", "name"]) {
          const v = str(d, k);
          if (v) item.data![k] = v;
        }
        const outcome = await ctx.schedule(item);
        const msg =
          outcome.status === "scheduled"
            ? ctx.t.text("feedback.followup_set", { date: localDate(dueAt, ctx.timezone) })
            : ctx.t.text("reflect.reminder_limit", { limit: outcome.limit });
        return done(text(msg), text(ctx.t.text("feedback.what_next"), menuChoices(ctx, ["goals", "checkin", "help"])));
      }
      default:
        return done(text(ctx.t.text("core.not_understood"), menuChoices(ctx)));
    }
  },

  due: {
    async followup(ctx, item) {
      const f = filled(ctx, item.data ?? {});
      return [
        text(ctx.t.text("feedback.followup_due", { company: f.company })),
        text(ctx.t.text("feedback.followup_text", { ...f })),
        text(ctx.t.text("feedback.followup_after"), [ctx.command("progress", "menu_progress"), ctx.command("tip", "menu_tip"), ctx.command("help", "menu_help")]),
      ];
    },
  },
};
