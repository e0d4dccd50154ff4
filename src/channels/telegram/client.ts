// The Bot API calls that send, and their failures classified once into the core's
// DeliveryFailure. Two clients, one per kind of wait: replies to a waiting user get a few
// bounded tries (retry.ts), then give up; scheduled deliveries get no retry at all, so the
// delivery queue sees each 429 and applies `retry_after` to the whole queue instead of stalling
// one worker slot. Telegram's error strings are not a contract: matched defensively.
import { Api, GrammyError, HttpError, InputFile } from "grammy";
import { DeliveryError, type DeliveryFailure } from "../../core/ports/delivery.js";
import type { Reply } from "../../core/types.js";
import { renderReply } from "./outbound.js";
import { boundedRetry } from "./retry.js";

/** A reply's tries and their time in all: the user's next message waits behind them. */
export const REPLY_ATTEMPTS = 3;
export const REPLY_BUDGET_MS = 30_000;

export interface TelegramClientOptions {
  token: string;
  apiRoot: string;
  /** Replies: one try's time limit (default 10 s); a reply gets REPLY_ATTEMPTS tries within REPLY_BUDGET_MS. */
  replyTimeoutSeconds?: number;
  /** Scheduled sends: abandon a request with no answer after this long (default 15 s); the queue retries it. */
  deliveryTimeoutSeconds?: number;
  /** Aborted at the shutdown deadline: replies still trying give up at once. */
  abandon: AbortSignal;
}

export class TelegramClient {
  private readonly replyApi: Api;
  private readonly deliveryApi: Api;

  constructor(o: TelegramClientOptions) {
    // grammY's default request timeout is 500 s: a hung platform would hold a chat's queue
    // (replies) or a delivery worker slot that long.
    this.replyApi = new Api(o.token, { apiRoot: o.apiRoot, timeoutSeconds: o.replyTimeoutSeconds ?? 10 });
    this.replyApi.config.use(boundedRetry({ attempts: REPLY_ATTEMPTS, budgetMs: REPLY_BUDGET_MS, abandon: o.abandon }));
    this.deliveryApi = new Api(o.token, { apiRoot: o.apiRoot, timeoutSeconds: o.deliveryTimeoutSeconds ?? 15 });
  }

  /** Replies to a user who is waiting: a few bounded tries. Throws DeliveryError. */
  reply(chatId: string, replies: readonly Reply[]): Promise<void> {
    return sendWith(this.replyApi, chatId, replies);
  }

  /** A scheduled delivery: one try, the queue decides the rest. Throws DeliveryError. */
  deliver(chatId: string, replies: readonly Reply[]): Promise<void> {
    return sendWith(this.deliveryApi, chatId, replies);
  }

  /** Stops a tapped button's spinner. */
  async answerCallback(id: string): Promise<void> {
    await this.replyApi.answerCallbackQuery(id);
  }
}

async function sendWith(api: Api, chatId: string, replies: readonly Reply[]): Promise<void> {
  for (const reply of replies) {
    for (const call of renderReply(reply)) {
      try {
        if (call.method === "sendMessage") {
          await api.sendMessage(chatId, call.text, call.keyboard ? { reply_markup: { inline_keyboard: call.keyboard } } : {});
        } else {
          await api.sendDocument(chatId, new InputFile(Buffer.from(call.content, "utf8"), call.filename), { caption: call.caption });
        }
      } catch (err) {
        throw new DeliveryError("telegram", classify(err), { cause: err });
      }
    }
  }
}

export function classify(err: unknown): DeliveryFailure {
  if (err instanceof GrammyError) {
    const d = err.description.toLowerCase();
    if (err.error_code === 429) return { status: "rate_limited", retryAfterMs: (err.parameters.retry_after ?? 1) * 1000 };
    if (err.error_code === 403) return { status: "gone", reason: d.includes("deactivated") ? "deactivated" : d.includes("blocked") ? "blocked" : "forbidden" };
    if (err.error_code === 400 && d.includes("chat not found")) return { status: "gone", reason: "chat not found" };
    if (err.error_code === 401) return { status: "rejected", reason: "401 unauthorized: is TELEGRAM_BOT_TOKEN right?" };
    if (err.error_code >= 500) return { status: "transient", reason: `telegram ${err.error_code}` };
    return { status: "rejected", reason: `telegram ${err.error_code}` };
  }
  if (err instanceof HttpError) return { status: "transient", reason: "network" };
  return { status: "transient", reason: err instanceof Error ? err.name : "unknown" };
}

/** The Bot API said no to the request itself (400), or has no such method (404). */
export function refused(err: unknown): boolean {
  return err instanceof GrammyError && (err.error_code === 400 || err.error_code === 404);
}

/** An operator-facing description with hints, never the token (it is in grammY's URLs). */
export function describe(err: unknown): string {
  if (err instanceof GrammyError) {
    if (err.error_code === 401) return "Telegram says 401 Unauthorized: TELEGRAM_BOT_TOKEN is wrong or revoked (check @BotFather).";
    if (err.error_code === 409)
      return "Telegram says 409 Conflict: another process is polling with this token (or a webhook is set). Run one poller per token, or use webhook mode.";
    return `Telegram error ${err.error_code}: ${err.description}`;
  }
  if (err instanceof HttpError) return `Cannot reach the Telegram Bot API (${(err.error as Error)?.message ?? "network error"}); check TELEGRAM_API_ROOT and the network.`;
  return err instanceof Error ? err.message : String(err);
}
