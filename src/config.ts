// Every environment variable the bot reads, validated once at start.
// The names are a contract (see DESIGN.md): scripts, tests and operators rely on them.
import { z } from "zod";

const SECRET_KEYS = new Set([
  "TELEGRAM_BOT_TOKEN",
  "TELEGRAM_WEBHOOK_SECRET",
  "WHATSAPP_TOKEN",
  "WHATSAPP_APP_SECRET",
  "WHATSAPP_VERIFY_TOKEN",
  "REDIS_URL",
  "METRICS_TOKEN",
]);

/** The longest text message Telegram or WhatsApp delivers to a bot. */
export const MAX_PLATFORM_MESSAGE_CHARS = 4096;

import {
  clusterSeeds,
  emptyToUndefined,
  intIn,
  optionalString,
  optionalUrl,
  timeZone,
  urlOr,
  type ClusterSeed,
} from "./config-fields.js";

export type { ClusterSeed };

const schema = z
  .object({
    REDIS_URL: optionalUrl,
    /** Redis Cluster seeds (instead of REDIS_URL): any few masters; the client learns the rest. */
    REDIS_CLUSTER_NODES: clusterSeeds,
    REDIS_PREFIX: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,32}$/, "must be 1-32 letters, digits, _ or -")
        .default("bb"),
    ),
    TELEGRAM_BOT_TOKEN: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .trim()
        .regex(/^\d+:[A-Za-z0-9_-]+$/, "must look like 123456:ABC-DEF (from @BotFather)")
        .optional(),
    ),
    TELEGRAM_API_ROOT: urlOr("https://api.telegram.org"),
    TELEGRAM_WEBHOOK_SECRET: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,256}$/, "must be 1-256 of A-Z a-z 0-9 _ -")
        .optional(),
    ),
    PUBLIC_URL: optionalUrl,
    /** Scheduled messages per second; 0 turns the limit off (benchmarks only). */
    TELEGRAM_RATE_LIMIT: intIn(0, 1000, 25),
    /** A scheduled send that has no answer after this long is abandoned and retried (a hung platform must not hold a worker). */
    TELEGRAM_DELIVERY_TIMEOUT_SECONDS: intIn(1, 300, 15),
    /** One attempt at a reply to a user; a reply gets three attempts, then it is logged as not delivered. */
    TELEGRAM_REPLY_TIMEOUT_SECONDS: intIn(1, 60, 10),
    WHATSAPP_TOKEN: optionalString,
    WHATSAPP_PHONE_NUMBER_ID: z.preprocess(emptyToUndefined, z.string().regex(/^\d+$/, "must be digits").optional()),
    WHATSAPP_APP_SECRET: optionalString,
    WHATSAPP_VERIFY_TOKEN: optionalString,
    WHATSAPP_API_ROOT: urlOr("https://graph.facebook.com"),
    WHATSAPP_API_VERSION: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^v\d+\.\d+$/, "must look like v26.0")
        .default("v26.0"),
    ),
    WHATSAPP_RATE_LIMIT: intIn(0, 1000, 60),
    /** Inbound messages handled at once, over all webhook bodies, and within one body (each user's stay in order). */
    WHATSAPP_INBOUND_CONCURRENCY: intIn(1, 256, 32),
    WHATSAPP_INBOUND_CONCURRENCY_PER_BODY: intIn(1, 256, 8),
    // Approved message templates for proactive messages outside the 24-hour window (the WhatsApp section of the README).
    WHATSAPP_TEMPLATE_DAILY: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[a-z0-9_]{1,512}$/, "must be a template name: lowercase letters, digits, _")
        .optional(),
    ),
    WHATSAPP_TEMPLATE_REMINDER: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[a-z0-9_]{1,512}$/, "must be a template name: lowercase letters, digits, _")
        .optional(),
    ),
    /** For operator broadcasts (/broadcast): one body parameter, the operator's message. */
    WHATSAPP_TEMPLATE_BROADCAST: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[a-z0-9_]{1,512}$/, "must be a template name: lowercase letters, digits, _")
        .optional(),
    ),
    WHATSAPP_TEMPLATE_INACTIVITY: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[a-z0-9_]{1,512}$/, "must be a template name: lowercase letters, digits, _")
        .optional(),
    ),
    WHATSAPP_TEMPLATE_LANGUAGE: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, "must be a language code such as en or en_US")
        .default("en"),
    ),
    PORT: intIn(0, 65535, 3000),
    /** Open connections the HTTP server keeps; past it new ones are dropped at once. */
    HTTP_MAX_CONNECTIONS: intIn(1, 100_000, 256),
    /** Request bodies being read at once, in MiB over all requests; past it a request gets 503 (WhatsApp's cap alone is 3.5 MiB). */
    HTTP_MAX_BODY_MB_IN_FLIGHT: intIn(4, 4096, 32),
    /** Serves /metrics on this port instead of PORT (keep it private); unset: /metrics on PORT. */
    METRICS_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).optional()),
    /** Stopping (SIGTERM) finishes what is in flight within this, then abandons the rest and exits. */
    SHUTDOWN_TIMEOUT_SECONDS: intIn(1, 300, 8),
    DEFAULT_TIMEZONE: z.preprocess(emptyToUndefined, timeZone.default("Africa/Johannesburg")),
    DEFAULT_LOCALE: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/)
        .default("en"),
    ),
    /**
     * The reply languages the operator enables: locale folders under messages/, comma-separated
     * ("en,af,zu"). Only these are served; DEFAULT_LOCALE must be one of them (its texts are the
     * fallback for any key a locale lacks). Whether each folder exists is checked when the
     * messages load.
     */
    LOCALES: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .default("en")
        .transform((s) => [
          ...new Set(
            s
              .split(",")
              .map((x) => x.trim())
              .filter(Boolean),
          ),
        ])
        .pipe(
          z
            .array(
              z
                .string()
                .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, "must be locale folder names separated by commas, such as en,af,zu"),
            )
            .min(1, "must name at least one locale, such as en"),
        ),
    ),
    ADMIN_IDS: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .default("")
        .transform((s) =>
          s
            .split(",")
            .map((x) => x.trim())
            .filter(Boolean),
        )
        .pipe(
          z.array(
            z.string().regex(/^(telegram|whatsapp|console):[A-Za-z0-9_.-]+$/, "must be user keys like telegram:12345"),
          ),
        ),
    ),
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    ),
    CONVERSATION_TTL_HOURS: intIn(1, 24 * 30, 48),
    SCHEDULER_TICK_SECONDS: intIn(1, 59, 5),
    /** A claimer that dies leaves its claimed entries to others after this long. */
    SCHEDULER_LEASE_SECONDS: intIn(2, 3600, 60),
    /** A delivery worker that dies leaves its jobs to others after about this long (BullMQ lock). */
    DELIVERY_LOCK_SECONDS: intIn(2, 600, 30),
    /**
     * Longer messages are refused kindly. At most 4,096: no platform sends more (Telegram's and
     * WhatsApp's text limit), and it bounds what every parser of typed text must read.
     */
    MAX_MESSAGE_CHARS: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number()
        .int("must be a whole number")
        .min(100, "must be at least 100")
        .max(
          MAX_PLATFORM_MESSAGE_CHARS,
          `must be at most ${MAX_PLATFORM_MESSAGE_CHARS}: Telegram and WhatsApp send no longer messages`,
        )
        .default(4000),
    ),
    /** Journal entries and moods older than this are deleted (POPIA: no longer than needed). */
    RETENTION_MONTHS: intIn(1, 120, 12),
    /** A user silent this long is told, then forgotten a week later unless they come back. */
    INACTIVE_MONTHS: intIn(1, 120, 12),
    /** Inbound messages a user may send per minute before the bot stops answering for a while. */
    FLOOD_LIMIT_PER_MINUTE: intIn(1, 10_000, 20),
    /** When set, GET /metrics requires `Authorization: Bearer <token>`; unset, it is served to loopback clients only (or on METRICS_PORT). */
    METRICS_TOKEN: optionalString,
  })
  .superRefine((c, ctx) => {
    if (c.REDIS_URL && c.REDIS_CLUSTER_NODES) {
      ctx.addIssue({
        code: "custom",
        path: ["REDIS_CLUSTER_NODES"],
        message:
          "and REDIS_URL are both set: use REDIS_URL for one Redis, REDIS_CLUSTER_NODES for a Redis Cluster, not both",
      });
    }
    if (c.METRICS_PORT !== undefined && c.METRICS_PORT !== 0 && c.METRICS_PORT === c.PORT) {
      ctx.addIssue({
        code: "custom",
        path: ["METRICS_PORT"],
        message: "must differ from PORT (unset it to serve /metrics on PORT)",
      });
    }
    if (!c.LOCALES.includes(c.DEFAULT_LOCALE)) {
      ctx.addIssue({
        code: "custom",
        path: ["LOCALES"],
        message: `must include DEFAULT_LOCALE ("${c.DEFAULT_LOCALE}"): its texts are the fallback for every other locale`,
      });
    }
    if (c.TELEGRAM_WEBHOOK_SECRET && !c.PUBLIC_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["PUBLIC_URL"],
        message: "is required when TELEGRAM_WEBHOOK_SECRET is set (webhook mode)",
      });
    }
    const wa = ["WHATSAPP_TOKEN", "WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN"] as const;
    const set = wa.filter((k) => c[k]);
    if (set.length > 0 && set.length < wa.length) {
      const missing = wa.filter((k) => !c[k]);
      ctx.addIssue({
        code: "custom",
        path: [missing[0]!],
        message: `is required to turn WhatsApp on (also missing: ${missing.slice(1).join(", ") || "nothing else"})`,
      });
    }
  });

