// Loads messages/<locale>/*.yaml, validates it, and fills placeholders.
// A broken file stops the start with the file and the key named: better than a bot that
// answers a person in distress with "undefined".
import { readFileSync, readdirSync, existsSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { compiled, ContentError, fill } from "./format.js";

export { ContentError, compiled, fill, placeholdersOf } from "./format.js";

/** The article's strategies (CONTENT.md); every message may be tagged with one. */
export const STRATEGIES = [
  "common",
  "reflect",
  "feedback",
  "resilience",
  "perspective",
  "network",
  "momentum",
  "selfcare",
  "goals",
  "professional",
  "mentalhealth",
  "reapply",
  "growth",
] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** Platform limits every shipped string must fit (PLATFORMS.md). */
export const LIMITS = {
  /** WhatsApp interactive body; far below Telegram's 4096, so one limit serves both. */
  text: 1024,
  /** WhatsApp reply-button title. */
  label: 20,
} as const;

export interface Variant {
  id: string;
  text: string;
  strategy?: Strategy;
}

export interface Message {
  id: string;
  strategy?: Strategy;
  variants: Variant[];
}

export class Catalog {
  constructor(
    readonly locale: string,
    private readonly messages: ReadonlyMap<string, Message>,
    private readonly labels: ReadonlyMap<string, string>,
    private readonly phraseLists: ReadonlyMap<string, readonly string[]>,
    private readonly data: ReadonlyMap<string, unknown>,
  ) {}

  has(id: string): boolean {
    return this.messages.has(id);
  }

  message(id: string): Message {
    const m = this.messages.get(id);
    if (!m) throw new ContentError(`message "${id}" is not defined for locale ${this.locale}`);
    return m;
  }

  /** The text of a single-variant message (or the first variant), placeholders filled. */
  text(id: string, vars: Record<string, string | number> = {}): string {
    return fill(this.message(id).variants[0]!.text, vars, id, this.locale);
  }

  /** A variant chosen by the caller (see `pickVariant`), placeholders filled. */
  variantText(id: string, variantId: string, vars: Record<string, string | number> = {}): string {
    const v = this.message(id).variants.find((x) => x.id === variantId);
    if (!v) throw new ContentError(`message "${id}" has no variant "${variantId}"`);
    return fill(v.text, vars, `${id}#${variantId}`, this.locale);
  }

  label(id: string): string {
    const l = this.labels.get(id);
    if (l === undefined) throw new ContentError(`label "${id}" is not defined for locale ${this.locale}`);
    return l;
  }

  phrases(list: string): readonly string[] {
    return this.phraseLists.get(list) ?? [];
  }

  /** Structured data shipped with the messages (helplines, command words...). */
  dataOf<T>(key: string): T {
    if (!this.data.has(key)) throw new ContentError(`data "${key}" is not defined for locale ${this.locale}`);
    return this.data.get(key) as T;
  }

  hasData(key: string): boolean {
    return this.data.has(key);
  }

  messageIds(): string[] {
    return [...this.messages.keys()];
  }
  labelIds(): string[] {
    return [...this.labels.keys()];
  }
  phraseListIds(): string[] {
    return [...this.phraseLists.keys()];
  }
  dataKeys(): string[] {
    return [...this.data.keys()];
  }
  allMessages(): Message[] {
    return [...this.messages.values()];
  }
}

type Raw = Record<string, unknown>;

function isStrategy(s: unknown): s is Strategy {
  return typeof s === "string" && (STRATEGIES as readonly string[]).includes(s);
}

/**
 * Reads one locale folder. File kinds by top-level shape:
 * - `labels:` map of id -> short label (choice buttons)
 * - `phrases:` map of list name -> array of phrases (intent and safety matching)
 * - `data:` free structured data (helplines, command words)
 * - anything else: message id -> string | { text, strategy } | { strategy, variants: [{id, text, strategy}] }
 * Message ids are `<file>.<key>`, so `core.yaml`'s `welcome` is `core.welcome`.
 */
export function loadCatalog(dir: string, locale: string): Catalog {
  const folder = path.join(dir, locale);
  if (!existsSync(folder)) throw new ContentError(`no messages folder for locale "${locale}" at ${folder}`);
  const messages = new Map<string, Message>();
  const labels = new Map<string, string>();
  const phraseLists = new Map<string, string[]>();
  const data = new Map<string, unknown>();

  const files = readdirSync(folder)
    .filter((f) => f.endsWith(".yaml"))
    .sort();
  for (const file of files) {
    const where = `messages/${locale}/${file}`;
    let doc: unknown;
    try {
      doc = parse(readFileSync(path.join(folder, file), "utf8"));
    } catch (e) {
      throw new ContentError(`${where}: not valid YAML (${(e as Error).message.split("\n")[0]})`);
    }
    if (!doc || typeof doc !== "object" || Array.isArray(doc))
      throw new ContentError(`${where}: must be a map of keys`);
    const ns = file.replace(/\.yaml$/, "");
    for (const [key, value] of Object.entries(doc as Raw)) {
      if (key === "labels") {
        for (const [id, label] of Object.entries(asMap(value, where, key))) {
          if (typeof label !== "string" || label.trim() === "")
            throw new ContentError(`${where}: label "${id}" must be text`);
          if ([...label].length > LIMITS.label)
            throw new ContentError(
              `${where}: label "${id}" is ${[...label].length} characters; buttons fit ${LIMITS.label}`,
            );
          if (labels.has(id)) throw new ContentError(`${where}: label "${id}" is defined twice`);
          labels.set(id, label);
        }
      } else if (key === "phrases") {
        for (const [list, items] of Object.entries(asMap(value, where, key))) {
          if (!Array.isArray(items) || items.some((p) => typeof p !== "string" || p.trim() === ""))
            throw new ContentError(`${where}: phrases.${list} must be a list of text`);
          phraseLists.set(list, [...(phraseLists.get(list) ?? []), ...(items as string[])]);
        }
      } else if (key === "data") {
        for (const [k, v] of Object.entries(asMap(value, where, key))) data.set(k, v);
      } else {
        const id = `${ns}.${key}`;
        const message = toMessage(id, value, where);
        // Compiled now, so a broken plural stops the start with its file and key named.
        for (const v of message.variants) compiled(v.text, locale, `${where}: ${id}#${v.id}`);
        messages.set(id, message);
      }
    }
  }
  return new Catalog(locale, messages, labels, phraseLists, data);
}

function asMap(v: unknown, where: string, key: string): Raw {
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new ContentError(`${where}: "${key}" must be a map`);
  return v as Raw;
}

function checkText(t: unknown, where: string, id: string): string {
  if (typeof t !== "string" || t.trim() === "") throw new ContentError(`${where}: "${id}" needs a non-empty text`);
  const s = t.replace(/\s+$/, "");
  if ([...s].length > LIMITS.text)
    throw new ContentError(`${where}: "${id}" is ${[...s].length} characters; keep messages under ${LIMITS.text}`);
  return s;
}

function toMessage(id: string, value: unknown, where: string): Message {
  if (typeof value === "string") return { id, variants: [{ id: "0", text: checkText(value, where, id) }] };
  const raw = asMap(value, where, id);
  const strategy = raw.strategy;
  if (strategy !== undefined && !isStrategy(strategy))
    throw new ContentError(
      `${where}: "${id}" has unknown strategy "${String(strategy)}" (known: ${STRATEGIES.join(", ")})`,
    );
  if (raw.text !== undefined) {
    return { id, strategy, variants: [{ id: "0", text: checkText(raw.text, where, id), strategy }] };
  }
  if (!Array.isArray(raw.variants) || raw.variants.length === 0)
    throw new ContentError(`${where}: "${id}" needs "text" or a non-empty "variants" list`);
  const seen = new Set<string>();
  const variants = raw.variants.map((v, i): Variant => {
    const vr = typeof v === "string" ? { text: v } : asMap(v, where, `${id}[${i}]`);
    const vid = vr.id === undefined ? String(i) : String(vr.id);
    if (seen.has(vid)) throw new ContentError(`${where}: "${id}" has two variants with id "${vid}"`);
    seen.add(vid);
    const vs = vr.strategy ?? strategy;
    if (vs !== undefined && !isStrategy(vs))
      throw new ContentError(`${where}: "${id}#${vid}" has unknown strategy "${String(vs)}"`);
    return { id: vid, text: checkText(vr.text, where, `${id}#${vid}`), strategy: vs };
  });
  return { id, strategy, variants };
}

/**
 * The safety texts: a person in crisis must never get them half in another language, so every
 * enabled locale carries all of them itself (no fallback), or the start fails naming what is
 * missing. The message ids are those of the default locale's safety.yaml.
 */
