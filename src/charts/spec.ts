// The renderer's view of a chart: the ChartSpec types (defined in core/chart.ts, where the flows
// build them; this layer imports core, never the reverse), the picture's size, and how bad data
// is tamed before drawing. Every word a user sees comes in through the spec: src/charts/ holds no
// user-facing text of its own.

export type { ChartSpec, MoodPoint, MoodTrendSpec, PipelineSpec, PipelineStage } from "../core/chart.js";

/** The picture's size in pixels: 16:9, large enough to read on a phone, small enough to send quickly. */
export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 450;

/** A value the chart can place, or null: NaN, infinities and non-numbers count as "no value" so bad data draws a gap, never throws. */
export function plotValue(value: unknown, min: number, max: number): number | null {
  if (typeof value !== "number" || !Number.isFinite(value)) return null;
  return Math.min(max, Math.max(min, value));
}

/** A count the chart can draw: negative, fractional or non-numeric counts become whole and >= 0. */
export function plotCount(count: unknown): number {
  if (typeof count !== "number" || !Number.isFinite(count) || count < 0) return 0;
  return Math.floor(count);
}