export type Config = z.infer<typeof schema> & {
  telegram: { mode: "off" | "polling" | "webhook" };
  whatsappEnabled: boolean;
  /** The channels this deployment runs: those configured, or the terminal chat when none is. */
  channels: ("telegram" | "whatsapp" | "console")[];
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Validates an environment (process.env by default). Throws ConfigError with one line per problem, never a secret's value. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? "config");
      const hint = SECRET_KEYS.has(key) ? " (value hidden)" : "";
      return `${key} ${i.message}${hint}`;
    });
    throw new ConfigError(`Configuration problem: ${lines.join("; ")}`);
  }
  const c = parsed.data;
  const whatsappEnabled = Boolean(
    c.WHATSAPP_TOKEN && c.WHATSAPP_PHONE_NUMBER_ID && c.WHATSAPP_APP_SECRET && c.WHATSAPP_VERIFY_TOKEN,
  );
  const platforms = [
    ...(c.TELEGRAM_BOT_TOKEN ? (["telegram"] as const) : []),
    ...(whatsappEnabled ? (["whatsapp"] as const) : []),
  ];
  return {
    ...c,
    telegram: {
      mode: !c.TELEGRAM_BOT_TOKEN ? "off" : c.TELEGRAM_WEBHOOK_SECRET && c.PUBLIC_URL ? "webhook" : "polling",
    },
    whatsappEnabled,
    channels: platforms.length > 0 ? platforms : ["console"],
  };
}
