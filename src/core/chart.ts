// What a chart shows, said once for every channel: the flows build a ChartSpec from their data
// and the user's language and send it in a `chart` Reply; each channel picks a rendering (a PNG
// for Telegram and WhatsApp, the text chart for the console). The types live in core so the
// flows can build them without importing the renderer: src/charts/ imports these, never the
// reverse. Plain data only, because a Reply travels as BullMQ job data (JSON).

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
