// The text chart: what the console shows, and the caption or fallback when a picture cannot be
// sent. Mood keeps the style users already know from trendChart in core/flows/checkin.ts
// ("3 Mar  ███░░ 3.4"); the pipeline is a bar of blocks per stage, scaled to the largest count.
import { plotCount, plotValue, type ChartSpec, type MoodTrendSpec, type PipelineSpec } from "./spec.js";
import { graphemes, xmlSafe } from "./text-fit.js";

/** Blocks in the longest pipeline bar: fits a phone's line beside a label and a count. */
export const PIPELINE_BLOCKS = 10;

const clean = (label: string) => xmlSafe(label).trim();
const width = (s: string) => graphemes(s).length;
const padEnd = (s: string, to: number) => s + " ".repeat(Math.max(0, to - width(s)));

function moodText(spec: MoodTrendSpec): string {
  const values = spec.points.map((p) => plotValue(p.value, spec.min, spec.max));
  if (values.every((v) => v === null) && spec.emptyNote) return spec.emptyNote;
  const labels = spec.points.map((p) => clean(p.label));
  const to = Math.max(0, ...labels.map(width));
  const blocks = spec.max; // one block per step of the scale, as trendChart draws 1-5 in five
  return labels
    .map((label, i) => {
      const v = values[i];
      if (v === null || v === undefined) return `${padEnd(label, to)} ${spec.noValue ?? "-"}`;
      const full = Math.round(v);
      return `${padEnd(label, to)} ${"█".repeat(full)}${"░".repeat(blocks - full)} ${v.toFixed(1)}`;
    })
    .join("\n");
}

function pipelineText(spec: PipelineSpec): string {
  const stages = spec.stages.map((s) => ({ label: clean(s.label), count: plotCount(s.count) }));
  const most = Math.max(0, ...stages.map((s) => s.count));
  if (most === 0 && spec.emptyNote) return spec.emptyNote;
  const to = Math.max(0, ...stages.map((s) => width(s.label)));
  return stages
    .map(({ label, count }) => {
      // Any count above zero shows at least one block, so "1 offer" never looks like none.
      const n = count === 0 ? 0 : Math.max(1, Math.round((count / most) * PIPELINE_BLOCKS));
      return `${padEnd(label, to)} ${"█".repeat(n)}${n > 0 ? " " : ""}${count}`;
    })
    .join("\n");
}

/** The chart as lines of text, without the title (the caller's message carries its own heading). */
export function renderText(spec: ChartSpec): string {
  switch (spec.kind) {
    case "mood_trend":
      return moodText(spec);
    case "pipeline":
      return pipelineText(spec);
  }
}
