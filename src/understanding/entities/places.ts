// A time zone from what people answer to "where are you?": an IANA name in any case
// ("africa/johannesburg"), a city or town ("Cape Town", "Jozi", "Gqeberha"), a country ("Kenya",
// "UK"), an offset ("GMT+2"), with small typos forgiven in names of six letters or more
// ("Johannesberg"). Inside a longer message ("7:30 in Durban") only listed places count, so
// "Christmas" or "George" in a sentence is not a zone. Results use the runtime's canonical spelling.
import { IANAZone } from "luxon";
import { PLACES, SEVERAL_ZONES, WHOLE_ONLY } from "./places-data.js";
import { editDistance, fold } from "./text.js";

export const ZONE_MAX_INPUT = 120;
/** Names this long or longer may carry one typo; twice as long, two. */
const FUZZY_MIN = 6;
const FUZZY_TWO = 9;
const MAX_GRAM = 4;

// Said before or after the place in a whole answer: "I'm in Cape Town please", "my time zone is UTC".
const LEAD = [
  "my time zone is",
  "my timezone is",
  "time zone",
  "timezone",
  "i am based in",
  "im based in",
  "based in",
  "i live in",
  "i stay in",
  "i am in",
  "im in",
  "i am from",
  "im from",
  "from",
  "in",
  "near",
  "its",
  "the",
];
const TAIL = ["please", "pls", "thanks", "thank you", "time zone", "timezone", "time", "area", "side", "now"];

const compact = (s: string) => s.replace(/ /g, "");
/** "Cape Town!" -> "cape town"; "Port-Elizabeth" -> "port elizabeth". */
function key(s: string): string {
  return fold(s)
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

const canonicalCache = new Map<string, string>();
function canonical(zone: string): string | undefined {
  const hit = canonicalCache.get(zone);
  if (hit) return hit;
  if (!IANAZone.isValidZone(zone)) return undefined;
  const c = new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone;
  canonicalCache.set(zone, c);
  return c;
}

/** A country with several zones: a known name, and no zone. */
const SEVERAL = "";

interface Index {
  /** Compact name -> zone (or SEVERAL), for any whole answer (listed places and IANA city names). */
  whole: Map<string, string>;
  /** Compact name -> zone, safe inside a sentence. */
  inText: Map<string, string>;
  /** Names long enough to match with a typo, by length, with the set of their letters. */
  fuzzy: Map<number, [name: string, zone: string, letters: number][]>;
}

function buildIndex(extra: Readonly<Record<string, string>>): Index {
  const whole = new Map<string, string>();
  const inText = new Map<string, string>();
  const zones: Record<string, string> = {};
  // IANA's cities first ("America/Argentina/Buenos_Aires" -> "buenos aires"), listed names over them.
  for (const z of Intl.supportedValuesOf("timeZone")) {
    if (!z.includes("/") || z.startsWith("Etc/")) continue;
    whole.set(compact(key(z.split("/").pop()!.replace(/_/g, " "))), z);
  }
  for (const [zone, names] of Object.entries({ ...PLACES, ...extra })) {
    const c = canonical(zone);
    if (!c) continue;
    for (const n of names.split(",")) {
      const k = key(n);
      if (!k) continue;
      zones[k] = c;
      whole.set(compact(k), c);
      if (!WHOLE_ONLY.has(k)) inText.set(compact(k), c);
    }
  }
  for (const n of SEVERAL_ZONES) whole.set(compact(key(n)), SEVERAL);
  const fuzzy = new Map<number, [string, string, number][]>();
  for (const [name, zone] of whole) {
    if (name.length < FUZZY_MIN) continue;
    const list = fuzzy.get(name.length) ?? [];
    list.push([name, zone, letterSet(name)]);
    fuzzy.set(name.length, list);
  }
  return { whole, inText, fuzzy };
}

/** The letters a-z in a name as bits: one edit changes at most two of them, a cheap lower bound. */
function letterSet(s: string): number {
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 97;
    if (c >= 0 && c < 26) bits |= 1 << c;
  }
  return bits;
}

function bitCount(n: number): number {
  let c = 0;
  for (let x = n >>> 0; x; x &= x - 1) c++;
  return c;
}

/** The one zone a slightly misspelt name points to, or undefined when none or several are as close. */
function fuzzyZone(ix: Index, name: string): string | undefined {
  if (name.length < FUZZY_MIN) return undefined;
  const most = name.length >= FUZZY_TWO ? 2 : 1;
  let best = most + 1;
  let zones = new Set<string>();
  const letters = letterSet(name);
  for (let len = name.length - most; len <= name.length + most; len++) {
    for (const [candidate, zone, theirs] of ix.fuzzy.get(len) ?? []) {
      // Two typos only between two long names: "Australia" is not "Austria".
      const tol = Math.min(len, name.length) >= FUZZY_TWO ? 2 : 1;
      if (bitCount(letters ^ theirs) > 2 * tol) continue;
      const d = editDistance(name, candidate, tol);
      if (d > tol) continue;
      if (d < best) {
        best = d;
        zones = new Set([zone]);
      } else if (d === best) zones.add(zone);
    }
  }
  return zones.size === 1 ? [...zones][0] : zones.size > 1 ? SEVERAL : undefined;
}

