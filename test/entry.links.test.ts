// `npm run links`: a Telegram deep link and a WhatsApp click-to-chat link per entry point, each
// with a QR code PNG that decodes (fast-png), has a sane size, and scans back to its link (jsQR).
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { decode } from "fast-png";
import jsQRModule from "jsqr";
import { describe, expect, it } from "vitest";
import { entryByText, entryPoints } from "../src/core/entry.js";
import { writeLinks } from "../scripts/links.js";
import { en } from "./helpers/bot.js";

// jsQR is CommonJS typed as an ES default export: under NodeNext the default is the module object.
type Scan = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR: Scan = (jsQRModule as unknown as { default?: Scan }).default ?? (jsQRModule as unknown as Scan);

describe("npm run links", () => {
  it("writes both links for every entry point, each as a QR code that scans back to it", async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), "bb-links-"));
    const links = await writeLinks({ botUsername: "BounceBackBot", whatsappNumber: "27821234567", outDir });
    const entries = entryPoints(en);
    expect(entries.map((e) => e.id)).toEqual(["rejected", "daily", "reflect", "feedback"]);
    expect(links).toHaveLength(entries.length * 2);
    for (const l of links) {
      if (l.platform === "telegram") {
        expect(l.url).toBe(`https://t.me/BounceBackBot?start=${l.entry.id}`);
        // Telegram's start parameter: up to 64 of A-Z a-z 0-9 _ -.
        expect(new URL(l.url).searchParams.get("start")).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      } else {
        const url = new URL(l.url);
        expect(`${url.origin}${url.pathname}`).toBe("https://wa.me/27821234567");
        // The prefilled text comes back exactly, and the bot recognises it as this entry.
        expect(url.searchParams.get("text")).toBe(l.entry.whatsapp);
        expect(entryByText(en, url.searchParams.get("text")!)?.id).toBe(l.entry.id);
        expect(l.url).not.toMatch(/[ !'()*]/);
      }
      const bytes = readFileSync(l.png);
      expect(statSync(l.png).size).toBeLessThan(20_000);
      const png = decode(bytes);
      // Square, big enough to scan from a phone screen, small enough for a channel post.
      expect(png.width).toBe(png.height);
      expect(png.width).toBeGreaterThanOrEqual(200);
      expect(png.width).toBeLessThanOrEqual(1200);
      const rgba = new Uint8ClampedArray(png.width * png.height * 4);
      const channels = png.channels;
      for (let i = 0; i < png.width * png.height; i++) {
        const v = (j: number) => Number(png.data[i * channels + Math.min(j, channels - 1)]);
        rgba.set([v(0), v(1), v(2), channels === 4 || channels === 2 ? v(channels - 1) : 255], i * 4);
      }
      expect(jsQR(rgba, png.width, png.height)?.data, l.png).toBe(l.url);
    }
  });

  it("skips a platform whose setting is missing", async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), "bb-links-"));
    const links = await writeLinks({ whatsappNumber: "27821234567", outDir });
    expect(new Set(links.map((l) => l.platform))).toEqual(new Set(["whatsapp"]));
  });
});
