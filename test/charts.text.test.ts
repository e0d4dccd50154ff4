// The text chart: the console's picture and the caption's fallback. Fixed inputs, exact output,
// so a change to what users read is a deliberate one.
import { describe, expect, it } from "vitest";
import { renderText, type ChartSpec } from "../src/charts/render.js";

const mood = (points: { label: string; value: number | null }[], extra: object = {}): ChartSpec => ({
  kind: "mood_trend",
  title: "Mood",
  min: 1,
  max: 5,
  points,
  ...extra,
});
const pipeline = (stages: { label: string; count: number }[], extra: object = {}): ChartSpec => ({
  kind: "pipeline",
  title: "Applications",
  stages,
  ...extra,
});

describe("renderText, mood trend", () => {
  it("draws today's trendChart style: label, five blocks, the mean to one decimal", () => {
    const spec = mood([
      { label: "3 Feb", value: 2.4 },
      { label: "10 Feb", value: 3 },
      { label: "17 Feb", value: null },
      { label: "24 Feb", value: 3.5 },
      { label: "3 Mar", value: 5 },
    ]);
    expect(renderText(spec)).toBe(
      ["3 Feb  ██░░░ 2.4", "10 Feb ███░░ 3.0", "17 Feb -", "24 Feb ████░ 3.5", "3 Mar  █████ 5.0"].join("\n"),
    );
  });

  it("marks a week without a value with the caller's word", () => {
    expect(
      renderText(
        mood(
          [
            { label: "1 Jan", value: null },
            { label: "8 Jan", value: 1 },
          ],
          { noValue: "—" },
        ),
      ),
    ).toBe("1 Jan —\n8 Jan █░░░░ 1.0");
  });

  it("shows the empty note when nothing has a value, else every week as a gap", () => {
    expect(renderText(mood([], { emptyNote: "No check-ins yet" }))).toBe("No check-ins yet");
    expect(renderText(mood([{ label: "1 Jan", value: null }], { emptyNote: "No check-ins yet" }))).toBe(
      "No check-ins yet",
    );
    expect(
      renderText(
        mood([
          { label: "1 Jan", value: null },
          { label: "8 Jan", value: null },
        ]),
      ),
    ).toBe("1 Jan -\n8 Jan -");
    expect(renderText(mood([]))).toBe("");
  });

  it("clamps values to the scale and treats non-numbers as gaps", () => {
    expect(
      renderText(
        mood([
          { label: "a", value: 9 },
          { label: "b", value: 0 },
          { label: "c", value: Number.NaN },
        ]),
      ),
    ).toBe("a █████ 5.0\nb █░░░░ 1.0\nc -");
  });
});

describe("renderText, pipeline", () => {
  it("draws bars of blocks scaled to the largest count, with the count", () => {
    const spec = pipeline([
      { label: "Applied", count: 12 },
      { label: "Interview", count: 3 },
      { label: "Offer", count: 1 },
      { label: "Rejected", count: 6 },
      { label: "Withdrawn", count: 0 },
    ]);
    expect(renderText(spec)).toBe(
      ["Applied   ██████████ 12", "Interview ███ 3", "Offer     █ 1", "Rejected  █████ 6", "Withdrawn 0"].join("\n"),
    );
  });

  it("gives any non-zero count at least one block", () => {
    expect(
      renderText(
        pipeline([
          { label: "a", count: 1000 },
          { label: "b", count: 1 },
        ]),
      ),
    ).toBe("a ██████████ 1000\nb █ 1");
  });

  it("shows the empty note for no stages or all zeros, else the zero rows", () => {
    expect(renderText(pipeline([], { emptyNote: "No applications yet" }))).toBe("No applications yet");
    expect(renderText(pipeline([{ label: "Applied", count: 0 }], { emptyNote: "No applications yet" }))).toBe(
      "No applications yet",
    );
    expect(
      renderText(
        pipeline([
          { label: "Applied", count: 0 },
          { label: "Offer", count: 0 },
        ]),
      ),
    ).toBe("Applied 0\nOffer   0");
    expect(renderText(pipeline([]))).toBe("");
  });

  it("keeps emoji, RTL and long labels whole, padding by characters as seen", () => {
    const long = "x".repeat(200);
    const out = renderText(
      pipeline([
        { label: "🎉 Offer", count: 2 },
        { label: "ראיון", count: 1 },
        { label: long, count: 0 },
      ]),
    );
    const lines = out.split("\n");
    expect(lines[0]).toBe(`🎉 Offer${" ".repeat(193)} ██████████ 2`);
    expect(lines[1]).toBe(`ראיון${" ".repeat(195)} █████ 1`);
    expect(lines[2]).toBe(`${long} 0`);
  });

  it("turns line breaks in a label into spaces so each stage stays one line", () => {
    expect(renderText(pipeline([{ label: "Two\nlines", count: 1 }]))).toBe("Two lines ██████████ 1");
  });
});
