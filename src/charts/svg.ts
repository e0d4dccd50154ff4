// Draws a ChartSpec as an SVG string, the one drawing both the PNG and any future channel use.
// Plain string building on purpose: two linear maps over fixed domains (mood 1-5, counts 0-max)
// are all the geometry these charts need, so no charting library is loaded to produce them.
// Sized for a phone: 800x450 shown about 360 px wide, so text is never under 18 px here
// (about 8 px on the phone, only on crowded axes) and colours keep at least 4.5:1 contrast on white.
import {
  CHART_HEIGHT as H,
  CHART_WIDTH as W,
  plotCount,
  plotValue,
  type ChartSpec,
  type MoodTrendSpec,
  type PipelineSpec,
} from "./spec.js";
import { fitLabel, drawableText, textWidth } from "./text-fit.js";

/** The family name inside the bundled font files (see font.ts); nothing else is ever asked for. */
export const FONT_FAMILY = "Inter";

const INK = "#111827"; // 17:1 on white
const MUTED = "#374151"; // 10:1
const GRID = "#d1d5db";
const TRACK = "#eef0f3";
const ACCENT = "#1d4ed8"; // 6.7:1
const PAD = 32;
const TITLE_SIZE = 34;
const LABEL_SIZE = 24;
const VALUE_SIZE = 22;
const PLOT_TOP = 100;

const n1 = (x: number) => (Math.round(x * 10) / 10).toString();

function frame(spec: ChartSpec, body: string): string {
  const title = fitLabel(spec.title, TITLE_SIZE, W - 2 * PAD);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${FONT_FAMILY}">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<defs><clipPath id="page"><rect x="${PAD / 2}" y="0" width="${W - PAD}" height="${H}"/></clipPath></defs>`,
    `<g clip-path="url(#page)">`,
    `<text x="${PAD}" y="${PAD + 28}" font-size="${TITLE_SIZE}" font-weight="700" fill="${INK}">${title}</text>`,
    body,
    `</g></svg>`,
  ].join("\n");
}

function note(text: string, cx: number, cy: number, maxWidth: number): string {
  const size = 26;
  return [
    `<rect x="${cx - maxWidth / 2 - 12}" y="${cy - size - 6}" width="${maxWidth + 24}" height="${size * 2}" rx="10" fill="#ffffff" stroke="${GRID}"/>`,
    `<text x="${cx}" y="${cy + 3}" font-size="${size}" text-anchor="middle" fill="${MUTED}">${fitLabel(text, size, maxWidth)}</text>`,
  ].join("\n");
}

function moodTrend(spec: MoodTrendSpec): string {
  const { min, max } = spec;
  const left = PAD + 40;
  const right = W - PAD;
  const top = PLOT_TOP + 10;
  const bottom = H - 66;
  const y = (v: number) => bottom - ((v - min) / (max - min)) * (bottom - top);
  const n = spec.points.length;
  const step = n > 0 ? (right - left) / n : right - left;
  const x = (i: number) => left + step * (i + 0.5);
  const parts: string[] = [];

  for (let v = min; v <= max; v++) {
    parts.push(
      `<line x1="${left}" y1="${y(v)}" x2="${right}" y2="${y(v)}" stroke="${GRID}" stroke-width="${v === min ? 2 : 1}"/>`,
    );
    parts.push(
      `<text x="${left - 14}" y="${y(v) + 8}" font-size="${LABEL_SIZE}" text-anchor="end" fill="${MUTED}">${v}</text>`,
    );
  }

  // Crowded axes show every k-th label (always the latest) rather than shrink text past reading.
  const labelSize = step >= 80 ? VALUE_SIZE : 18;
  const longest = Math.max(0, ...spec.points.map((p) => textWidth(drawableText(p.label), labelSize)));
  const stride = Math.max(1, Math.ceil((Math.min(longest, 160) + 12) / Math.max(step, 1)));
  spec.points.forEach((p, i) => {
    const shown = (n - 1 - i) % stride === 0; // keep the latest point's label
    if (!shown) return;
    const room = Math.max(step * stride - 12, 20);
    // The last label may be wider than its half step: keep it inside the picture's right edge.
    const half = Math.min(textWidth(drawableText(p.label), labelSize), room) / 2;
    const cx = Math.min(x(i), W - PAD / 2 - half);
    parts.push(
      `<text x="${n1(cx)}" y="${H - 30}" font-size="${labelSize}" text-anchor="middle" fill="${MUTED}">${fitLabel(p.label, labelSize, room)}</text>`,
    );
  });

  const vals = spec.points.map((p) => plotValue(p.value, min, max));
  const known = vals.flatMap((v, i) => (v === null ? [] : [{ i, v }]));
  // Consecutive points joined solid; across a missing week, dashed, so the trend still reads.
  for (let k = 1; k < known.length; k++) {
    const a = known[k - 1]!;
    const b = known[k]!;
    const dash = b.i - a.i > 1 ? ` stroke-dasharray="8 8"` : "";
    parts.push(
      `<line x1="${n1(x(a.i))}" y1="${n1(y(a.v))}" x2="${n1(x(b.i))}" y2="${n1(y(b.v))}" stroke="${ACCENT}" stroke-width="4" stroke-linecap="round"${dash}/>`,
    );
  }
  const showValues = step >= 44;
  for (const { i, v } of known) {
    parts.push(
      `<circle cx="${n1(x(i))}" cy="${n1(y(v))}" r="${step >= 30 ? 8 : 5}" fill="${ACCENT}" stroke="#ffffff" stroke-width="3"/>`,
    );
    if (showValues)
      parts.push(
        `<text x="${n1(x(i))}" y="${n1(y(v) - 16)}" font-size="${VALUE_SIZE}" font-weight="700" text-anchor="middle" fill="${INK}">${v.toFixed(1)}</text>`,
      );
  }

  if (known.length === 0 && spec.emptyNote)
    parts.push(note(spec.emptyNote, (left + right) / 2, (top + bottom) / 2, right - left - 80));
  return frame(spec, parts.join("\n"));
}

