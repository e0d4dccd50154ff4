// POST /telegram/webhook: the secret header is checked in constant time; the update is handled
// before answering (so a failure is redelivered by Telegram), within grammY's 10 s budget.
import { createHash, timingSafeEqual } from "node:crypto";
import type { Update } from "grammy/types";
import type { Route } from "../../http/server.js";
import type { TelegramChannel } from "./channel.js";

const ANSWER_WITHIN_MS = 8_000;

export function sameSecret(given: string | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  // Hash both so the comparison takes the same time whatever the lengths.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

export function telegramWebhookRoute(channel: TelegramChannel, secret: string): Route {
  return {
    method: "POST",
    path: "/telegram/webhook",
    maxBody: 1024 * 1024,
    async handle(req) {
      const header = req.headers["x-telegram-bot-api-secret-token"];
      if (!sameSecret(Array.isArray(header) ? header[0] : header, secret)) return { status: 401, body: "unauthorized" };
      let update: Update;
      try {
        update = JSON.parse(req.body.toString("utf8")) as Update;
      } catch {
        return { status: 400, body: "malformed JSON" };
      }
      if (!update || typeof update !== "object" || typeof update.update_id !== "number") return { status: 400, body: "not an update" };
      const handling = channel.handleUpdate(update);
      // Past the budget, answer 200 and let the handling finish: Telegram would otherwise resend
      // an update we are still working on.
      const timeout = new Promise<"late">((r) => setTimeout(() => r("late"), ANSWER_WITHIN_MS).unref());
      const result = await Promise.race([handling.then(() => "ok" as const), timeout]);
      return result === "ok" ? { status: 200, body: "ok" } : { status: 200, body: "accepted", after: () => handling };
    },
  };
}
