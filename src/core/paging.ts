// A list too long for one message, shown a page at a time (/applications, /reminders): numbered
// lines, one button per item (its number and a few words), "More" while pages remain and "Done";
// the page is kept in the flow's data, and the flow's `list` step takes the buttons back (an
// item's id, `page<n>`, `close`). The flow words the list and its "page 2 of 3" head.
import type { Turn, TurnContext } from "./context.js";
import { goTo, type TypedFlow } from "./flow.js";
import { clip } from "./text.js";
import { text, type Choice } from "./types.js";

/** Items per page: with "More" and "Done" a WhatsApp list keeps to its 10 rows. */
export const PAGE_SIZE = 8;

export interface PagedList<T> {
  /** The flow whose `list` step shows the pages and answers their buttons. */
  flow: TypedFlow<{ page?: number }, "list">;
  /** At most `limit` items from `offset`, and how many there are in all. */
  fetch(offset: number, limit: number): Promise<{ total: number; items: readonly T[] }>;
  id(item: T): string;
  /** The item's line in the list, after its number. */
  line(item: T): string;
  /** The item's button, after its number (the two cut to 20 characters, WhatsApp's limit). */
  button(item: T): string;
  /** The message holding the lines (and the head above them). */
  message(list: string): string;
  /** "Page 2 of 3": shown above the lines when there is more than one page. */
  head(page: number, pages: number, count: number): string;
}

/** The page asked for (the last one if it is past the end); undefined when the list is empty. */
export async function showPage<T>(ctx: TurnContext, page: number, o: PagedList<T>): Promise<Turn | undefined> {
  const first = await o.fetch(Math.max(0, page) * PAGE_SIZE, PAGE_SIZE);
  if (first.total === 0) return undefined;
  const pages = Math.ceil(first.total / PAGE_SIZE);
  const p = Math.min(Math.max(0, page), pages - 1);
  const { items } = p === page ? first : await o.fetch(p * PAGE_SIZE, PAGE_SIZE);
  const lines = items.map((x, n) => `${p * PAGE_SIZE + n + 1}. ${o.line(x)}`);
  const choices: Choice[] = items.map((x, n) => ({
    label: clip(`${p * PAGE_SIZE + n + 1}. ${o.button(x)}`, 20),
    value: `${o.flow.name}.list:${o.id(x)}`,
  }));
  if (p + 1 < pages) choices.push(ctx.answer(o.flow, "list", `page${p + 1}`, "rem_more"));
  choices.push(ctx.answer(o.flow, "list", "close", "done"));
  const head = pages > 1 ? o.head(p + 1, pages, first.total) : "";
  return goTo(o.flow, "list", { page: p }, text(o.message([head, ...lines].filter(Boolean).join("\n")), choices));
}

/** The page a "More" button asks for (`page<n>`); undefined for any other answer. */
export function pageAsked(answer: string): number | undefined {
  const more = /^page(\d{1,3})$/.exec(answer);
  return more ? Number(more[1]) : undefined;
}

/** The list again, with a note above it ("Deleted.", "I can't find that one any more."). */
export function withNote(ctx: TurnContext, noteId: string, list: Turn): Turn {
  return { ...list, replies: [text(ctx.t.text(noteId)), ...list.replies] };
}
