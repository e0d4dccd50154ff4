// What users type, trimmed before it goes into a message, a stored answer or the journal.

const SPACE = /\s/;

/**
 * Spaces collapsed, at most `max` characters (the last one "…" when cut). Reads only as far as
 * it keeps, so a long text costs no more than a short one.
 */
export function clip(s: string, max = 80): string {
  const out: string[] = [];
  let space = false;
  for (const ch of s) {
    if (SPACE.test(ch)) {
      space = out.length > 0;
      continue;
    }
    if (space) out.push(" ");
    space = false;
    out.push(ch);
    if (out.length > max) return out.slice(0, max - 1).join("") + "…";
  }
  return out.join("");
}
