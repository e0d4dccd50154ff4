// How a message's text is filled: ICU MessageFormat through FormatJS (`intl-messageformat`), each
// template compiled once per locale. catalog.ts loads the messages; this file only formats them.
import { IntlMessageFormat } from "intl-messageformat";

export class ContentError extends Error {
  override name = "ContentError";
}

/**
 * Fills a message through ICU MessageFormat (FormatJS `intl-messageformat`): `{name}` as before,
 * and `{count, plural, one {# reflection} other {# reflections}}` where a number decides the words.
 * Each template is compiled once per locale and kept (the catalog is loaded once per process).
 * A value left out throws a ContentError naming the message: better than sending "{name}".
 */
export function fill(template: string, vars: Record<string, string | number>, where: string, locale = "en"): string {
  const c = compiled(template, locale, where);
  for (const name of c.names)
    if (vars[name] === undefined) throw new ContentError(`placeholder {${name}} in "${where}" was not given a value`);
  const out = c.format.format(vars);
  // format() returns a string for plain values; arrays only with rich-text tags, which are off.
  return Array.isArray(out) ? out.join("") : String(out);
}

interface Compiled {
  format: IntlMessageFormat;
  names: string[];
}
const compiledCache = new Map<string, Compiled>();

/** A template compiled once per locale; throws a ContentError naming the message when it is not valid ICU. */
export function compiled(template: string, locale: string, where: string): Compiled {
  const key = `${locale}\u0000${template}`;
  let c = compiledCache.get(key);
  if (!c) {
    let format: IntlMessageFormat;
    try {
      // ignoreTag: "<3" or "<name>" in a message is text, not markup.
      format = new IntlMessageFormat(template, locale, undefined, { ignoreTag: true });
    } catch (e) {
      throw new ContentError(`"${where}" is not a valid message (ICU MessageFormat): ${(e as Error).message}`);
    }
    c = { format, names: namesIn(format.getAst() as readonly AstElement[]) };
    compiledCache.set(key, c);
  }
  return c;
}

/** Every placeholder a template needs, plural and select arguments included, each once, in order. */
export function placeholdersOf(template: string): string[] {
  return compiled(template, "en", "placeholdersOf").names;
}

function namesIn(ast: readonly AstElement[], names: string[] = []): string[] {
  for (const el of ast) {
    // Literal text (0) and `#` (7) name nothing; every other element's value is its argument.
    const named = el.type !== 0 && el.type !== 7 && typeof el.value === "string";
    if (named && !names.includes(el.value as string)) names.push(el.value as string);
    if (el.options) for (const o of Object.values(el.options)) namesIn(o.value, names);
  }
  return names;
}

/** The parts of FormatJS's AST that placeholdersOf reads (type 0 is literal text, 7 is `#`). */
interface AstElement {
  type: number;
  value?: unknown;
  options?: Record<string, { value: readonly AstElement[] }>;
}
