// The links an operator puts in a job-opportunities channel's posts (issue 13, part 8): for each
// entry point in messages/<DEFAULT_LOCALE>/entry.yaml, a Telegram deep link
// (https://t.me/<bot>?start=<entry>) and a WhatsApp click-to-chat link with the prefilled text
// (https://wa.me/<number>?text=...), each printed and written as a QR code PNG.
//   TELEGRAM_BOT_USERNAME=BounceBackBot WHATSAPP_NUMBER=27821234567 npm run links [-- --out links]
// Either variable may be left out; its links are then skipped. Nothing is sent anywhere.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import "dotenv/config";
import QRCode from "qrcode";
import { z } from "zod";
import { loadContent } from "../src/content/content.js";
import { entryPoints, type EntryPoint } from "../src/core/entry.js";

const PROJECT_DIR = path.resolve(import.meta.dirname, "..");

export interface EntryLink {
  entry: EntryPoint;
  platform: "telegram" | "whatsapp";
  url: string;
  /** The QR code PNG written for it. */
  png: string;
}

export interface LinkOptions {
  /** The bot's Telegram username, without "@". */
  botUsername?: string;
  /** The WhatsApp business number, international digits without "+" (27821234567). */
  whatsappNumber?: string;
  outDir: string;
  messagesDir?: string;
  locale?: string;
}

const Env = z.object({
  TELEGRAM_BOT_USERNAME: z.preprocess(
    (v) => (typeof v === "string" && v.trim() ? v.trim().replace(/^@/, "") : undefined),
    z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, "a Telegram username: 5-32 letters, digits or _")
      .optional(),
  ),
  WHATSAPP_NUMBER: z.preprocess(
    (v) => (typeof v === "string" && v.trim() ? v.replace(/[\s+()-]/g, "") : undefined),
    z
      .string()
      .regex(/^[1-9]\d{7,14}$/, "international digits without + or a leading 0, like 27821234567")
      .optional(),
  ),
  DEFAULT_LOCALE: z.string().default("en"),
});

export function telegramLink(botUsername: string, entry: EntryPoint): string {
  return `https://t.me/${botUsername}?start=${entry.id}`;
}

export function whatsappLink(number: string, entry: EntryPoint): string {
  // encodeURIComponent leaves ! ' ( ) * as they are; some apps end a link at them: encode them too.
  const hex = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;
  const text = encodeURIComponent(entry.whatsapp).replace(/[!'()*]/g, hex);
  return `https://wa.me/${number}?text=${text}`;
}

/** Every link for every entry point, with its QR code written to `outDir`. */
export async function writeLinks(o: LinkOptions): Promise<EntryLink[]> {
  const locale = o.locale ?? "en";
  const t = loadContent(o.messagesDir ?? path.join(PROJECT_DIR, "messages"), locale).for(locale);
  mkdirSync(o.outDir, { recursive: true });
  const links: EntryLink[] = [];
  for (const entry of entryPoints(t)) {
    const wanted: [EntryLink["platform"], string | undefined][] = [
      ["telegram", o.botUsername && telegramLink(o.botUsername, entry)],
      ["whatsapp", o.whatsappNumber && whatsappLink(o.whatsappNumber, entry)],
    ];
    for (const [platform, url] of wanted) {
      if (!url) continue;
      const png = path.join(o.outDir, `${entry.id}-${platform}.png`);
      // Error correction M survives a smudge or a compressed screenshot in a channel post; 8
      // pixels a module and a 4-module quiet zone scan well from a phone screen.
      await QRCode.toFile(png, url, { type: "png", errorCorrectionLevel: "M", scale: 8, margin: 4 });
      links.push({ entry, platform, url, png });
    }
  }
  return links;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const outAt = args.indexOf("--out");
  const outDir = path.resolve(outAt >= 0 && args[outAt + 1] ? args[outAt + 1]! : "links");
  const env = Env.safeParse(process.env);
  if (!env.success) {
    for (const issue of env.error.issues) console.error(`${issue.path.join(".")}: ${issue.message}`);
    process.exit(2);
  }
  const { TELEGRAM_BOT_USERNAME: botUsername, WHATSAPP_NUMBER: whatsappNumber, DEFAULT_LOCALE: locale } = env.data;
  if (!botUsername && !whatsappNumber) {
    console.error("Set TELEGRAM_BOT_USERNAME and/or WHATSAPP_NUMBER (see docs/operations.md#entry-points).");
    process.exit(2);
  }
  const links = await writeLinks({ botUsername, whatsappNumber, outDir, locale });
  let last = "";
  for (const l of links) {
    if (l.entry.id !== last) console.log(`\n${l.entry.what} (entry "${l.entry.id}")`);
    last = l.entry.id;
    console.log(`  ${l.platform === "telegram" ? "Telegram:" : "WhatsApp:"} ${l.url}`);
    console.log(`  QR code:  ${path.relative(process.cwd(), l.png)}`);
  }
  if (!botUsername) console.log("\n(No TELEGRAM_BOT_USERNAME: Telegram links skipped.)");
  if (!whatsappNumber) console.log("\n(No WHATSAPP_NUMBER: WhatsApp links skipped.)");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
