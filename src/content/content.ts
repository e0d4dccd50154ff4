// The messages of every enabled locale, with the default locale as the fallback key by key, and
// the check that every enabled locale carries the safety texts. catalog.ts reads one locale.
import { existsSync, readdirSync } from "node:fs";
import { Catalog, loadCatalog } from "./catalog.js";
import { ContentError } from "./format.js";

export const SAFETY_DATA = ["helplines"] as const;
const SAFETY_PREFIX = "safety.";

/** What a locale lacks of the default locale's safety texts (empty: complete). */
export function missingSafety(own: Catalog, reference: Catalog): string[] {
  const missing = reference.messageIds().filter((id) => id.startsWith(SAFETY_PREFIX) && !own.has(id));
  for (const key of SAFETY_DATA) if (!own.hasData(key)) missing.push(`data.${key}`);
  return missing;
}

/**
 * Loads the enabled locales' folders under `dir` (all shipped folders when `enabled` is not
 * given: tests and scripts). The default locale must be enabled and exist; every enabled locale
 * must exist and carry the safety texts; any other key a locale lacks falls back to the default
 * locale's, per message, label, phrase list and data key.
 */
export function loadContent(dir: string, defaultLocale: string, enabled?: readonly string[]): Content {
  if (!existsSync(dir)) throw new ContentError(`messages folder not found at ${dir}`);
  const shipped = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  if (!shipped.includes(defaultLocale))
    throw new ContentError(`DEFAULT_LOCALE is "${defaultLocale}" but messages/${defaultLocale}/ does not exist`);
  const locales = enabled ? [...new Set(enabled)] : shipped;
  if (!locales.includes(defaultLocale))
    throw new ContentError(`DEFAULT_LOCALE "${defaultLocale}" is not among LOCALES (${locales.join(",")})`);
  const unknown = locales.filter((l) => !shipped.includes(l));
  if (unknown.length)
    throw new ContentError(
      `LOCALES names ${unknown.join(", ")}, but messages/ has no such folder (shipped: ${shipped.sort().join(", ")})`,
    );
  const fallback = loadCatalog(dir, defaultLocale);
  const catalogs = new Map<string, Catalog>([[defaultLocale, fallback]]);
  for (const l of locales) {
    if (l === defaultLocale) continue;
    const own = loadCatalog(dir, l);
    const missing = missingSafety(own, fallback);
    if (missing.length)
      throw new ContentError(
        `messages/${l}/ lacks safety texts that every enabled locale must carry itself: ${missing.join(", ")}`,
      );
    catalogs.set(l, withFallback(own, fallback));
  }
  return new Content(catalogs, defaultLocale);
}

/** `own`'s entries, and `fallback`'s for every key `own` lacks: one catalog, looked up once. */
function withFallback(own: Catalog, fallback: Catalog): Catalog {
  const merge = <T>(ids: (c: Catalog) => string[], get: (c: Catalog, id: string) => T) =>
    new Map<string, T>([...[fallback, own].flatMap((c) => ids(c).map((id): [string, T] => [id, get(c, id)]))]);
  return new Catalog(
    own.locale,
    merge(
      (c) => c.messageIds(),
      (c, id) => c.message(id),
    ),
    merge(
      (c) => c.labelIds(),
      (c, id) => c.label(id),
    ),
    merge(
      (c) => c.phraseListIds(),
      (c, id) => c.phrases(id),
    ),
    merge(
      (c) => c.dataKeys(),
      (c, id) => c.dataOf<unknown>(id),
    ),
  );
}

export class Content {
  constructor(
    private readonly catalogs: ReadonlyMap<string, Catalog>,
    readonly defaultLocale: string,
  ) {}
  /** The enabled locales (LOCALES), the default first. */
  locales(): string[] {
    return [...this.catalogs.keys()];
  }
  isEnabled(locale: string | undefined): boolean {
    return locale !== undefined && this.catalogs.has(locale);
  }
  /**
   * The enabled locale a language tag names ("zu", "af-ZA", "en_US": its language part), if any.
   * Telegram's language_code and the WhatsApp number's hint come in this form.
   */
  match(tag: string | undefined): string | undefined {
    if (!tag) return undefined;
    const t = tag.trim().replace(/_/g, "-");
    if (this.catalogs.has(t)) return t;
    const lang = t.split("-")[0]!.toLowerCase();
    return this.catalogs.has(lang) ? lang : undefined;
  }
  /**
   * The reply language of a user: the locale they chose while it is enabled; else the platform's
   * hint (Telegram language_code, the WhatsApp number's country) when it names an enabled locale;
   * else the default. The one rule for every turn and every scheduled message.
   */
  localeFor(user: { locale?: string; languageHint?: string } | null | undefined): string {
    if (user?.locale && this.catalogs.has(user.locale)) return user.locale;
    return this.match(user?.languageHint) ?? this.defaultLocale;
  }
  /** The catalog for an enabled locale (default texts for its missing keys), else the default one. */
  for(locale: string | undefined): Catalog {
    return (locale && this.catalogs.get(locale)) || this.catalogs.get(this.defaultLocale)!;
  }
}
