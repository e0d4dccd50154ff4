// Fitting caller-given labels into SVG: escaping, dropping what XML cannot carry, and cutting a
// label to a width. Labels come from users' languages and sometimes from users themselves, so a
// stray "&", a control character or a 300-character company name must never break the picture.
// Widths are estimated from character classes (the rasteriser has no measuring call); every text
// region is also clipped in the SVG, so an estimate that runs short can cost a few pixels, never
// an overlap.

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** Grapheme clusters, so an emoji, a flag or a letter with combining marks is never cut in half. */
export function graphemes(s: string): string[] {
  return Array.from(segmenter.segment(s), (g) => g.segment);
}

/** The text without what XML 1.0 forbids (C0 controls, lone surrogates, U+FFFE/FFFF); line breaks and tabs become spaces. */
export function xmlSafe(s: string): string {
  return s
    .replace(/[\t\n\r]+/g, " ")
    .replace(/[\u0000-\u001f\u007f\ufffe\uffff]/g, "")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "");
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

// Advance widths in ems, rounded up from Inter's: generous, so an estimate rarely runs short.
const NARROW = /^[ iIjlft.,:;'!|()[\]{}"`-]$/;
const WIDE = /^[A-Z0-9mwMW@%&#$?+=<>~_^*\\/]$/;

function emWidth(g: string): number {
  if (NARROW.test(g)) return 0.34;
  if (WIDE.test(g)) return 0.72;
  if (g.length === 1 && g.charCodeAt(0) < 0x250) return 0.6; // Latin letters with accents
  return 1.05; // emoji, CJK, other scripts: assume full width
}

export function textWidth(s: string, fontSize: number): number {
  return graphemes(s).reduce((w, g) => w + emWidth(g), 0) * fontSize;
}

// What the bundled font (Inter) can draw: Latin, Greek and Cyrillic letters with their marks,
// and the common punctuation, digits and symbols below the arrows block. Anything else (emoji,
// Arabic, Hebrew, CJK) would come out as "no glyph" boxes, so the picture leaves it out; the
// text chart beside it keeps every character.
const DRAWABLE =
  /^(?:[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Inherited}]|(?=\p{Script=Common})[\u0000-\u218f])$/u;

function drawable(g: string): boolean {
  return Array.from(g).every((c) => DRAWABLE.test(c) && c !== "\ufe0f");
}

/** The label without what the font cannot draw; runs of spaces left behind collapse to one. */
export function drawableText(s: string): string {
  return graphemes(xmlSafe(s)).filter(drawable).join("").replace(/ {2,}/g, " ").trim();
}

/** The label cut (with "…") to fit `maxWidth` pixels at `fontSize`; safe to put in SVG text. */
export function fitLabel(label: string, fontSize: number, maxWidth: number): string {
  const clean = drawableText(label);
  if (textWidth(clean, fontSize) <= maxWidth) return escapeXml(clean);
  const ellipsis = emWidth("…") * fontSize;
  let w = 0;
  const kept: string[] = [];
  for (const g of graphemes(clean)) {
    const gw = emWidth(g) * fontSize;
    if (w + gw + ellipsis > maxWidth) break;
    kept.push(g);
    w += gw;
  }
  return escapeXml(kept.join("").trimEnd() + "…");
}
