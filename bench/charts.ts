// What drawing a chart costs, per candidate renderer: load time (first import, cold), the first
// render (fonts parsed), warm render p50/p95, resident memory after load and after the renders,
// and the PNG's size. Each candidate runs in its own fresh process, several times, and the table
// shows medians. Baselines: the text chart and our SVG string alone (no rasteriser loaded), and
// resvg on a trivial SVG (the rasteriser's fixed cost).
//
//   npx tsx bench/charts.ts [renders=60] [runs=3]
//   npx tsx bench/charts.ts child resvg 2000     one candidate, one process: RSS over many renders
//
// The chosen renderer (@resvg/resvg-js) is a dependency. The alternatives are not; to measure
// them too, add them without saving, and restore node_modules afterwards with `npm ci`:
//   npm i --no-save @resvg/resvg-wasm@2.6.2 @napi-rs/canvas vega && npx tsx bench/charts.ts
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import type { ChartSpec } from "../src/charts/spec.js";

const SPECS: ChartSpec[] = [
  {
    kind: "mood_trend",
    title: "Your mood over the last weeks",
    min: 1,
    max: 5,
    points: ["3 Feb", "10 Feb", "17 Feb", "24 Feb", "3 Mar", "10 Mar"].map((label, i) => ({
      label,
      value: i === 2 ? null : 2 + i * 0.5,
    })),
  },
  {
    kind: "pipeline",
    title: "Your applications",
    stages: [
      ["Applied", 12],
      ["Interview", 3],
      ["Offer", 1],
      ["Rejected", 6],
      ["Withdrawn", 0],
    ].map(([label, count]) => ({ label: String(label), count: Number(count) })),
  },
];

type Render = (spec: ChartSpec, i: number) => Promise<Buffer | string> | Buffer | string;
interface Candidate {
  note: string;
  load(): Promise<Render>;
}

const require = createRequire(import.meta.url);
const fontPaths = () => [
  require.resolve("@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf"),
  require.resolve("@expo-google-fonts/inter/700Bold/Inter_700Bold.ttf"),
];
// The alternatives are not dependencies, so they are imported by a name the compiler does not
// resolve: the bench typechecks with or without them installed.
const optional = (name: string): Promise<any> => import(name);
const svgOf = async () => (await import("../src/charts/svg.js")).chartSvg;

/** A vega spec drawing the same mood line (vega-lite 6 needs Node 22, so vega itself). */
function vegaSpec(spec: ChartSpec) {
  const values =
    spec.kind === "mood_trend"
      ? spec.points.map((p) => ({ x: p.label, y: p.value }))
      : spec.stages.map((s) => ({ x: s.label, y: s.count }));
  return {
    width: 700,
    height: 330,
    padding: 20,
    background: "white",
    config: {
      text: { font: "Inter" },
      axis: { labelFont: "Inter", labelFontSize: 20 },
      title: { font: "Inter", fontSize: 30 },
    },
    title: { text: spec.title, anchor: "start" },
    data: [{ name: "d", values }],
    scales: [
      { name: "x", type: "point", range: "width", domain: { data: "d", field: "x" }, padding: 0.5 },
      {
        name: "y",
        type: "linear",
        range: "height",
        domain: spec.kind === "mood_trend" ? [1, 5] : { data: "d", field: "y" },
        nice: true,
      },
    ],
    axes: [
      { orient: "bottom", scale: "x" },
      { orient: "left", scale: "y", grid: true, tickCount: 5 },
    ],
    marks: [
      {
        type: "line",
        from: { data: "d" },
        encode: {
          enter: {
            x: { scale: "x", field: "x" },
            y: { scale: "y", field: "y" },
            defined: { signal: "datum.y !== null" },
            stroke: { value: "#1d4ed8" },
            strokeWidth: { value: 4 },
          },
        },
      },
      {
        type: "symbol",
        from: { data: "d" },
        encode: {
          enter: {
            x: { scale: "x", field: "x" },
            y: { scale: "y", field: "y" },
            size: { value: 200 },
            fill: { value: "#1d4ed8" },
          },
        },
      },
    ],
  };
}

