// The pictures: every chart kind renders to a PNG that decodes at the promised size, under the
// size budget, with its text actually drawn (the bundled font loaded) and its marks where the data
// puts them; different data gives a different picture; hostile labels never throw.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { decode } from "fast-png";
import { describe, expect, it } from "vitest";
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  PNG_BUDGET_BYTES,
  chartSvg,
  renderPicture,
  renderPng,
  renderText,
  type ChartSpec,
} from "../src/charts/render.js";

const mood = (values: (number | null)[], extra: Partial<ChartSpec> = {}): ChartSpec => ({
  kind: "mood_trend",
  title: "Your mood over the last weeks",
  min: 1,
  max: 5,
  points: values.map((value, i) => ({ label: `${3 + 7 * i} Feb`, value })),
  ...(extra as object),
});
const pipeline = (counts: number[], extra: Partial<ChartSpec> = {}): ChartSpec => ({
  kind: "pipeline",
  title: "Your applications",
  stages: ["Applied", "Interview", "Offer", "Rejected", "Withdrawn"]
    .slice(0, counts.length)
    .map((label, i) => ({ label, count: counts[i]! })),
  ...(extra as object),
});

/** The PNG signature and IHDR read by hand, then a full decode: both must agree. */
function inspect(png: Buffer) {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.toString("latin1", 12, 16)).toBe("IHDR");
  const header = { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
  const image = decode(png);
  expect({ width: image.width, height: image.height }).toEqual(header);
  return image;
}

type Image = ReturnType<typeof decode>;
type Box = { x0: number; y0: number; x1: number; y1: number };

/** Pixels in the box within `tol` of the colour: how we know text or a mark was drawn there. */
function countColour(img: Image, rgb: [number, number, number], box: Box, tol = 40): number {
  let n = 0;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = (y * img.width + x) * img.channels;
      if (
        Math.abs(img.data[i]! - rgb[0]) + Math.abs(img.data[i + 1]! - rgb[1]) + Math.abs(img.data[i + 2]! - rgb[2]) <=
        tol
      )
        n++;
    }
  }
  return n;
}

const INK: [number, number, number] = [0x11, 0x18, 0x27];
const ACCENT: [number, number, number] = [0x1d, 0x4e, 0xd8];
const TITLE_BAND: Box = { x0: 0, y0: 20, x1: CHART_WIDTH, y1: 72 };
const WHOLE: Box = { x0: 0, y0: 0, x1: CHART_WIDTH, y1: CHART_HEIGHT };

