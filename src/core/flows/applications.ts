// /applications: each application as a record (issue 13, part 2), listed a page at a time,
// newest change first. Tapping one shows it all (company, role, stage, date applied, interview
// date, contact, notes, next action) and lets the user move its stage, fill in a detail, or
// delete it (after a yes). An interview date schedules a reminder the evening before (18:00
// local) that offers practice (`interview_eve`).
import { DateTime } from "luxon";
import { z } from "zod";
import { done, type Turn, type TurnContext } from "../context.js";
import { defineFlow, goTo } from "../flow.js";
import {
  APPLICATION_STAGES,
  type ApplicationPatch,
  type ApplicationRecord,
  type ApplicationStage,
} from "../ports/stores.js";
import { listStep, showPage, withNote } from "../paging.js";
import { formatLocal } from "../time.js";
import { text } from "../types.js";
import { hasCommand, menuChoices } from "./menu.js";
import { confirmed } from "./remind.js";

/** The interview-eve reminder comes at this local hour the day before. */
export const EVE_HOUR = 18;
const FIELDS = ["contact", "notes", "next", "when"] as const;
type Field = (typeof FIELDS)[number];
const FIELD_MAX = 200;

/** "Shoprite (cashier)", "Shoprite", "cashier": how a record is named in a message, or undefined. */
export function nameOf(r: Pick<ApplicationRecord, "company" | "role">): string | undefined {
  if (r.company && r.role) return `${r.company} (${r.role})`;
  return r.company ?? r.role;
}

function stageWord(ctx: TurnContext, s: ApplicationStage): string {
  return ctx.t.text(`applications.stage_${s}`);
}

function when(ctx: TurnContext, ms: number): string {
  return formatLocal(ms, ctx.timezone, ctx.profile.locale ?? "en");
}

function day(ctx: TurnContext, ms: number): string {
  return DateTime.fromMillis(ms, { zone: ctx.timezone })
    .setLocale(ctx.profile.locale ?? "en")
    .toFormat("d LLL yyyy");
}

/** An interview's day: when words give a day without an hour, the hour is only the parser's default. */
function dateOnly(ctx: TurnContext, ms: number): string {
  return DateTime.fromMillis(ms, { zone: ctx.timezone })
    .setLocale(ctx.profile.locale ?? "en")
    .toFormat("ccc d LLL yyyy");
}

function line(ctx: TurnContext, r: ApplicationRecord): string {
  const name = nameOf(r) ?? ctx.t.text("applications.unnamed");
  return ctx.t.text("applications.line", { name, stage: stageWord(ctx, r.stage), date: day(ctx, r.appliedAt) });
}

async function listPage(ctx: TurnContext, page: number): Promise<Turn> {
  const apps = ctx.services.stores.applications;
  const shown = await showPage<ApplicationRecord>(ctx, page, {
    flow: applications,
    fetch: async (offset, limit) => {
      const { total, records } = await apps.list(ctx.user, offset, limit);
      return { total, items: records };
    },
    id: (r) => r.id,
    line: (r) => line(ctx, r),
    // The company alone on the button (20 characters); the role is in the list above it.
    button: (r) => r.company ?? r.role ?? ctx.t.text("applications.unnamed"),
    message: (list) => ctx.t.text("applications.list", { list }),
    head: (page, pages, count) => ctx.t.text("applications.page", { page, pages, count }),
  });
  return shown ?? done(text(ctx.t.text("applications.empty"), menuChoices(ctx, ["progress", "help"])));
}

function details(ctx: TurnContext, r: ApplicationRecord): string {
  const dash = ctx.t.text("applications.not_set");
  return ctx.t.text("applications.record", {
    name: nameOf(r) ?? ctx.t.text("applications.unnamed"),
    stage: stageWord(ctx, r.stage),
    applied: day(ctx, r.appliedAt),
    interview: r.interviewAt !== undefined ? dateOnly(ctx, r.interviewAt) : dash,
    contact: r.contact ?? dash,
    notes: r.notes ?? dash,
    next: r.nextAction ?? dash,
  });
}