function pipeline(spec: PipelineSpec): string {
  const stages = spec.stages.map((s) => ({ label: s.label, count: plotCount(s.count) }));
  const most = Math.max(0, ...stages.map((s) => s.count));
  const parts: string[] = [];
  if (most === 0 && spec.emptyNote) {
    parts.push(note(spec.emptyNote, W / 2, (PLOT_TOP + H) / 2, W - 4 * PAD));
    return frame(spec, parts.join("\n"));
  }
  const n = Math.max(stages.length, 1);
  const top = PLOT_TOP;
  const rowH = Math.min(66, (H - PAD - top) / n);
  const size = Math.max(10, Math.min(LABEL_SIZE, rowH * 0.5));
  const barH = Math.max(4, rowH * 0.62);
  // The label column fits the longest label, within limits, so isiZulu's longer stage names
  // are not cut where English would leave room to spare.
  const longest = Math.max(0, ...stages.map((s) => textWidth(drawableText(s.label), size)));
  const labelRoom = Math.min(300, Math.max(120, longest));
  const barX = PAD + labelRoom + 16;
  const countRoom = 16 + size * 3.2; // up to a five-digit count after the bar
  const barMax = W - PAD - barX - countRoom;
  stages.forEach((s, i) => {
    const cy = top + rowH * (i + 0.5);
    // A non-zero count always shows a sliver, so 1 of 10,000 does not read as none.
    const w = most > 0 && s.count > 0 ? Math.max((s.count / most) * barMax, 8) : 0;
    parts.push(
      `<text x="${PAD}" y="${n1(cy + size * 0.36)}" font-size="${n1(size)}" fill="${INK}">${fitLabel(s.label, size, labelRoom)}</text>`,
    );
    parts.push(
      `<rect x="${barX}" y="${n1(cy - barH / 2)}" width="${n1(barMax)}" height="${n1(barH)}" rx="6" fill="${TRACK}"/>`,
    );
    if (w > 0)
      parts.push(
        `<rect x="${barX}" y="${n1(cy - barH / 2)}" width="${n1(w)}" height="${n1(barH)}" rx="6" fill="${ACCENT}"/>`,
      );
    parts.push(
      `<text x="${n1(barX + w + 12)}" y="${n1(cy + size * 0.36)}" font-size="${n1(size)}" font-weight="700" fill="${INK}">${s.count}</text>`,
    );
  });
  return frame(spec, parts.join("\n"));
}

export function chartSvg(spec: ChartSpec): string {
  switch (spec.kind) {
    case "mood_trend":
      return moodTrend(spec);
    case "pipeline":
      return pipeline(spec);
  }
}
