// /reapply: a reminder to apply again to the same company after a few months, with what the
// user means to do better by then. Company, role, when (3 or 6 months, or a date in words) and
// the improvement, echoed back and saved only after a yes. `/reapply <application id>` starts
// from a saved application (after a rejection), with its company and role filled in.
import { DateTime } from "luxon";
import { z } from "zod";
import { done, type Turn, type TurnContext } from "../context.js";
import { defineFlow, goTo, type Step } from "../flow.js";
import { MAX_REMINDER_TEXT } from "../time.js";
import { text, type Choice } from "../types.js";
import { menuChoices } from "./menu.js";
import { atLimit, confirmed, readable, save, saveChoices, when } from "./remind.js";

/** Company and role: a name, not a paragraph. */
const SHORT_MAX = 80;

const Data = z.object({
  company: z.string().optional(),
  role: z.string().optional(),
  dueAt: z.number().optional(),
  improve: z.string().optional(),
});
type Data = z.infer<typeof Data>;

export const reapply = defineFlow({
  name: "reapply",
  version: 1,
  commands: ["reapply"],
  data: Data,
  async start(ctx, arg): Promise<Turn> {
    const full = await atLimit(ctx);
    if (full) return full;
    // `/reapply <record id>` (offered after a rejection): the company and role are known already.
    const id = arg.trim();
    const r = /^[a-z0-9]{1,16}$/.test(id) ? await ctx.services.stores.applications.get(ctx.user, id) : undefined;
    if (r?.company && r.role) {
      const known = { company: r.company, role: r.role };
      return goTo(reapply, "wait", known, text(ctx.t.text("remind.reapply_wait"), waitChoices(ctx)));
    }
    if (r?.company) return goTo(reapply, "role", { company: r.company }, text(ctx.t.text("remind.reapply_role")));
    return goTo(reapply, "company", {}, text(ctx.t.text("remind.reapply_company")));
  },
  steps: {
    company: name("company"),
    role: name("role"),
    wait: {
      expects: "date",
      async answer(ctx, data, input): Promise<Turn> {
        let dueAt: number;
        if (input.kind === "choice") {
          const months = input.answer === "6" ? 6 : 3;
          dueAt = DateTime.fromMillis(ctx.now, { zone: ctx.timezone })
            .plus({ months })
            .set({ hour: 9, minute: 0, second: 0, millisecond: 0 })
            .toMillis();
        } else {
          const p = ctx.entities.reminder(input.text.trim(), ctx.now, ctx.timezone, { needText: false });
          if (p.status !== "ok")
            return goTo(
              reapply,
              "wait",
              data,
              text(ctx.t.text(p.status === "past" ? "remind.past" : "remind.no_date"), waitChoices(ctx)),
            );
          dueAt = p.dueAt;
        }
        return goTo(reapply, "improve", { ...data, dueAt }, text(ctx.t.text("remind.reapply_improve")));
      },
    },
    improve: {
      expects: "free_text",
      async answer(ctx, data, input): Promise<Turn> {
        const typed = input.kind === "text" ? input.text.trim() : "";
        if ([...typed].length > MAX_REMINDER_TEXT)
          return goTo(
            reapply,
            "improve",
            data,
            text(ctx.t.text("remind.reapply_too_long", { max: MAX_REMINDER_TEXT })),
          );
        if (!readable(typed)) return goTo(reapply, "improve", data, text(ctx.t.text("remind.reapply_improve")));
        return askConfirm(ctx, { ...data, improve: typed });
      },
    },
    confirm: {
      expects: "yes_no",
      async answer(ctx, data, input): Promise<Turn> {
        const { company, role, dueAt, improve } = data;
        if (company === undefined || role === undefined || dueAt === undefined || improve === undefined)
          return reapply.start(ctx, "");
        const yn = confirmed(ctx, input);
        if (yn === undefined) return askConfirm(ctx, data);
        if (yn === "no") return done(text(ctx.t.text("remind.not_saved"), menuChoices(ctx, ["help"])));
        return save(ctx, { kind: "reapply", dueAt, text: improve, data: { company, role } });
      },
    },
  },
});

/** The company's or the role's name, in the user's words; then the next question. */
function name(step: "company" | "role"): Step<Data> {
  return {
    expects: step,
    async answer(ctx, data, input): Promise<Turn> {
      const typed = input.kind === "text" ? input.text.trim() : "";
      if ([...typed].length > SHORT_MAX)
        return goTo(reapply, step, data, text(ctx.t.text("remind.reapply_too_long", { max: SHORT_MAX })));
      if (!readable(typed))
        return goTo(
          reapply,
          step,
          data,
          text(ctx.t.text(step === "company" ? "remind.reapply_company" : "remind.reapply_role")),
        );
      if (step === "company")
        return goTo(reapply, "role", { ...data, company: typed }, text(ctx.t.text("remind.reapply_role")));
      return goTo(reapply, "wait", { ...data, role: typed }, text(ctx.t.text("remind.reapply_wait"), waitChoices(ctx)));
    },
  };
}

function waitChoices(ctx: TurnContext): Choice[] {
  return [ctx.answer(reapply, "wait", "3", "reapply_3m"), ctx.answer(reapply, "wait", "6", "reapply_6m")];
}

function askConfirm(ctx: TurnContext, d: Data): Turn {
  const vars = {
    when: when(ctx, d.dueAt ?? ctx.now),
    company: d.company ?? "",
    role: d.role ?? "",
    improve: d.improve ?? "",
  };
  return goTo(reapply, "confirm", d, text(ctx.t.text("remind.reapply_confirm", vars), saveChoices(ctx, reapply)));
}
