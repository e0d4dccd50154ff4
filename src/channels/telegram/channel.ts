// The Telegram channel: grammY, long polling through @grammyjs/runner (updates of one chat in
// order, chats in parallel) or a webhook; replies through an API with auto-retry; scheduled
// deliveries through a second API without it, so the delivery queue sees each 429 and applies
// `retry_after` to the whole queue instead of stalling one worker slot.
import { Api, Bot, GrammyError, HttpError, InputFile, type Context } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { autoRetry } from "@grammyjs/auto-retry";
import { run, sequentialize, type RunnerHandle } from "@grammyjs/runner";
import type { Logger } from "pino";
import type { Engine } from "../../core/engine.js";
import type { Catalog } from "../../content/catalog.js";
import type { Reply } from "../../core/types.js";
import { userRef } from "../../log.js";
import { DeliveryError, type Channel, type DeliveryFailure, type SendOptions } from "../types.js";
import { toIncoming } from "./inbound.js";
import { renderReply } from "./outbound.js";

export interface TelegramOptions {
  token: string;
  apiRoot: string;
  mode: "polling" | "webhook";
  /** Webhook mode: the public base URL and the secret Telegram sends back in a header. */
  publicUrl?: string;
  webhookSecret?: string;
  /** Scheduled sends: abandon a request with no answer after this long (default 15 s); the queue retries it. */
  deliveryTimeoutSeconds?: number;
  engine: Engine;
  catalog: Catalog;
  log: Logger;
  /** Tests pass the fake's bot info to skip getMe. */
  botInfo?: UserFromGetMe;
  /** Called when a user turns out to have blocked the bot (403). */
  onGone?: (platformId: string, reason: string) => Promise<void>;
  /** Called when the channel cannot go on (409: the token is polled elsewhere; 401). */
  onFatal?: (reason: string) => void;
}

/** Above the 30 s long poll of getUpdates, which shares the replies' client. */
const REPLY_TIMEOUT_S = 60;

export class TelegramChannel implements Channel {
  readonly name = "telegram" as const;
  readonly bot: Bot;
  /** No auto-retry: the delivery queue handles 429 itself. */
  private readonly deliveryApi: Api;
  private runner: RunnerHandle | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly o: TelegramOptions) {
    // grammY's default request timeout is 500 s: a hung platform would hold a chat's queue (replies)
    // or a delivery worker slot that long. Replies share the client with getUpdates, which
    // long-polls for 30 s, so theirs must stay above that; scheduled sends get a short one.
    this.bot = new Bot(o.token, { client: { apiRoot: o.apiRoot, timeoutSeconds: REPLY_TIMEOUT_S }, botInfo: o.botInfo });
    // Cap the wait: a reply that must wait longer than a minute is better dropped with a log
    // than holding the chat's queue (the user can write again).
    this.bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));
    this.deliveryApi = new Api(o.token, { apiRoot: o.apiRoot, timeoutSeconds: o.deliveryTimeoutSeconds ?? 15 });
    this.bot.use(sequentialize((ctx: Context) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));
    this.bot.on(["message", "callback_query"], (ctx) => this.onUpdate(ctx));
    this.bot.catch((err) => {
      o.log.error({ err: err.error, update: err.ctx.update.update_id }, "telegram handler failed");
    });
  }

  private async onUpdate(ctx: Context): Promise<void> {
    const incoming = toIncoming(ctx.update);
    if (!incoming) return;
    if (ctx.callbackQuery) {
      // Stop the button's spinner at once; a failure here must not lose the answer.
      await ctx.answerCallbackQuery().catch((err) => this.o.log.warn({ err }, "answerCallbackQuery failed"));
    }
    const outcome = await this.o.engine.handle(incoming);
    if (outcome.status === "duplicate") return;
    const chatId = String(ctx.chat?.id ?? ctx.from!.id);
    try {
      await this.sendWith(this.bot.api, chatId, outcome.replies);
    } catch (err) {
      const failure = err instanceof DeliveryError ? err.failure : undefined;
      if (failure?.status === "gone") await this.o.onGone?.(chatId, failure.reason);
      this.o.log.warn({ err, user: userRef(incoming.user) }, "reply not delivered");
    }
  }

  /** For webhook mode: hand one update to the bot. */
  handleUpdate(update: Update): Promise<void> {
    const p = this.bot.handleUpdate(update);
    this.inFlight.add(p);
    return p.finally(() => this.inFlight.delete(p));
  }

  async start(): Promise<void> {
    await this.bot.init();
    const t = this.o.catalog;
    const descriptions = t.dataOf<Record<string, string>>("command_descriptions");
    const commands = this.o.engine
      .publicCommands()
      .filter((c) => descriptions[c])
      .map((command) => ({ command, description: descriptions[command]! }));
    await this.bot.api.setMyCommands(commands.slice(0, 100)).catch((err) => this.o.log.warn({ err: describe(err) }, "setMyCommands failed"));
    if (this.o.mode === "webhook") {
      await this.bot.api.setWebhook(`${this.o.publicUrl}/telegram/webhook`, {
        secret_token: this.o.webhookSecret,
        allowed_updates: ["message", "callback_query"],
      });
      this.o.log.info({ username: this.bot.botInfo.username }, "telegram: webhook set");
      return;
    }
    // Polling while a webhook is set is refused by Telegram: remove a leftover one first.
    await this.bot.api.deleteWebhook();
    // silent: fetch errors reach our log (with hints) instead of the runner's console output;
    // network errors are retried for up to 15 minutes, other errors (401, 409) stop the runner.
    this.runner = run(this.bot, {
      runner: { fetch: { allowed_updates: ["message", "callback_query"] }, silent: true, maxRetryTime: 15 * 60 * 1000 },
    });
    this.o.log.info({ username: this.bot.botInfo.username }, "telegram: long polling");
    // A second process polling the same token gets 409: say so plainly and stop this one.
    void this.runner.task()?.catch((err) => {
      const reason = describe(err);
      this.o.log.fatal({ reason }, "telegram polling stopped");
      this.o.onFatal?.(reason);
    });
  }

  async stop(): Promise<void> {
    if (this.runner?.isRunning()) await this.runner.stop();
    await Promise.allSettled([...this.inFlight]);
  }

  async send(platformId: string, replies: readonly Reply[], _options?: SendOptions): Promise<void> {
    await this.sendWith(this.deliveryApi, platformId, replies);
  }

  private async sendWith(api: Api, chatId: string, replies: readonly Reply[]): Promise<void> {
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
}

/** Telegram's error strings are not a contract: match defensively (PLATFORMS.md). */
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
