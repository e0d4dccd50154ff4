// Channel-neutral Reply -> terminal text: "bot>" and the message, choices numbered (typing the
// number answers them), a file as its readable summary, a chart as its text chart (fallbackText).
import type { Reply } from "../../core/types.js";

export function renderConsole(r: Reply): string {
  if (r.kind === "document") return `\nbot> ${r.fallbackText}\n`;
  const body = r.kind === "chart" ? r.fallbackText : r.text;
  const lines = [`\nbot> ${body.replace(/\n(?=.)/g, "\n     ")}`];
  r.choices?.forEach((c, i) => lines.push(`     ${i + 1}) ${c.label}`));
  return `${lines.join("\n")}\n`;
}
