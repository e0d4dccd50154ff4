// GET /whatsapp/webhook: Meta's subscription check. POST /whatsapp/webhook: signed updates,
// checked over the raw bytes before anything is parsed, answered 200 at once and processed
// after (Meta retries slow or failed answers, and a webhook that keeps failing is disabled).
//
// Answers: 401 for a missing or wrong signature (nothing is read); 400 for a body that is not
// a JSON object; 200 for an `object` other than whatsapp_business_account (another product's
// webhook on the same app: acknowledged and ignored, so Meta does not retry it for hours);
// 413 (from the HTTP server) past the cap; 503 while shutting down (Meta redelivers later).
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Logger } from "pino";
import type { Route } from "../../http/server.js";
import type { WhatsAppChannel } from "./channel.js";
import { parseWebhook } from "./inbound.js";

/** Meta sends payloads of up to 3 MB; a margin for JSON overhead, then 413. */
export const WEBHOOK_MAX_BODY = 3 * 1024 * 1024 + 512 * 1024;

export interface WhatsAppWebhookOptions {
  channel: Pick<WhatsAppChannel, "handleEvents" | "accepting">;
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

export function whatsappWebhookRoutes(o: WhatsAppWebhookOptions): Route[] {
  return [
    {
      method: "GET",
      path: "/whatsapp/webhook",
      async handle(req) {
        const mode = req.query.get("hub.mode");
        const token = req.query.get("hub.verify_token") ?? undefined;
        const challenge = req.query.get("hub.challenge") ?? "";
        if (mode === "subscribe" && sameString(token, o.verifyToken)) {
          o.log.info("whatsapp: webhook verified by Meta");
          return { status: 200, body: challenge };
        }
        o.log.warn({ mode }, "whatsapp: webhook verification refused (is WHATSAPP_VERIFY_TOKEN the one entered in the Meta app?)");
        return { status: 403, body: "forbidden" };
      },
    },
    {
      method: "POST",
      path: "/whatsapp/webhook",
      maxBody: WEBHOOK_MAX_BODY,
      async handle(req) {
        if (!validSignature(req.headers["x-hub-signature-256"], req.body, o.appSecret)) {
          o.log.warn({ signed: Boolean(req.headers["x-hub-signature-256"]) }, "whatsapp: webhook with a missing or wrong signature refused (is WHATSAPP_APP_SECRET the app's secret?)");
          return { status: 401, body: "bad signature" };
        }
        let payload: unknown;
        try {
          payload = JSON.parse(req.body.toString("utf8"));
        } catch {
          return { status: 400, body: "malformed JSON" };
        }
        if (!payload || typeof payload !== "object" || Array.isArray(payload)) return { status: 400, body: "not a JSON object" };
        const object = (payload as { object?: unknown }).object;
        if (object !== "whatsapp_business_account") {
          o.log.debug({ object: String(object).slice(0, 40) }, "whatsapp: webhook for another object ignored");
          return { status: 200, body: "ignored" };
        }
        const { events, foreign } = parseWebhook(payload as Record<string, unknown>, o.phoneNumberId);
        if (foreign) o.log.debug({ foreign }, "whatsapp: changes for another phone number ignored");
        if (events.length === 0) return { status: 200, body: "ok" };
        if (!o.channel.accepting) return { status: 503, body: "shutting down" };
        return { status: 200, body: "ok", after: () => o.channel.handleEvents(events) };
      },
    },
  ];
}
