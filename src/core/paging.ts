// A list too long for one message, shown a page at a time (/applications, /reminders): numbered
// lines, one button per item (its number and a few words), "More" while pages remain and "Done";
// the page is kept in the flow's data, and the flow's `list` step takes the buttons back (an
// item's id, `page<n>`, `close`: listStep). The flow words the list and its "page 2 of 3" head.
import type { Turn, TurnContext } from "./context.js";
import { goTo, type Step, type TypedFlow } from "./flow.js";
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

/** What the flow does for each answer its `list` step can get. */
export interface ListAnswers {
  /** Shows page `n`: the same page again, or the one "More" asks for. */
  page(n: number): Promise<Turn>;
  /** Opens the item whose button was tapped. */
  open(id: string): Promise<Turn>;
  /** "Done": the list closed. */
  close(): Turn;
}

/** The `list` step: typed words show the page again, "Done" closes, "More" turns the page, an item opens. */
export function listStep<D extends { page?: number }>(on: (ctx: TurnContext, page: number) => ListAnswers): Step<D> {
  return {
    expects: "choice",
    async answer(ctx, data, input): Promise<Turn> {
      const page = data.page ?? 0;
      const o = on(ctx, page);
      if (input.kind === "text") return o.page(page);
      if (input.answer === "close") return o.close();
      const more = /^page(\d{1,3})$/.exec(input.answer);
      if (more) return o.page(Number(more[1]));
      return o.open(input.answer);
    },
  };
}

/** The list again, with a note above it ("Deleted.", "I can't find that one any more."). */
export function withNote(ctx: TurnContext, noteId: string, list: Turn): Turn {
  return { ...list, replies: [text(ctx.t.text(noteId)), ...list.replies] };
}
