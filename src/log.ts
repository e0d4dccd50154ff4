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
const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/g;
export function scrubSecrets(s: string): string {
  return s
    .replace(TOKEN_IN_URL, "bot<token>")
    .replace(/Bearer\s+[A-Za-z0-9._-]+/g, "Bearer <token>")
    .replace(EMAIL, "<email>")
    .replace(LONG_NUMBER, "<number>");
}

function serializeError(e: unknown): unknown {
  const base = pino.stdSerializers.err(e as Error) as unknown as Record<string, unknown>;
  for (const k of Object.keys(base)) {
    const v = base[k];
    if (typeof v === "string") base[k] = scrubSecrets(v);
  }
  // grammY keeps the request payload (message text) on errors; never log it.
  delete base.payload;
  delete base.parameters;
  return base;
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
