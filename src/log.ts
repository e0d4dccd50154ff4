// One logger. At the default level it never carries message texts, phone numbers or tokens:
// users are referred to by a keyed hash (`userRef`), and known sensitive fields are redacted
// in case someone logs an object whole.
import { createHmac, randomBytes } from "node:crypto";
import pino, { type Logger } from "pino";

export type { Logger };

const REDACT = [
  "text",
  "body",
  "token",
  "secret",
  "phone",
  "*.text",
  "*.body",
  "*.token",
  "*.secret",
  "*.phone",
  "headers.authorization",
  "*.headers.authorization",
  "config.TELEGRAM_BOT_TOKEN",
  "config.WHATSAPP_TOKEN",
  "config.WHATSAPP_APP_SECRET",
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: REDACT, censor: "[redacted]" },
      // Errors from HTTP clients can carry the request URL, which for Telegram contains the token.
      serializers: { err: serializeError },
    },
    destination ?? pino.destination(2),
  );
}

const TOKEN_IN_URL = /bot\d+:[A-Za-z0-9_-]+/g;
// Phone numbers (WhatsApp ids are phone numbers), chat ids and e-mail addresses can reach an
// error text through a platform's description of what went wrong: mask them too.
const LONG_NUMBER = /\+?\d[\d -]{5,}\d/g;
export function scrubSecrets(s: string): string {
  return scrubEmails(
    s.replace(TOKEN_IN_URL, "bot<token>").replace(/Bearer\s+[A-Za-z0-9._-]+/g, "Bearer <token>"),
  ).replace(LONG_NUMBER, "<number>");
}

const LOCAL_CHAR = /[\w.+-]/;
const LABEL_CHAR = /[\w-]/;
/**
 * Masks what `/[\w.+-]+@[\w-]+(\.[\w-]+)+/g` matches, in one pass. That regex is quadratic on a
 * long run of word characters without an "@" (each start rescans the run: 6 s at 100,000
 * characters); here each character is looked at a bounded number of times. Same matches: a
 * local part is the run of [\w.+-] just before an "@" (never reaching back into the previous
 * match), a domain is labels of [\w-] joined by single dots, at least two of them.
 */
export function scrubEmails(s: string): string {
  let out = "";
  let copied = 0; // s[0, copied) is already in `out`
  let from = 0; // where the next local part may start (after the previous match)
  for (let at = s.indexOf("@"); at !== -1; at = s.indexOf("@", at + 1)) {
    let start = at;
    while (start > from && LOCAL_CHAR.test(s[start - 1]!)) start--;
    if (start === at) continue;
    // The domain: label ( "." label )+, greedy, ending after the last complete label.
    let i = at + 1;
    let labels = 0;
    let end = -1;
    for (;;) {
      const labelStart = i;
      while (i < s.length && LABEL_CHAR.test(s[i]!)) i++;
      if (i === labelStart) break;
      labels++;
      if (labels >= 2) end = i;
      if (s[i] !== ".") break;
      i++;
    }
    if (end === -1) continue;
    out += s.slice(copied, start) + "<email>";
    copied = from = end;
    at = end - 1;
  }
  return copied === 0 ? s : out + s.slice(copied);
}

// Keys whose values are user words or credentials wherever they appear in an error (pino's
// redact paths reach only one level down; a cause or a response body can sit deeper).
const SECRET_KEYS = new Set(["text", "body", "token", "secret", "phone", "authorization"]);
// grammY keeps the request (message text included) on its errors: never logged, not even its shape.
const DROPPED_KEYS = new Set(["payload", "parameters"]);
const MAX_DEPTH = 6;
const MAX_KEYS = 50;

/**
 * The `err` serializer. It must accept anything (a string, a number, null, a plain object, an
 * Error with a cause, a cycle, a frozen object, a throwing getter) and never throw: a throw here
 * takes down whatever was logging (at start, the bot itself). Errors are read with pino's own
 * serializer (message and stack with their causes); every string is scrubbed; user texts and
 * credentials are dropped at any depth.
 */
function serializeError(e: unknown): unknown {
  try {
    if (e === null || e === undefined || typeof e !== "object")
      return { message: typeof e === "string" ? scrubSecrets(e) : String(e) };
    let base: unknown = e;
    const err = e as Partial<Error>;
    if (typeof err.message === "string") {
      try {
        base = pino.stdSerializers.err(err as Error);
      } catch {
        // pino tags the error it reads, which a frozen error refuses: its message and stack, then.
        base = { type: err.name, message: err.message, stack: err.stack, ...err };
      }
    }
    return clean(base, 0, new WeakSet());
  } catch {
    return { message: "[error not serializable]" };
  }
}

/** A scrubbed copy: strings scrubbed, secret keys dropped, cycles and depth cut. Never mutates its input. */
function clean(v: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof v === "string") return scrubSecrets(v);
  if (v === null || typeof v !== "object")
    return typeof v === "bigint" || typeof v === "symbol" || typeof v === "function" ? String(v) : v;
  if (seen.has(v)) return "[circular]";
  if (depth >= MAX_DEPTH) return "[deeper]";
  seen.add(v);
  if (Array.isArray(v)) return v.slice(0, MAX_KEYS).map((x) => clean(x, depth + 1, seen));
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const k of Object.keys(v)) {
    if (DROPPED_KEYS.has(k)) continue;
    if (++n > MAX_KEYS) break;
    if (SECRET_KEYS.has(k.toLowerCase())) {
      out[k] = "[redacted]";
      continue;
    }
    try {
      out[k] = clean((v as Record<string, unknown>)[k], depth + 1, seen);
    } catch {
      out[k] = "[unreadable]";
    }
  }
  return out;
}

/** A new deployment salt for `userRef`: 128 bits from the CSPRNG (a Math.random salt could be guessed, and with it every user behind a hash). */
export function newLogSalt(): string {
  return randomBytes(16).toString("base64url");
}

let salt: Buffer = randomBytes(16);
/** Sets the key for `userRef`, so one deployment's logs correlate across restarts. */
export function setLogSalt(s: string | Buffer): void {
  salt = Buffer.from(s);
}

/** A short keyed hash of a user key: lets logs follow one user without revealing who. */
export function userRef(user: string): string {
  return createHmac("sha256", salt).update(user).digest("base64url").slice(0, 12);
}