describe("renderPng", () => {
  const cases: [string, ChartSpec][] = [
    ["mood trend", mood([2.4, 3, null, 3.8, 4.5, 5])],
    ["pipeline", pipeline([12, 3, 1, 6, 0])],
  ];

  it.each(cases)("%s: a PNG of the chart size, under budget, title drawn, data marked", async (_, spec) => {
    const png = await renderPng(spec);
    const img = inspect(png);
    expect(img.width).toBe(CHART_WIDTH);
    expect(img.height).toBe(CHART_HEIGHT);
    expect(png.length).toBeLessThan(PNG_BUDGET_BYTES);
    // Dark title text: proves the font from node_modules loaded (resvg draws no text without one).
    expect(countColour(img, INK, TITLE_BAND)).toBeGreaterThan(300);
    expect(countColour(img, ACCENT, WHOLE, 30)).toBeGreaterThan(500);
  });

  it("draws the mood line higher for a better mood", async () => {
    const low = decode(await renderPng(mood([1.5, 1.5, 1.5])));
    const high = decode(await renderPng(mood([4.5, 4.5, 4.5])));
    const upper: Box = { x0: 80, y0: 100, x1: CHART_WIDTH - 40, y1: 240 };
    const lower: Box = { x0: 80, y0: 250, x1: CHART_WIDTH - 40, y1: 390 };
    expect(countColour(high, ACCENT, upper, 30)).toBeGreaterThan(countColour(high, ACCENT, lower, 30) + 300);
    expect(countColour(low, ACCENT, lower, 30)).toBeGreaterThan(countColour(low, ACCENT, upper, 30) + 300);
  });

  it("gives a different picture for different data, the same for the same", async () => {
    const a = await renderPng(mood([2, 3, 4]));
    expect((await renderPng(mood([2, 3, 4]))).equals(a)).toBe(true);
    expect((await renderPng(mood([2, 3, 5]))).equals(a)).toBe(false);
    const p = await renderPng(pipeline([4, 2, 1]));
    expect((await renderPng(pipeline([4, 2, 2]))).equals(p)).toBe(false);
    expect((await renderPng({ ...pipeline([4, 2, 1]), title: "Other title" } as ChartSpec)).equals(p)).toBe(false);
  });

  it("draws longer bars for larger counts", async () => {
    const few = decode(await renderPng(pipeline([9, 1])));
    const many = decode(await renderPng(pipeline([1, 9])));
    const secondRow: Box = { x0: 0, y0: 170, x1: CHART_WIDTH, y1: 200 };
    expect(countColour(many, ACCENT, secondRow, 30)).toBeGreaterThan(countColour(few, ACCENT, secondRow, 30) * 3);
  });

  describe("empty data renders a sensible picture", () => {
    const empties: [string, ChartSpec][] = [
      ["no points", mood([])],
      ["every point null", mood([null, null, null])],
      ["no stages", pipeline([])],
      ["every count zero", pipeline([0, 0, 0, 0, 0])],
    ];

    it.each(empties)("%s: title, no data marks, and the caller's note when given", async (_, spec) => {
      const bare = decode(await renderPng(spec));
      expect(countColour(bare, INK, TITLE_BAND)).toBeGreaterThan(300);
      expect(countColour(bare, ACCENT, WHOLE, 30)).toBe(0);
      const withNote = await renderPng({ ...spec, emptyNote: "Nothing to show yet" } as ChartSpec);
      inspect(withNote);
      expect(chartSvg({ ...spec, emptyNote: "Nothing to show yet" } as ChartSpec)).toContain("Nothing to show yet");
      expect(withNote.equals(await renderPng(spec))).toBe(false);
    });
  });

  describe("labels from anywhere do not throw or break the picture", () => {
    const long = "Ofisi yezicelo ezinde kakhulu kangangokuba ayilingani ".repeat(8);
    const hostile = [
      "🎉🎉🎉",
      "👩🏽‍💻 Developer",
      "مقابلة عمل",
      "ראיון עבודה",
      long,
      "a<b & \"c\" 'd' ]]> <!--",
      "\u0000\u0007\ud800 tab\tline\nend",
      "",
      "   ",
    ];

    it.each(hostile.map((h) => [JSON.stringify(h).slice(0, 40), h]))("%s", async (_, label) => {
      for (const spec of [
        {
          ...mood([3, 4]),
          title: label,
          points: [
            { label, value: 3 },
            { label, value: null },
          ],
        },
        {
          ...pipeline([]),
          title: label,
          stages: [
            { label, count: 2 },
            { label, count: 0 },
          ],
        },
      ] as ChartSpec[]) {
        const png = await renderPng(spec);
        const img = inspect(png);
        expect(img.width).toBe(CHART_WIDTH);
        expect(png.length).toBeLessThan(PNG_BUDGET_BYTES);
      }
    });

    it("leaves out what the font cannot draw instead of 'no glyph' boxes", async () => {
      const emojiTitle = decode(await renderPng({ ...pipeline([1]), title: "🎉 مقابلة" } as ChartSpec));
      expect(countColour(emojiTitle, INK, TITLE_BAND)).toBe(0);
      const svg = chartSvg({ ...pipeline([1]), title: "Offer 🎉!" } as ChartSpec);
      expect(svg).toContain(">Offer !</text>");
    });

    it("cuts a long title with an ellipsis and escapes markup", () => {
      const svg = chartSvg({ ...pipeline([1]), title: long, stages: [{ label: "a<b & c", count: 1 }] } as ChartSpec);
      expect(svg).toMatch(/>Ofisi yezicelo[^<]*…<\/text>/);
      expect(svg).toContain("a&lt;b &amp; c");
    });

    it("survives values and counts that are not numbers", async () => {
      const odd = {
        ...mood([]),
        points: [
          { label: "x", value: Number.NaN },
          { label: "y", value: 99 },
          { label: "z", value: -Infinity },
        ],
      } as ChartSpec;
      inspect(await renderPng(odd));
      const counts = {
        ...pipeline([]),
        stages: [
          { label: "x", count: -3 },
          { label: "y", count: 2.7 },
          { label: "z", count: Number.NaN },
        ],
      } as ChartSpec;
      expect(chartSvg(counts)).toMatch(/>2<\/text>/);
      inspect(await renderPng(counts));
    });
  });
});

describe("renderPicture", () => {
  it("gives the PNG with the text chart beside it", async () => {
    const spec = pipeline([3, 1]);
    const out = await renderPicture(spec);
    expect(out.status).toBe("rendered");
    if (out.status !== "rendered") return;
    expect(out.png.equals(await renderPng(spec))).toBe(true);
    expect(out.text).toBe(renderText(spec));
  });

  it("falls back to the text chart when the renderer fails", async () => {
    const spec = mood([2, 4]);
    const broken = new Error("no binary for this platform");
    const out = await renderPicture(spec, () => Promise.reject(broken));
    expect(out).toEqual({ status: "text_only", text: "3 Feb  ██░░░ 2.0\n10 Feb ████░ 4.0", cause: broken });
  });

  it("renders many pictures at once, each the same as alone", async () => {
    const specs = Array.from({ length: 8 }, (_, i) => pipeline([i + 1, 8 - i, i % 3]));
    const together = await Promise.all(specs.map((s) => renderPng(s)));
    for (let i = 0; i < specs.length; i++) expect(together[i]!.equals(await renderPng(specs[i]!))).toBe(true);
    expect(new Set(together.map((p) => p.toString("base64"))).size).toBe(specs.length);
  });
});

describe("loading", () => {
  // A child process, so nothing this test file already loaded hides the answer.
  it.runIf(process.platform === "linux")("loads the native renderer on the first picture, not on import", () => {
    const script = [
      `import { readFileSync } from "node:fs";`,
      `const loaded = () => /resvg/.test(readFileSync("/proc/self/maps", "utf8"));`,
      `const charts = await import(${JSON.stringify(path.resolve("src/charts/render.ts"))});`,
      `charts.renderText({ kind: "pipeline", title: "t", stages: [{ label: "a", count: 1 }] });`,
      `const before = loaded();`,
      `await charts.renderPng({ kind: "pipeline", title: "t", stages: [{ label: "a", count: 1 }] });`,
      `console.log(JSON.stringify({ before, after: loaded() }));`,
    ].join("\n");
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    expect(child.stderr).toBe("");
    expect(JSON.parse(child.stdout)).toEqual({ before: false, after: true });
  });
});
