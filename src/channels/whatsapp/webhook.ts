// GET /whatsapp/webhook: Meta's subscription check. POST /whatsapp/webhook: signed updates,
// checked over the raw bytes before anything is parsed, answered 200 at once and processed
// after (Meta retries slow or failed answers, and a webhook that keeps failing is disabled).
//
// Answers: 401 for a missing or malformed signature, from the headers alone (the body is never
// read), and for a wrong one; 400 for a body that is not a JSON object; 200 for an `object`
// other than whatsapp_business_account (another product's webhook on the same app: acknowledged
// and ignored, so Meta does not retry it for hours); 413 (from the HTTP server) past the cap;
// 503 while shutting down or while Redis does not answer (Meta redelivers later: nothing lost).
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { httpError, type Plugin } from "../../http/server.js";
import type { Logger } from "../../log.js";
import { parseWebhook, type WhatsAppEvent } from "./inbound.js";

/** Meta sends payloads of up to 3 MB; a margin for JSON overhead, then 413. */
export const WEBHOOK_MAX_BODY = 3 * 1024 * 1024 + 512 * 1024;

export interface WhatsAppWebhookOptions {
  /** The channel (channel.ts): takes the events, says whether it accepts them and whether Redis answers. */
  channel: {
    handleEvents(events: readonly WhatsAppEvent[]): Promise<void>;
    readonly accepting: boolean;
    ready(): Promise<boolean>;
  };
  appSecret: string;
  verifyToken: string;
  phoneNumberId: string;
  log: Logger;
}

/** Constant-time string comparison: both sides are hashed, so lengths leak nothing either. */
export function sameString(given: string | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** `X-Hub-Signature-256: sha256=<hex>` of the raw body with the app secret. */
export function validSignature(header: string | string[] | undefined, rawBody: Buffer, appSecret: string): boolean {
  const given = Array.isArray(header) ? header[0] : header;
  if (typeof given !== "string" || !given.startsWith("sha256=")) return false;
  const expected = createHmac("sha256", appSecret).update(rawBody).digest("hex");
  return sameString(given.slice("sha256=".length).toLowerCase(), expected);
}

/** Well-formed: `sha256=` and 64 hex digits. Anything else is refused before the body is read. */
export function wellFormedSignature(header: string | string[] | undefined): boolean {
  const given = Array.isArray(header) ? header[0] : header;
  return typeof given === "string" && /^sha256=[0-9a-fA-F]{64}$/.test(given);
}

/** What a signed body asks for: a refusal, nothing to do, or events to handle. */
export type WebhookReading =
  | { status: "refused"; code: 400 | 401; reason: string }
  | { status: "ignored"; text: string }
  | { status: "events"; events: WhatsAppEvent[] };

/** Checks the signature over the raw bytes, then reads Meta's payload; never throws. */
export function readWebhook(
  headers: Record<string, string | string[] | undefined>,
  raw: Buffer,
  o: Pick<WhatsAppWebhookOptions, "appSecret" | "phoneNumberId" | "log">,
): WebhookReading {
  if (!validSignature(headers["x-hub-signature-256"], raw, o.appSecret)) {
    o.log.warn("whatsapp: webhook with a wrong signature refused (is WHATSAPP_APP_SECRET the app's secret?)");
    return { status: "refused", code: 401, reason: "bad signature" };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(raw.toString("utf8"));
  } catch {
    return { status: "refused", code: 400, reason: "malformed JSON" };
  }
  if (!payload || typeof payload !== "object" || Array.isArray(payload))
    return { status: "refused", code: 400, reason: "not a JSON object" };
  const object = (payload as { object?: unknown }).object;
  if (object !== "whatsapp_business_account") {
    o.log.debug({ object: String(object).slice(0, 40) }, "whatsapp: webhook for another object ignored");
    return { status: "ignored", text: "ignored" };
  }
  const { events, foreign } = parseWebhook(payload as Record<string, unknown>, o.phoneNumberId);
  if (foreign) o.log.debug({ foreign }, "whatsapp: changes for another phone number ignored");
  return events.length === 0 ? { status: "ignored", text: "ok" } : { status: "events", events };
}

export function whatsappWebhook(o: WhatsAppWebhookOptions): Plugin {
  const text = "text/plain; charset=utf-8";
  return (app, _opts, done) => {
    // Meta signs the raw bytes: keep them raw, whatever the content type says (this plugin only).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, next) => next(null, body));

    app.get("/whatsapp/webhook", async (req, reply) => {
      const query = req.query as Record<string, string | string[] | undefined>;
      const one = (k: string) => {
        const v = query[k];
        return Array.isArray(v) ? v[0] : v;
      };
      if (one("hub.mode") === "subscribe" && sameString(one("hub.verify_token"), o.verifyToken)) {
        o.log.info("whatsapp: webhook verified by Meta");
        return reply
          .code(200)
          .type(text)
          .send(one("hub.challenge") ?? "");
      }
      o.log.warn(
        { mode: String(one("hub.mode")).slice(0, 20) },
        "whatsapp: webhook verification refused (is WHATSAPP_VERIFY_TOKEN the one entered in the Meta app?)",
      );
      return reply.code(403).type(text).send("forbidden");
    });

    app.post(
      "/whatsapp/webhook",
      {
        bodyLimit: WEBHOOK_MAX_BODY,
        // From the headers alone: an unsigned body is never read (nor its bytes reserved).
        onRequest: (req, _reply, next) => {
          if (wellFormedSignature(req.headers["x-hub-signature-256"])) return next();
          o.log.warn(
            { signed: req.headers["x-hub-signature-256"] !== undefined },
            "whatsapp: webhook without a well-formed signature refused",
          );
          next(httpError(401, "bad signature"));
        },
      },
      async (req, reply) => {
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const reading = readWebhook(req.headers, raw, o);
        if (reading.status === "refused") return reply.code(reading.code).type(text).send(reading.reason);
        if (reading.status === "ignored") return reply.code(200).type(text).send(reading.text);
        if (!o.channel.accepting) return reply.code(503).type(text).send("shutting down");
        if (!(await o.channel.ready())) {
          o.log.warn(
            { events: reading.events.length },
            "whatsapp: Redis does not answer; webhook answered 503 so Meta redelivers",
          );
          return reply.code(503).type(text).send("busy, try again later");
        }
        void reply.code(200).type(text).send("ok");
        // After the answer: the channel keeps each event until it is handled (stop() waits for them).
        void o.channel.handleEvents(reading.events);
        return reply;
      },
    );
    done();
  };
}