async function showRecord(ctx: TurnContext, id: string, page: number, before?: string): Promise<Turn> {
  const r = await ctx.services.stores.applications.get(ctx.user, id);
  if (!r) return listWithNote(ctx, page, "applications.not_found");
  const choices = [
    ctx.answer(applications, "record", "stage", "apps_stage"),
    ctx.answer(applications, "record", "when", "apps_when"),
    ctx.answer(applications, "record", "contact", "apps_contact"),
    ctx.answer(applications, "record", "notes", "apps_notes"),
    ctx.answer(applications, "record", "next", "apps_next"),
    ctx.answer(applications, "record", "delete", "apps_delete"),
    ctx.answer(applications, "record", "back", "rem_back"),
  ];
  const words = [before, details(ctx, r)].filter((w) => w !== undefined).join("\n\n");
  return goTo(applications, "record", { page, id }, text(words, choices));
}

async function listWithNote(ctx: TurnContext, page: number, noteId: string): Promise<Turn> {
  return withNote(ctx, noteId, await listPage(ctx, page));
}

/**
 * The reminder the evening before an interview (EVE_HOUR local), replacing one set before for
 * the same record. Returns when it will come, in words, or undefined when that evening has passed
 * or the schedule is full.
 */
export async function scheduleInterviewEve(ctx: TurnContext, r: ApplicationRecord): Promise<string | undefined> {
  if (r.interviewAt === undefined) return undefined;
  const scheduler = ctx.services.schedule.scheduler;
  for (const old of (await scheduler.list(ctx.user)).filter((i) => i.kind === "interview_eve" && i.data?.app === r.id))
    await scheduler.cancel(ctx.user, old.id);
  const dueAt = DateTime.fromMillis(r.interviewAt, { zone: ctx.timezone })
    .minus({ days: 1 })
    .set({ hour: EVE_HOUR, minute: 0, second: 0, millisecond: 0 })
    .toMillis();
  if (dueAt <= ctx.now) return undefined;
  const data: Record<string, string> = { app: r.id };
  if (r.company) data.company = r.company;
  const out = await ctx.schedule({ kind: "interview_eve", dueAt, data });
  return out.status === "scheduled" ? when(ctx, dueAt) : undefined;
}

const isField = (s: string): s is Field => (FIELDS as readonly string[]).includes(s);
const isStage = (s: string): s is ApplicationStage => (APPLICATION_STAGES as readonly string[]).includes(s);

/** `page` of the list; `id` of the record open; `field` being typed. */
const Data = z.object({
  page: z.number().int().min(0).optional(),
  id: z.string().max(16).optional(),
  field: z.enum(FIELDS).optional(),
});
type Data = z.infer<typeof Data>;

