// WhatsApp webhook payload -> channel-neutral events. Shapes from Meta's webhook reference:
// `entry[].changes[].value` holds `metadata`, `contacts[]` and either `messages[]` or `statuses[]`.
// Everything is read defensively: a field Meta adds or drops must not throw here.
import { userKeyOf, type Incoming, type UserKey } from "../../core/types.js";

export interface WhatsAppContact {
  /** The phone number as WhatsApp knows it; absent for users who hide it behind a username (2026). */
  waId?: string;
  /** The business-scoped user id (BSUID, `ZA.1234...`), present since April 2026. */
  userId?: string;
}

export type WhatsAppEvent =
  | { kind: "message"; incoming: Incoming; platformId: string; contact: WhatsAppContact; sentAt?: number }
  | {
      kind: "status";
      status: string;
      messageId: string;
      platformId?: string;
      errors: { code: number; title?: string }[];
    };

export interface ParsedWebhook {
  events: WhatsAppEvent[];
  /** Changes for another phone number of the same app (ignored). */
  foreign: number;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** `phoneNumberId`: only changes for our number are taken (one app may serve several). */
export function parseWebhook(payload: Obj, phoneNumberId: string): ParsedWebhook {
  const events: WhatsAppEvent[] = [];
  let foreign = 0;
  for (const entry of arr(payload.entry)) {
    for (const change of arr(obj(entry)?.changes)) {
      const value = obj(obj(change)?.value);
      if (!value) continue;
      const ours = str(obj(value.metadata)?.phone_number_id);
      if (ours !== undefined && ours !== phoneNumberId) {
        foreign++;
        continue;
      }
      const contacts = arr(value.contacts)
        .map(obj)
        .filter((c): c is Obj => c !== undefined);
      for (const m of arr(value.messages)) {
        const e = toMessageEvent(obj(m), contacts);
        if (e) events.push(e);
      }
      for (const s of arr(value.statuses)) {
        const st = obj(s);
        const messageId = str(st?.id);
        const status = str(st?.status);
        if (!st || !messageId || !status) continue;
        const errors = arr(st.errors)
          .map(obj)
          .filter((e): e is Obj => e !== undefined)
          .map((e) => ({ code: Number(e.code), title: str(e.title) }));
        events.push({
          kind: "status",
          status,
          messageId,
          platformId: str(st.recipient_id) ?? str(st.recipient_user_id),
          errors,
        });
      }
    }
  }
  return { events, foreign };
}

function toMessageEvent(m: Obj | undefined, contacts: Obj[]): WhatsAppEvent | undefined {
  // System notices (a user changed number or id) are not something the user said: no answer.
  if (!m || m.type === "system") return undefined;
  const id = str(m.id);
  const from = str(m.from);
  const fromUserId = str(m.from_user_id);
  // The contact for this sender: by phone when there is one, else by business-scoped id.
  const c =
    contacts.find((x) => (from && str(x.wa_id) === from) || (fromUserId && str(x.user_id) === fromUserId)) ??
    (contacts.length === 1 ? contacts[0] : undefined);
  const contact: WhatsAppContact = { waId: from ?? str(c?.wa_id), userId: fromUserId ?? str(c?.user_id) };
  // Users are keyed by phone number; one without (a username user) by the business-scoped id.
  const platformId = contact.waId ?? contact.userId;
  // Phone digits or `ZA.1234...`: anything else cannot be a sender and must not become a key.
  if (!id || !platformId || !PLATFORM_ID.test(platformId)) return undefined;
  const ts = Number(m.timestamp);
  const sentAt = Number.isFinite(ts) && ts > 0 ? ts * 1000 : undefined;
  const languageHint = guessLanguage(contact);
  const base = {
    channel: "whatsapp" as const,
    user: userKeyOf("whatsapp", platformId) as UserKey,
    updateId: id,
    sentAt,
    languageHint,
    raw: m,
  };
  return { kind: "message", incoming: toIncoming(m, base), platformId, contact, sentAt };
}

const PLATFORM_ID = /^[A-Za-z0-9._-]{1,160}$/;

type Base = Omit<Incoming, "kind" | "text" | "value" | "what">;

function toIncoming(m: Obj, base: Base): Incoming {
  const type = str(m.type) ?? "unknown";
  if (type === "text") {
    const body = obj(m.text)?.body;
    if (typeof body === "string") return { ...base, kind: "text", text: body };
  }
  if (type === "interactive") {
    const i = obj(m.interactive);
    const reply = obj(i?.button_reply) ?? obj(i?.list_reply);
    const id = str(reply?.id);
    // Our buttons and list rows carry the Choice value as their id.
    if (id) return { ...base, kind: "choice", value: id };
  }
  if (type === "button") {
    // A quick-reply button on a template: our payloads are commands (`/stop`); a button whose
    // payload is its own text ("Stop") is read like typed words, so the engine's command words apply.
    const b = obj(m.button);
    const payload = str(b?.payload);
    if (payload?.startsWith("/")) return { ...base, kind: "choice", value: payload };
    const label = str(b?.text) ?? payload;
    if (label) return { ...base, kind: "text", text: label };
  }
  return { ...base, kind: "unsupported", what: type };
}

/**
 * Time zones guessed from a number's country calling code (or a business-scoped id's ISO
 * country prefix) on first contact. Only countries with one time zone (or one that clearly
 * dominates) are listed; anything else gets DEFAULT_TIMEZONE. Users can change it later.
 */
const ZONES: readonly [dial: string, iso: string, zone: string][] = [
  ["27", "ZA", "Africa/Johannesburg"],
  ["264", "NA", "Africa/Windhoek"],
  ["267", "BW", "Africa/Gaborone"],
  ["266", "LS", "Africa/Maseru"],
  ["268", "SZ", "Africa/Mbabane"],
  ["263", "ZW", "Africa/Harare"],
  ["260", "ZM", "Africa/Lusaka"],
  ["265", "MW", "Africa/Blantyre"],
  ["258", "MZ", "Africa/Maputo"],
  ["244", "AO", "Africa/Luanda"],
  ["234", "NG", "Africa/Lagos"],
  ["233", "GH", "Africa/Accra"],
  ["254", "KE", "Africa/Nairobi"],
  ["255", "TZ", "Africa/Dar_es_Salaam"],
  ["256", "UG", "Africa/Kampala"],
  ["250", "RW", "Africa/Kigali"],
  ["251", "ET", "Africa/Addis_Ababa"],
  ["237", "CM", "Africa/Douala"],
  ["225", "CI", "Africa/Abidjan"],
  ["221", "SN", "Africa/Dakar"],
  ["212", "MA", "Africa/Casablanca"],
  ["213", "DZ", "Africa/Algiers"],
  ["216", "TN", "Africa/Tunis"],
  ["20", "EG", "Africa/Cairo"],
  ["44", "GB", "Europe/London"],
  ["353", "IE", "Europe/Dublin"],
  ["49", "DE", "Europe/Berlin"],
  ["31", "NL", "Europe/Amsterdam"],
  ["33", "FR", "Europe/Paris"],
  ["34", "ES", "Europe/Madrid"],
  ["351", "PT", "Europe/Lisbon"],
  ["971", "AE", "Asia/Dubai"],
  ["966", "SA", "Asia/Riyadh"],
  ["91", "IN", "Asia/Kolkata"],
  ["92", "PK", "Asia/Karachi"],
  ["63", "PH", "Asia/Manila"],
  ["64", "NZ", "Pacific/Auckland"],
];

/** Calling codes of countries with several time zones (so not in ZONES), for the language hint only. */
const MORE_DIALS: readonly [dial: string, iso: string][] = [
  ["1", "US"],
  ["61", "AU"],
];

/**
 * The language most users of a number's country would expect to be answered in, as the hint's
 * language part. South Africa has twelve official languages and English is the common second
 * one, so a +27 number hints English ("en-ZA"), and the region tells the core to offer /language
 * once. Lesotho, Botswana and Eswatini hint their national language (Sesotho, Setswana, siSwati):
 * it is used only when that locale is enabled, else the default. Elsewhere: the country's most
 * used official language.
 */
const LANGUAGES: Readonly<Record<string, string>> = {
  ZA: "en",
  NA: "en",
  BW: "tn",
  LS: "st",
  SZ: "ss",
  ZW: "en",
  ZM: "en",
  MW: "en",
  MZ: "pt",
  AO: "pt",
  NG: "en",
  GH: "en",
  KE: "en",
  TZ: "sw",
  UG: "en",
  RW: "en",
  ET: "am",
  CM: "fr",
  CI: "fr",
  SN: "fr",
  MA: "ar",
  DZ: "ar",
  TN: "ar",
  EG: "ar",
  GB: "en",
  IE: "en",
  DE: "de",
  NL: "nl",
  FR: "fr",
  ES: "es",
  PT: "pt",
  AE: "ar",
  SA: "ar",
  IN: "en",
  PK: "en",
  PH: "en",
  NZ: "en",
  US: "en",
  AU: "en",
};

/** The country of a number (calling code) or of a business-scoped id (`ZA.123...`), as ISO letters. */
function countryOf(contact: WhatsAppContact): string | undefined {
  if (contact.waId) {
    const hit = [...ZONES.map(([dial, iso]) => [dial, iso] as const), ...MORE_DIALS].find(([dial]) =>
      contact.waId!.startsWith(dial),
    );
    if (hit) return hit[1];
  }
  return (contact.userId && /^([A-Z]{2})\./.exec(contact.userId)?.[1]) || undefined;
}

/** A language hint from the number's country ("en-ZA"), or undefined when the country is not known. */
export function guessLanguage(contact: WhatsAppContact): string | undefined {
  const iso = countryOf(contact);
  const lang = iso ? LANGUAGES[iso] : undefined;
  return lang && `${lang}-${iso}`;
}

export function guessTimezone(contact: WhatsAppContact, fallback: string): string {
  if (contact.waId) {
    // Calling codes are prefix-free, so at most one entry matches.
    const hit = ZONES.find(([dial]) => contact.waId!.startsWith(dial));
    if (hit) return hit[2];
  }
  const iso = contact.userId && /^([A-Z]{2})\./.exec(contact.userId)?.[1];
  if (iso) {
    const hit = ZONES.find(([, code]) => code === iso);
    if (hit) return hit[2];
  }
  return fallback;
}
