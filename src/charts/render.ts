// The charts' public surface: renderPng for Telegram and WhatsApp, renderText for the console
// and captions, renderPicture for a channel that wants the PNG or, failing that, the text.
// The rasteriser (@resvg/resvg-js, a native addon whose binary arrives as an npm optional
// dependency) is imported on the first picture, so a process that never draws never loads it.
// Rendering runs on libuv's thread pool (renderAsync), so a picture never stalls the event loop
// serving other users' turns; at most RENDER_CONCURRENCY at once, because that pool (4 threads)
// also serves DNS lookups and file reads, and each render holds a 1.4 MB pixmap.
import { createRequire } from "node:module";
import type { ResvgRenderOptions } from "@resvg/resvg-js";
import type { ChartSpec } from "./spec.js";
import { chartSvg, FONT_FAMILY } from "./svg.js";
import { renderText } from "./text.js";

export { renderText } from "./text.js";
export { chartSvg } from "./svg.js";
export {
  CHART_HEIGHT,
  CHART_WIDTH,
  type ChartSpec,
  type MoodPoint,
  type MoodTrendSpec,
  type PipelineSpec,
  type PipelineStage,
} from "./spec.js";

/** A picture bigger than this is a bug in the drawing (today's are 10-30 KB); both platforms take megabytes. */
export const PNG_BUDGET_BYTES = 100 * 1024;
export const RENDER_CONCURRENCY = 2;

interface Renderer {
  rasterise(svg: string): Promise<Buffer>;
}
let loading: Promise<Renderer> | undefined;

/** The font files, from an npm package so no system font is assumed (slim images have none). */
export function fontFiles(): string[] {
  const require = createRequire(import.meta.url);
  return [
    require.resolve("@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf"),
    require.resolve("@expo-google-fonts/inter/700Bold/Inter_700Bold.ttf"),
  ];
}

async function load(): Promise<Renderer> {
  const [{ renderAsync }, { default: pLimit }] = await Promise.all([import("@resvg/resvg-js"), import("p-limit")]);
  const limit = pLimit(RENDER_CONCURRENCY);
  const options: ResvgRenderOptions = {
    // No system fonts: the picture must look the same on a laptop and in a slim container.
    font: {
      loadSystemFonts: false,
      fontFiles: fontFiles(),
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    fitTo: { mode: "original" },
    background: "#ffffff",
    logLevel: "off",
  };
  // renderAsync, not `new Resvg().render()`: resvg-js 2.6 does not tell V8 about the native
  // memory its objects hold (thx/resvg-js#216, fixed by #393 in 2.7, still alpha), so only a GC
  // frees it. A Resvg object holds the parsed fonts and tree: synchronous rendering grew to 570 MB
  // in 300 renders. renderAsync leaves only the 1.4 MB pixmap, and the 25 KB PNG Buffer each
  // render returns is memory V8 does count, so GC keeps pace: 2,000 renders plateau at 118 MB
  // (max 144) with a 74 MB start (`npx tsx bench/charts.ts child resvg 2000`).
  return { rasterise: (svg) => limit(async () => (await renderAsync(svg, options)).asPng()) };
}

function renderer(): Promise<Renderer> {
  // A failed import (say, no binary for this platform) is not cached: the next call tries again
  // and fails with the same clear error, rather than a stale rejected promise.
  loading ??= load().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

/** The chart as a PNG (CHART_WIDTH x CHART_HEIGHT). Rejects only if the renderer cannot load or fails. */
export async function renderPng(spec: ChartSpec): Promise<Buffer> {
  const svg = chartSvg(spec);
  return (await renderer()).rasterise(svg);
}

export type PictureOutcome =
  | { status: "rendered"; png: Buffer; text: string }
  /** No picture this time: send `text` (the text chart) instead; `cause` is for the log. */
  | { status: "text_only"; text: string; cause: unknown };

/** The PNG and, always, the text chart; a renderer failure becomes `text_only`, never a lost message. */
export async function renderPicture(
  spec: ChartSpec,
  rasterise: (spec: ChartSpec) => Promise<Buffer> = renderPng,
): Promise<PictureOutcome> {
  const text = renderText(spec);
  try {
    return { status: "rendered", png: await rasterise(spec), text };
  } catch (cause) {
    return { status: "text_only", text, cause };
  }
}
