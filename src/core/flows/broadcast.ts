// /broadcast, for ADMIN_IDS only: write a message, pick the audience (daily subscribers of one
// channel or all), see it exactly as subscribers will and how many will get it, confirm. While
// one is going, /broadcast shows its progress and can stop it. The sending itself is the
// schedule's (src/schedule/broadcast.ts); this flow only talks to the operator, and renders
// each recipient's message when its delivery comes due.
import { z } from "zod";
import { done, type Turn, type TurnContext } from "../context.js";
import { defineFlow, goTo } from "../flow.js";
import { isActive, type Audience, type BroadcastProgress, type BroadcastService } from "../ports/broadcast.js";
import { yesOrNo } from "../intents.js";
import { text, type ChannelName } from "../types.js";

/** Who a broadcast can go to: daily subscribers of one channel, or of all. */
const AUDIENCES = ["all", "telegram", "whatsapp", "console"] as const satisfies readonly Audience[];

/** WhatsApp template parameters are cut here (channels/whatsapp/outbound.ts, templateParam). */
const TEMPLATE_PARAM_MAX = 900;

function service(ctx: TurnContext): BroadcastService {
  return ctx.services.schedule.broadcasts;
}

function audienceName(ctx: TurnContext, a: Audience): string {
  return ctx.t.dataOf<Record<string, string>>("broadcast_audiences")[a] ?? a;
}

function num(ctx: TurnContext, n: number): string {
  return n.toLocaleString(ctx.profile.locale ?? "en");
}

function countFor(counts: Partial<Record<ChannelName, number>>, a: Audience): number {
  return a === "all" ? Object.values(counts).reduce((s, n) => s + (n ?? 0), 0) : (counts[a] ?? 0);
}

function askText(ctx: TurnContext): Turn {
  return goTo(broadcast, "text", {}, text(ctx.t.text("broadcast.ask_text")));
}

/** The message is written: ask who gets it, unless this deployment runs a single channel. */
async function afterText(ctx: TurnContext, svc: BroadcastService, message: string): Promise<Turn> {
  const counts = await svc.audienceCounts();
  const channels = Object.keys(counts) as ChannelName[];
  if (channels.length <= 1) return preview(ctx, message, "all", counts);
  const list = channels.map((c) => `${audienceName(ctx, c)} ${num(ctx, counts[c] ?? 0)}`).join(" · ");
  return goTo(
    broadcast,
    "audience",
    { text: message },
    text(ctx.t.text("broadcast.ask_audience", { counts: list }), [
      ctx.answer(broadcast, "audience", "all", "bc_all"),
      ...channels.map((c) => ctx.answer(broadcast, "audience", c, `bc_${c}`)),
    ]),
  );
}

/** The message exactly as subscribers will get it, then the figure and the question. */
function preview(
  ctx: TurnContext,
  message: string,
  audience: Audience,
  counts: Partial<Record<ChannelName, number>>,
): Turn {
  const count = countFor(counts, audience);
  if (count === 0) return done(text(ctx.t.text("broadcast.nobody", { audience: audienceName(ctx, audience) })));
  const reachesWhatsApp = audience === "whatsapp" || (audience === "all" && (counts.whatsapp ?? 0) > 0);
  const note =
    reachesWhatsApp && [...message].length > TEMPLATE_PARAM_MAX
      ? `\n\n${ctx.t.text("broadcast.template_note", { max: TEMPLATE_PARAM_MAX })}`
      : "";
  return goTo(
    broadcast,
    "confirm",
    { text: message, audience },
    text(message),
    text(ctx.t.text("broadcast.preview", { count, audience: audienceName(ctx, audience) }) + note, [
      ctx.answer(broadcast, "confirm", "send", "bc_send"),
      ctx.answer(broadcast, "confirm", "edit", "bc_edit"),
      ctx.answer(broadcast, "confirm", "discard", "bc_discard"),
    ]),
  );
}

function progressText(ctx: TurnContext, p: BroadcastProgress): string {
  return ctx.t.text("broadcast.progress", {
    state: ctx.t.text(`broadcast.state_${p.status}`),
    audience: audienceName(ctx, p.audience),
    planned: num(ctx, p.planned),
    enqueued: num(ctx, p.enqueued),
    sent: num(ctx, p.sent),
    failed: num(ctx, p.failed),
    skipped: num(ctx, p.skipped),
  });
}

