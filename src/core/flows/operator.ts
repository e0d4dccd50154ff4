// Operator commands, for ADMIN_IDS only (the engine tells anyone else the command does not exist).
import { done, type TurnContext } from "../context.js";
import { defineCommand } from "../flow.js";
import type { StatsSnapshot } from "../ports/privacy.js";
import { text } from "../types.js";

export const stats = defineCommand({
  name: "stats",
  commands: ["stats"],
  adminOnly: true,
  async start(ctx) {
    return done(text(renderStats(ctx, await ctx.services.privacy.stats.snapshot())));
  },
});

export function renderStats(ctx: TurnContext, s: StatsSnapshot): string {
  const none = ctx.t.text("operator.none");
  const perChannel = (m: Partial<Record<string, number>> | undefined) => {
    const parts = Object.entries(m ?? {})
      .filter(([, n]) => (n ?? 0) > 0)
      .map(([c, n]) => `${c} ${n}`);
    return parts.length ? parts.join(" · ") : none;
  };
  const failed = s.failedToday.length
    ? s.failedToday.map((f) => `• ${f.channel} ${f.status}${f.reason ? ` (${f.reason})` : ""}: ${f.count}`).join("\n")
    : none;
  return ctx.t.text("operator.stats", {
    day: s.day,
    users: perChannel(s.users),
    subscribers: perChannel(s.subscribers),
    sent: perChannel(s.sentToday),
    blocked: perChannel(s.blocked),
    // Queues show zeros too: "0 waiting" is news an operator wants, unlike "0 blocked".
    queues:
      s.queues && Object.keys(s.queues).length
        ? Object.entries(s.queues)
            .map(([q, n]) => `${q} ${n}`)
            .join(" · ")
        : none,
    failed,
    arrivals: arrivalsText(ctx, s, none),
  });
}

/** "• rejected: 3 today, 12 in all (telegram 8 · whatsapp 4)", one line per entry point. */
function arrivalsText(ctx: TurnContext, s: StatsSnapshot, none: string): string {
  const sum = (m: Partial<Record<string, number>>) => Object.values(m).reduce<number>((a, n) => a + (n ?? 0), 0);
  const lines = Object.entries(s.arrivals ?? {})
    .sort(([, a], [, b]) => sum(b.total) - sum(a.total))
    .map(([entry, a]) => {
      const split = Object.entries(a.total)
        .map(([c, n]) => `${c} ${n}`)
        .join(" · ");
      return ctx.t.text("operator.arrival_line", { entry, today: sum(a.today), total: sum(a.total), split });
    });
  return lines.length ? lines.join("\n") : none;
}