export const applications = defineFlow({
  name: "applications",
  version: 1,
  commands: ["applications"],
  data: Data,
  async start(ctx, arg): Promise<Turn> {
    const id = arg.trim();
    if (/^[a-z0-9]{1,16}$/.test(id)) return showRecord(ctx, id, 0);
    return listPage(ctx, 0);
  },
  steps: {
    list: listStep<Data>((ctx, page) => ({
      page: (n) => listPage(ctx, n),
      open: (id) => showRecord(ctx, id, page),
      close: () => done(text(ctx.t.text("applications.closed"), menuChoices(ctx, ["progress", "help"]))),
    })),
    record: {
      expects: "choice",
      async answer(ctx, data, input): Promise<Turn> {
        const page = data.page ?? 0;
        const answer = input.kind === "choice" ? input.answer : "";
        if (!data.id || answer === "back" || answer === "") return listPage(ctx, page);
        if (answer === "stage") {
          const choices = APPLICATION_STAGES.map((s) => ctx.answer(applications, "stage", s, `apps_stage_${s}`));
          return goTo(
            applications,
            "stage",
            { page, id: data.id },
            text(ctx.t.text("applications.ask_stage"), choices),
          );
        }
        if (answer === "delete") {
          const r = await ctx.services.stores.applications.get(ctx.user, data.id);
          if (!r) return listWithNote(ctx, page, "applications.not_found");
          return goTo(
            applications,
            "delete",
            { page, id: data.id },
            text(ctx.t.text("applications.ask_delete", { item: line(ctx, r) }), [
              ctx.answer(applications, "delete", "yes", "apps_delete_yes"),
              ctx.answer(applications, "delete", "no", "no"),
            ]),
          );
        }
        if (isField(answer))
          return goTo(
            applications,
            "field",
            { page, id: data.id, field: answer },
            text(ctx.t.text(`applications.ask_${answer}`)),
          );
        return showRecord(ctx, data.id, page);
      },
    },
    stage: {
      expects: "choice",
      async answer(ctx, data, input): Promise<Turn> {
        const page = data.page ?? 0;
        if (!data.id) return listPage(ctx, page);
        const stage = input.kind === "choice" ? input.answer : "";
        if (!isStage(stage)) return showRecord(ctx, data.id, page);
        const r = await ctx.services.stores.applications.update(ctx.user, data.id, { stage }, ctx.now);
        if (!r) return listWithNote(ctx, page, "applications.not_found");
        return showRecord(ctx, r.id, page, ctx.t.text("applications.saved"));
      },
    },
    field: {
      expects: "free_text",
      async answer(ctx, data, input): Promise<Turn> {
        const page = data.page ?? 0;
        if (!data.id || !data.field) return listPage(ctx, page);
        const typed = input.kind === "text" ? input.text.trim() : "";
        if (!/[\p{L}\p{N}]/u.test(typed)) return showRecord(ctx, data.id, page);
        if ([...typed].length > FIELD_MAX)
          return goTo(applications, "field", data, text(ctx.t.text("applications.too_long", { max: FIELD_MAX })));
        let patch: ApplicationPatch;
        if (data.field === "when") {
          const p = ctx.entities.reminder(typed, ctx.now, ctx.timezone, { needText: false });
          if (p.status !== "ok") return goTo(applications, "field", data, text(ctx.t.text("applications.no_date")));
          patch = { interviewAt: p.dueAt, stage: "interview" };
        } else
          patch =
            data.field === "contact"
              ? { contact: typed }
              : data.field === "notes"
                ? { notes: typed }
                : { nextAction: typed };
        const r = await ctx.services.stores.applications.update(ctx.user, data.id, patch, ctx.now);
        if (!r) return listWithNote(ctx, page, "applications.not_found");
        const eve = data.field === "when" ? await scheduleInterviewEve(ctx, r) : undefined;
        return showRecord(
          ctx,
          r.id,
          page,
          eve ? ctx.t.text("progress.interview_eve_set", { when: eve }) : ctx.t.text("applications.saved"),
        );
      },
    },
    delete: {
      expects: "yes_no",
      async answer(ctx, data, input): Promise<Turn> {
        const page = data.page ?? 0;
        if (!data.id) return listPage(ctx, page);
        const yn = confirmed(ctx, input);
        if (yn !== "yes") return showRecord(ctx, data.id, page);
        const scheduler = ctx.services.schedule.scheduler;
        for (const i of (await scheduler.list(ctx.user)).filter(
          (x) => x.kind === "interview_eve" && x.data?.app === data.id,
        ))
          await scheduler.cancel(ctx.user, i.id);
        const ok = await ctx.services.stores.applications.remove(ctx.user, data.id);
        return listWithNote(ctx, 0, ok ? "applications.deleted" : "applications.not_found");
      },
    },
  },
  due: {
    /** The evening before an interview: offers practice, unless the record has moved on or gone. */
    async interview_eve(ctx, item) {
      const r = item.data?.app ? await ctx.services.stores.applications.get(ctx.user, item.data.app) : undefined;
      if (!r || r.stage !== "interview") return [];
      const choices = [
        ...(hasCommand(ctx, "practice") ? [ctx.command("practice", "practice_now")] : []),
        ...menuChoices(ctx, ["tip"]),
      ];
      const name = nameOf(r);
      return [text(ctx.t.text(name ? "applications.eve" : "applications.eve_unnamed", { name: name ?? "" }), choices)];
    },
  },
});