function showRunning(ctx: TurnContext, p: BroadcastProgress, lead?: string): Turn {
  return goTo(
    broadcast,
    "running",
    { id: p.id },
    text((lead ? `${lead}\n\n` : "") + progressText(ctx, p), [
      ctx.answer(broadcast, "running", "stop", "bc_stop"),
      ctx.answer(broadcast, "running", "refresh", "bc_refresh"),
    ]),
  );
}

export const broadcast = defineFlow({
  name: "broadcast",
  version: 1,
  commands: ["broadcast"],
  adminOnly: true,
  // The operator's message, who gets it, and (while it goes out) the broadcast's id.
  data: z.object({ text: z.string().optional(), audience: z.enum(AUDIENCES).optional(), id: z.string().optional() }),
  async start(ctx, arg): Promise<Turn> {
    const svc = service(ctx);
    const latest = await svc.latest();
    if (isActive(latest)) return showRunning(ctx, latest);
    // `/broadcast <message>` skips the question (a single line; write it alone for several).
    return arg.trim() ? afterText(ctx, svc, arg.trim()) : askText(ctx);
  },
  steps: {
    text: {
      expects: "free_text",
      async answer(ctx, _data, input): Promise<Turn> {
        return input.kind === "text" ? afterText(ctx, service(ctx), input.text) : askText(ctx);
      },
    },
    audience: {
      expects: "choice",
      async answer(ctx, data, input): Promise<Turn> {
        const svc = service(ctx);
        const message = data.text ?? "";
        const counts = await svc.audienceCounts();
        const answer = input.kind === "choice" ? input.answer : undefined;
        const picked = AUDIENCES.find((a) => a === answer && (a === "all" || a in counts));
        if (!picked || !message) return afterText(ctx, svc, message);
        return preview(ctx, message, picked, counts);
      },
    },
    /** Send, edit or discard, after the preview. */
    confirm: {
      expects: "choice",
      async answer(ctx, data, input): Promise<Turn> {
        const svc = service(ctx);
        const message = data.text ?? "";
        const said = input.kind === "choice" ? input.answer : yesOrNo(ctx.t, input.text);
        const audience = data.audience ?? "all";
        if (said === "edit" || !message) return askText(ctx);
        if (said === "discard" || said === "no") return done(text(ctx.t.text("broadcast.not_sent")));
        if (said !== "send" && said !== "yes") return preview(ctx, message, audience, await svc.audienceCounts());
        // Counted again now: subscribers may have come and gone while the operator read the preview.
        const planned = countFor(await svc.audienceCounts(), audience);
        if (planned === 0) return done(text(ctx.t.text("broadcast.nobody", { audience: audienceName(ctx, audience) })));
        const started = await svc.start({ text: message, audience, by: ctx.user, planned });
        if (started.status === "busy") return showRunning(ctx, started.progress, ctx.t.text("broadcast.busy"));
        return done(text(ctx.t.text("broadcast.started", { count: planned, audience: audienceName(ctx, audience) })));
      },
    },
    /** A broadcast going out: stop it, or see its progress again. */
    running: {
      expects: "choice",
      async answer(ctx, data, input): Promise<Turn> {
        const svc = service(ctx);
        if (input.kind === "choice" && input.answer === "stop") {
          const p = await svc.cancel(data.id ?? "");
          return done(
            text(p ? ctx.t.text("broadcast.cancelled", { sent: num(ctx, p.sent) }) : ctx.t.text("broadcast.not_found")),
          );
        }
        const p = await svc.latest();
        if (!p) return done(text(ctx.t.text("broadcast.not_found")));
        return isActive(p) ? showRunning(ctx, p) : done(text(progressText(ctx, p)));
      },
    },
  },
  due: {
    /** Rendered at delivery time: a cancelled broadcast renders nothing, so its queued jobs drop. */
    async broadcast(ctx, item) {
      const id = item.data?.broadcast;
      const message = id ? await service(ctx).messageFor(id) : undefined;
      return message ? [text(message)] : [];
    },
  },
});
