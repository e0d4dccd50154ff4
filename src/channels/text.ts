// Text helpers every channel shares: long text split where a reader expects a break, and text
// cut to a platform's limit, counted in characters (never inside a surrogate pair).

/** Splits long text at paragraph or line breaks, else at a space, never inside a surrogate pair. */
export function splitText(text: string, limit: number): string[] {
  const chars = [...text];
  if (chars.length <= limit) return [text === "" ? " " : text];
  const parts: string[] = [];
  let rest = chars;
  while (rest.length > limit) {
    const window = rest.slice(0, limit).join("");
    let cut = Math.max(window.lastIndexOf("\n\n"), window.lastIndexOf("\n"));
    if (cut < limit / 2) cut = window.lastIndexOf(" ");
    if (cut < limit / 2) cut = window.length;
    const head = window.slice(0, cut);
    parts.push(head);
    rest = rest.slice([...head].length);
    while (rest[0] === "\n" || rest[0] === " ") rest = rest.slice(1);
  }
  if (rest.length) parts.push(rest.join(""));
  return parts;
}

/** At most `max` characters, the last one "…" when cut. */
export function clipChars(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join("")}…`;
}
