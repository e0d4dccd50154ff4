// Entry points: where a link in a channel post opens the bot (issue 13, part 8). The list is
// data in messages/<default locale>/entry.yaml; this reads it. A Telegram deep link arrives as
// `/start <id>`; a WhatsApp click-to-chat link as its prefilled text, recognised here.
import type { Catalog } from "../content/catalog.js";

export interface EntryPoint {
  /** The start parameter (`t.me/<bot>?start=<id>`) and the name arrivals are counted under. */
  id: string;
  /** The command whose flow the entry opens. */
  command: string;
  /** For the operator: what the entry is for. */
  what: string;
  /** The WhatsApp click-to-chat link's prefilled text. */
  whatsapp: string;
}

const ID = /^[a-z_]{1,32}$/;

/** Per catalog, read once: the entries, and each by its normalised prefilled text (checked on every text). */
const read = new WeakMap<Catalog, { list: EntryPoint[]; byText: Map<string, EntryPoint> }>();

/** The entry points, in the catalog's order. Throws if an entry is malformed: better at start than in a post. */
export function entryPoints(t: Catalog): EntryPoint[] {
  return entriesOf(t).list;
}

function entriesOf(t: Catalog): { list: EntryPoint[]; byText: Map<string, EntryPoint> } {
  const known = read.get(t);
  if (known) return known;
  const raw = t.dataOf<Record<string, Partial<EntryPoint>>>("entry_points");
  const list = Object.entries(raw).map(([id, e]) => {
    if (!ID.test(id) || !e.command || !e.what || !e.whatsapp) {
      throw new Error(`entry point "${id}" needs an id [a-z_], a command, what and whatsapp`);
    }
    return { id, command: e.command, what: e.what, whatsapp: e.whatsapp };
  });
  const byText = new Map<string, EntryPoint>();
  for (const e of list) if (!byText.has(norm(e.whatsapp))) byText.set(norm(e.whatsapp), e);
  const entries = { list, byText };
  read.set(t, entries);
  return entries;
}

/** The entry a `/start` payload names, if any. */
export function entryById(t: Catalog, id: string): EntryPoint | undefined {
  return entryPoints(t).find((e) => e.id === id.trim().toLowerCase());
}

/** The entry whose WhatsApp prefilled text this is, exactly (case and spacing aside). */
export function entryByText(t: Catalog, typed: string): EntryPoint | undefined {
  return entriesOf(t).byText.get(norm(typed));
}

function norm(s: string): string {
  return s
    .normalize("NFKC")
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}