const CANDIDATES: Record<string, Candidate> = {
  text: { note: "baseline: renderText", load: async () => (await import("../src/charts/text.js")).renderText },
  svg: { note: "baseline: our SVG string, no rasteriser", load: svgOf },
  "resvg-trivial": {
    note: "baseline: resvg-js on a one-rect SVG, no text",
    load: async () => {
      const { renderAsync } = await import("@resvg/resvg-js");
      return async () =>
        (
          await renderAsync(
            `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="450"><rect width="800" height="450" fill="#fff"/></svg>`,
            { font: { loadSystemFonts: false } },
          )
        ).asPng();
    },
  },
  // Its "load" is src/charts alone: the addon is imported lazily, inside the first render.
  resvg: {
    note: "CHOSEN: our SVG + @resvg/resvg-js (native, renderAsync) = src/charts renderPng",
    load: async () => (await import("../src/charts/render.js")).renderPng,
  },
  "resvg-sync": {
    note: "as chosen, but rendered on the main thread (new Resvg().render())",
    load: async () => {
      const { Resvg } = await import("@resvg/resvg-js");
      const chartSvg = await svgOf();
      const font = { loadSystemFonts: false, fontFiles: fontPaths(), defaultFontFamily: "Inter" };
      return (spec) => new Resvg(chartSvg(spec), { font }).render().asPng();
    },
  },
  "resvg-wasm": {
    note: "our SVG + @resvg/resvg-wasm (no native binary)",
    load: async () => {
      const wasm = await optional("@resvg/resvg-wasm");
      await wasm.initWasm(readFileSync(require.resolve("@resvg/resvg-wasm/index_bg.wasm")));
      const fonts = fontPaths().map((p) => readFileSync(p));
      const chartSvg = await svgOf();
      return (spec) =>
        Buffer.from(
          new wasm.Resvg(chartSvg(spec), {
            font: { fontBuffers: fonts, loadSystemFonts: false, defaultFontFamily: "Inter" },
          })
            .render()
            .asPng(),
        );
    },
  },
  "napi-canvas": {
    note: "our SVG drawn by @napi-rs/canvas (Skia)",
    load: async () => {
      const { createCanvas, loadImage, GlobalFonts } = await optional("@napi-rs/canvas");
      for (const p of fontPaths()) GlobalFonts.registerFromPath(p);
      const chartSvg = await svgOf();
      return async (spec) => {
        const canvas = createCanvas(800, 450);
        canvas.getContext("2d").drawImage(await loadImage(Buffer.from(chartSvg(spec))), 0, 0);
        return canvas.encode("png");
      };
    },
  },
  "vega+resvg": {
    note: "vega headless SVG (renderer none) + @resvg/resvg-js",
    load: async () => {
      const vega = await optional("vega");
      const { renderAsync } = await import("@resvg/resvg-js");
      const font = { loadSystemFonts: false, fontFiles: fontPaths(), defaultFontFamily: "Inter" };
      return async (spec) => {
        const view = new vega.View(vega.parse(vegaSpec(spec) as never), { renderer: "none" });
        const svg = await view.toSVG();
        view.finalize();
        return (await renderAsync(svg, { font })).asPng();
      };
    },
  },
};

const mb = (b: number) => b / 1024 / 1024;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

async function child(name: string, renders: number): Promise<void> {
  const c = CANDIDATES[name]!;
  const rss0 = process.memoryUsage().rss;
  // CPU time (all threads, so renderAsync's pool work counts) beside wall time: on a shared,
  // loaded machine the wall figures stretch with the load, CPU time much less.
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const cpu0 = cpu();
  let t = performance.now();
  const render = await c.load();
  const loadMs = performance.now() - t;
  const rssLoaded = process.memoryUsage().rss;
  t = performance.now();
  const first = await render(SPECS[0]!, 0);
  const firstMs = performance.now() - t;
  const cpuFirst = cpu() - cpu0;
  const cpu1 = cpu();
  const times: number[] = [];
  for (let i = 0; i < renders; i++) {
    t = performance.now();
    await render(SPECS[i % SPECS.length]!, i);
    times.push(performance.now() - t);
  }
  const cpuPer = (cpu() - cpu1) / renders;
  const out = {
    loadMs,
    firstMs,
    toFirst: loadMs + firstMs,
    cpuFirst,
    cpuPer,
    p50: pct(times, 0.5),
    p95: pct(times, 0.95),
    rss0: mb(rss0),
    rssLoaded: mb(rssLoaded),
    rssAfter: mb(process.memoryUsage().rss),
    maxRss: process.resourceUsage().maxRSS / 1024,
    bytes: typeof first === "string" ? Buffer.byteLength(first) : first.length,
  };
  console.log(`RESULT ${JSON.stringify(out)}`);
}

function parent(renders: number, runs: number): void {
  console.log(
    `node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model}, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  console.log(
    `npx tsx bench/charts.ts ${renders} ${runs}  (medians of ${runs} fresh processes; ${renders} warm renders each, the two chart kinds alternating)\n`,
  );
  console.log(
    "| candidate | load ms | first render ms | load + first ms | CPU ms load + first | warm p50 / p95 ms | CPU ms per warm render | RSS at start -> loaded -> after, MB | max RSS MB | output bytes | what |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|");
  for (const [name, c] of Object.entries(CANDIDATES)) {
    const results: Record<string, number>[] = [];
    let failure = "";
    for (let r = 0; r < runs && !failure; r++) {
      const p = spawnSync(process.execPath, ["--import", "tsx", import.meta.filename, "child", name, String(renders)], {
        encoding: "utf8",
      });
      const line = /^RESULT (.*)$/m.exec(p.stdout)?.[1];
      if (line) results.push(JSON.parse(line));
      else
        failure = /Cannot find (?:package|module) '([^']+)'/.exec(p.stderr)?.[1]
          ? `not installed (${/Cannot find (?:package|module) '([^']+)'/.exec(p.stderr)![1]})`
          : `failed: ${p.stderr.split("\n").find((l) => l.trim()) ?? p.status}`;
    }
    if (failure) {
      console.log(`| ${name} | ${failure} | | | | | | | | | ${c.note} |`);
      continue;
    }
    const m = (k: string) =>
      pct(
        results.map((x) => x[k]!),
        0.5,
      );
    const f = (k: string, d = 1) => m(k).toFixed(d);
    console.log(
      `| ${name} | ${f("loadMs")} | ${f("firstMs")} | ${m("toFirst").toFixed(1)} | ${f("cpuFirst")} | ${f("p50", 2)} / ${f("p95", 2)} | ${f("cpuPer", 2)} | ${f("rss0")} -> ${f("rssLoaded")} -> ${f("rssAfter")} | ${f("maxRss")} | ${m("bytes")} | ${c.note} |`,
    );
  }
}

if (process.argv[2] === "child") await child(process.argv[3]!, Number(process.argv[4] ?? 60));
else parent(Number(process.argv[2] ?? 60), Number(process.argv[3] ?? 3));
