// The charts' public surface: renderPng for Telegram and WhatsApp, renderText for the console
// and captions. The rasteriser (@resvg/resvg-js, a native addon whose binary arrives as an npm
// optional dependency) is imported on the first picture, so a process that never draws never
// loads it; rendering runs on libuv's thread pool (renderAsync), so a picture never stalls the
// event loop that serves other users' turns.
import { createRequire } from "node:module";
import type { ResvgRenderOptions } from "@resvg/resvg-js";
import type { ChartSpec } from "./spec.js";
import { chartSvg, FONT_FAMILY } from "./svg.js";

export { renderText } from "./text.js";
export { chartSvg } from "./svg.js";
export { CHART_HEIGHT, CHART_WIDTH, type ChartSpec } from "./spec.js";

/** A picture bigger than this is a bug in the drawing (today's are 15-40 KB); WhatsApp and Telegram take far more. */
export const PNG_BUDGET_BYTES = 100 * 1024;

type Resvg = typeof import("@resvg/resvg-js");
let loading: Promise<Resvg> | undefined;

/** The font files, from an npm package so no system font is assumed (slim images have none). */
export function fontFiles(): string[] {
  const require = createRequire(import.meta.url);
  return [
    require.resolve("@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf"),
    require.resolve("@expo-google-fonts/inter/700Bold/Inter_700Bold.ttf"),
  ];
}

function loadResvg(): Promise<Resvg> {
  // A failed import (say, no binary for this platform) is not cached: the next call tries again
  // and fails with the same clear error, rather than a stale rejected promise.
  loading ??= import("@resvg/resvg-js").catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

let options: ResvgRenderOptions | undefined;

function renderOptions(): ResvgRenderOptions {
  options ??= {
    font: { loadSystemFonts: false, fontFiles: fontFiles(), defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    fitTo: { mode: "original" },
    background: "#ffffff",
    logLevel: "off",
  };
  return options;
}

/** The chart as a PNG (CHART_WIDTH x CHART_HEIGHT). Rejects only if the renderer cannot load. */
export async function renderPng(spec: ChartSpec): Promise<Buffer> {
  const svg = chartSvg(spec);
  const { renderAsync } = await loadResvg();
  const image = await renderAsync(svg, renderOptions());
  return image.asPng();
}
