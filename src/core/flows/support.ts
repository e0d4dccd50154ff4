// Right after a rejection (/rejected or plain words), and /tip: short support from the article.
import { aside, done } from "../context.js";
import { defineCommand } from "../flow.js";
import { text } from "../types.js";
import { hasCommand, menuChoices } from "./menu.js";

export const rejected = defineCommand({
  name: "rejected",
  commands: ["rejected"],
  async start(ctx) {
    const first = await ctx.pick("support.first_response");
    return done(
      text(first.text),
      text(ctx.t.text("support.what_next"), [
        ...menuChoices(ctx, ["reflect", "feedback", "tip", "checkin", "help"]),
        // A check-in the day after (scheduled "checkin_after"), offered only where /checkin exists.
        ...(hasCommand(ctx, "checkin") ? [ctx.command("checkin tomorrow", "check_tomorrow")] : []),
        // Marks the application turned down, then offers feedback and reapply for it (progress.ts).
        ...(hasCommand(ctx, "progress") ? [ctx.command("progress rejected", "apps_mark_rejected")] : []),
      ]),
    );
  },
});

export const tip = defineCommand({
  name: "tip",
  commands: ["tip"],
  async start(ctx) {
    // Never the same tip twice in a row; with enough tips, not within the last several.
    const tipText = await ctx.pick("tips.tip", {}, 8);
    return aside(text(tipText.text, [ctx.command("tip", "another_tip"), ...menuChoices(ctx, ["reflect", "help"])]));
  },
});
