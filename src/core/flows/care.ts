// Professional help: career counsellors, coaches and CV help (/pro), and mental-health help
// when stress, anxiety or hopelessness come up (/wellbeing, also offered by the engine when
// those words appear outside a flow). Distinct from the crisis flow, which handles danger.
import { done } from "../context.js";
import type { Flow } from "../flow.js";
import { text } from "../types.js";
import { helplinesText } from "./crisis.js";
import { menuChoices } from "./menu.js";

export const professional: Flow = {
  name: "pro",
  commands: ["pro"],
  async start(ctx) {
    return done(text(ctx.t.text("care.pro")), text(ctx.t.text("care.pro_where"), menuChoices(ctx, ["reflect", "goals", "help"])));
  },
};

export const wellbeing: Flow = {
  name: "wellbeing",
  commands: ["wellbeing"],
  async start(ctx) {
    return done(
      text(ctx.t.text("care.wellbeing")),
      text(ctx.t.text("care.wellbeing_lines", { helplines: helplinesText(ctx) }), menuChoices(ctx, ["checkin", "tip", "help"])),
    );
  },
};