/** "UTC+2", "GMT -5", "utc+05:30" (refused: not a whole hour), as the fixed Etc/GMT zone (whose sign is inverted). */
function offsetZone(k: string): string | undefined {
  const m = /^(?:utc|gmt) ?([+-]) ?(\d{1,2})(?: ?00)?$/.exec(
    k
      .replace(/[+-]/g, (s) => ` ${s} `)
      .replace(/\s+/g, " ")
      .trim(),
  );
  if (!m) return undefined;
  const h = Number(m[2]);
  if (h === 0) return "UTC";
  if (h > 14 || (m[1] === "-" && h > 12)) return undefined;
  return canonical(`Etc/GMT${m[1] === "+" ? "-" : "+"}${h}`);
}

/** An IANA name typed loosely: "africa/johannesburg", "Europe/London ", "america/new york". */
function ianaZone(text: string): string | undefined {
  const z = text.trim().replace(/\s+/g, "_");
  if (!z.includes("/") || !/^[A-Za-z_+\-/0-9]{2,40}$/.test(z)) return undefined;
  return canonical(z);
}

/** "7:30 in Pacific/Chatham.": an IANA name among other words. */
function ianaInText(text: string): string | undefined {
  if (!text.includes("/")) return undefined;
  for (const w of text.split(/\s+/))
    if (w.includes("/")) {
      const z = ianaZone(w.replace(/^[^A-Za-z]+|[^A-Za-z0-9]+$/g, ""));
      if (z) return z;
    }
  return undefined;
}

function stripEnds(k: string): string {
  let s = ` ${k} `;
  for (const lead of LEAD) if (s.startsWith(` ${lead} `)) s = s.slice(lead.length + 1);
  for (const tail of TAIL) if (s.endsWith(` ${tail} `)) s = s.slice(0, s.length - tail.length - 1);
  return s.trim();
}

/**
 * A reader over an index of about four hundred IANA names and the list above, built on the first
 * question (tens of milliseconds, mostly the runtime's zone data) so start-up does not pay for it.
 */
export function createZoneReader(extra: Readonly<Record<string, string>> = {}): (text: string) => string | undefined {
  let built: Index | undefined;
  const index = (): Index => (built ??= buildIndex(extra));
  const asWhole = (k: string): string | undefined => {
    const c = compact(k);
    const ix = index();
    return c ? (ix.whole.get(c) ?? offsetZone(k) ?? fuzzyZone(ix, c)) : undefined;
  };
  return (text: string): string | undefined => {
    if (text.length > ZONE_MAX_INPUT) return undefined;
    const iana = ianaZone(text) ?? ianaInText(text);
    if (iana) return iana;
    const k = key(text.replace(/([+-])/g, " $1 "));
    if (!k) return undefined;
    const plusMinus = /[+-]/.test(text)
      ? offsetZone(
          fold(text)
            .replace(/[^a-z0-9+-]+/g, " ")
            .trim(),
        )
      : undefined;
    if (plusMinus) return plusMinus;
    const whole = asWhole(stripEnds(k));
    if (whole !== undefined) return whole === SEVERAL ? undefined : whole;
    // Inside a sentence: listed places only, the longest name first at each word.
    const ws = k.split(" ");
    const found: { zone: string; at: number }[] = [];
    for (let i = 0; i < ws.length; i++) {
      for (let n = Math.min(MAX_GRAM, ws.length - i); n >= 1; n--) {
        const zone = index().inText.get(ws.slice(i, i + n).join(""));
        if (zone) {
          found.push({ zone, at: i });
          i += n - 1;
          break;
        }
      }
    }
    const zones = new Set(found.map((f) => f.zone));
    if (zones.size === 1) return found[0]!.zone;
    // "from Durban, now in London": the place after the last "in"; with no "in" to go by, no guess.
    const lastIn = ws.lastIndexOf("in");
    if (zones.size > 1) return found.find((f) => f.at === lastIn + 1)?.zone;
    // "7:30 in Capetwon": what follows the last "in", typos forgiven.
    const tail =
      lastIn >= 0 && lastIn < ws.length - 1 && ws.length - lastIn - 1 <= MAX_GRAM
        ? asWhole(stripEnds(ws.slice(lastIn + 1).join(" ")))
        : undefined;
    return tail === SEVERAL ? undefined : tail;
  };
}
