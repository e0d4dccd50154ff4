// The privacy and operator settings: defaults and limits.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";

describe("privacy settings", () => {
  it("default to 12 months, 20 messages a minute and an open /metrics", () => {
    const c = loadConfig({});
    expect([c.RETENTION_MONTHS, c.INACTIVE_MONTHS, c.FLOOD_LIMIT_PER_MINUTE, c.METRICS_TOKEN]).toEqual([
      12,
      12,
      20,
      undefined,
    ]);
  });

  it("take numbers from the environment and refuse nonsense by name", () => {
    expect(loadConfig({ RETENTION_MONTHS: "6", INACTIVE_MONTHS: "24", FLOOD_LIMIT_PER_MINUTE: "60" })).toMatchObject({
      RETENTION_MONTHS: 6,
      INACTIVE_MONTHS: 24,
      FLOOD_LIMIT_PER_MINUTE: 60,
    });
    expect(() => loadConfig({ RETENTION_MONTHS: "0" })).toThrow(/RETENTION_MONTHS/);
    expect(() => loadConfig({ INACTIVE_MONTHS: "soon" })).toThrow(/INACTIVE_MONTHS/);
  });
});
