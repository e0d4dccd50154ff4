// What a chart shows, said once for every channel: the flows build a ChartSpec from their data
// and the user's language, and each channel picks a rendering (a PNG for Telegram and WhatsApp,
// the text chart for the console and as the caption's fallback). Every word a user sees comes
// in through the spec: src/charts/ holds no user-facing text of its own.

/** One point of the mood trend, e.g. a week; `value` is that week's mean mood, null when none was given. */
export interface MoodPoint {
  label: string;
  value: number | null;
}

/** One stage of the applications pipeline (applied, interview, offer, ...), in the order shown. */
export interface PipelineStage {
  label: string;
  count: number;
}

export interface MoodTrendSpec {
  kind: "mood_trend";
  title: string;
  points: MoodPoint[];
  /** The mood scale; fixed so the picture of one week is comparable with the next. */
  min: 1;
  max: 5;
  /** Shown in the text chart for a point with no value (today `checkin.no_data`, "-"); "-" when absent. */
  noValue?: string;
  /** Shown across the picture, and as the text chart, when there is nothing to plot. */
  emptyNote?: string;
}

export interface PipelineSpec {
  kind: "pipeline";
  title: string;
  stages: PipelineStage[];
  /** Shown across the picture, and as the text chart, when there are no stages or every count is 0. */
  emptyNote?: string;
}

export type ChartSpec = MoodTrendSpec | PipelineSpec;

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
