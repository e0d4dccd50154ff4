// POST /telegram/webhook, through grammY's own Fastify adapter. The secret header is checked
// from the headers alone (an onRequest hook), in constant time, before a byte of the body is
// read: a forged request costs nothing. While stopping, 503 (Telegram redelivers to a running
// process). The update is handled before answering, so a failure is redelivered; past 8 s
// (Telegram waits about 10) the answer is 200 and the handling finishes on its own.
import { createHash, timingSafeEqual } from "node:crypto";
import { webhookCallback } from "grammy";
import type { Bot } from "grammy";
import type { onRequestHookHandler, preHandlerHookHandler } from "fastify";
import { httpError, type Plugin } from "../../http/server.js";

const ANSWER_WITHIN_MS = 8_000;
/** Telegram's updates are a few KB; a message with a long text and entities stays far below. */
export const TELEGRAM_MAX_BODY = 1024 * 1024;

export function sameSecret(given: string | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  // Hash both so the comparison takes the same time whatever the lengths.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

export interface TelegramWebhookOptions {
  channel: { readonly bot: Bot; readonly accepting: boolean };
  secret: string;
}

export function telegramWebhook(o: TelegramWebhookOptions): Plugin {
  const authenticate: onRequestHookHandler = (req, _reply, done) => {
    const header = req.headers["x-telegram-bot-api-secret-token"];
    if (!sameSecret(Array.isArray(header) ? header[0] : header, o.secret)) return done(httpError(401));
    if (!o.channel.accepting) return done(httpError(503, "shutting down"));
    done();
  };
  // grammY hands any object to the bot; a body that is not an update is the sender's mistake.
  const isUpdate: preHandlerHookHandler = (req, _reply, done) => {
    const body = req.body as { update_id?: unknown } | null | undefined;
    if (!body || typeof body !== "object" || Array.isArray(body) || !Number.isSafeInteger(body.update_id))
      return done(httpError(400, "not an update"));
    done();
  };
  return (app, _opts, done) => {
    const handle = webhookCallback(o.channel.bot, "fastify", {
      secretToken: o.secret,
      onTimeout: "return",
      timeoutMilliseconds: ANSWER_WITHIN_MS,
    });
    app.post(
      "/telegram/webhook",
      { bodyLimit: TELEGRAM_MAX_BODY, onRequest: authenticate, preHandler: isUpdate },
      handle,
    );
    done();
  };
}
