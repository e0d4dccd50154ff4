// The Telegram channel: grammY, long polling through @grammyjs/runner (updates of one chat in
// order, chats in parallel) or a webhook (webhook.ts). Three API clients, one per kind of wait:
// getUpdates and start-up calls with auto-retry (long timeout: getUpdates long-polls 30 s);
// replies to a waiting user with a few bounded tries (retry.ts), then "reply not delivered";
// scheduled deliveries with no retry at all, so the delivery queue sees each 429 and applies
// `retry_after` to the whole queue instead of stalling one worker slot.
import { Api, Bot, GrammyError, HttpError, InputFile, type Context } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { autoRetry } from "@grammyjs/auto-retry";
import { run, sequentialize, type RunnerHandle } from "@grammyjs/runner";
import type { Logger } from "pino";
import type { Engine } from "../../core/engine.js";
import type { Catalog } from "../../content/catalog.js";
import type { Reply } from "../../core/types.js";
import { userRef } from "../../log.js";
import { type Channel } from "../types.js";
import { DeliveryError, type DeliveryFailure, type SendOptions } from "../../core/ports/delivery.js";
import { toIncoming } from "./inbound.js";
import { renderReply } from "./outbound.js";
import { boundedRetry } from "./retry.js";

export interface TelegramOptions {
  token: string;
  apiRoot: string;
  mode: "polling" | "webhook";
  /** Webhook mode: the public base URL and the secret Telegram sends back in a header. */
  publicUrl?: string;
  webhookSecret?: string;
  /** Scheduled sends: abandon a request with no answer after this long (default 15 s); the queue retries it. */
  deliveryTimeoutSeconds?: number;
  /** Replies: one try's time limit (default 10 s); a reply gets REPLY_ATTEMPTS tries within REPLY_BUDGET_MS. */
  replyTimeoutSeconds?: number;
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

/** Above the 30 s long poll of getUpdates, which shares this client with the start-up calls. */
const POLL_TIMEOUT_S = 60;
/** A reply's tries and their time in all: the user's next message waits behind them. */
export const REPLY_ATTEMPTS = 3;
export const REPLY_BUDGET_MS = 30_000;

export class TelegramChannel implements Channel {
  readonly name = "telegram" as const;
  readonly bot: Bot;
  /** Replies to a waiting user: a few bounded tries, then given up. */
  private readonly replyApi: Api;
  /** No auto-retry: the delivery queue handles 429 itself. */
  private readonly deliveryApi: Api;
  private runner: RunnerHandle | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopping = false;
  /** Aborted when the shutdown deadline passes: replies still trying give up at once. */
  private readonly abandon = new AbortController();

  constructor(private readonly o: TelegramOptions) {
    // grammY's default request timeout is 500 s: a hung platform would hold a chat's queue (replies)
    // or a delivery worker slot that long. getUpdates long-polls for 30 s, so its client's limit
    // stays above that; replies and scheduled sends get short ones.
    this.bot = new Bot(o.token, { client: { apiRoot: o.apiRoot, timeoutSeconds: POLL_TIMEOUT_S }, botInfo: o.botInfo });
    this.bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));
    this.replyApi = new Api(o.token, { apiRoot: o.apiRoot, timeoutSeconds: o.replyTimeoutSeconds ?? 10 });
    this.replyApi.config.use(boundedRetry({ attempts: REPLY_ATTEMPTS, budgetMs: REPLY_BUDGET_MS, abandon: this.abandon.signal }));
    this.deliveryApi = new Api(o.token, { apiRoot: o.apiRoot, timeoutSeconds: o.deliveryTimeoutSeconds ?? 15 });
    // First, so every update in progress is known to stop(), polled or posted to the webhook.
    this.bot.use((_ctx, next) => this.track(next()));
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
      await this.replyApi.answerCallbackQuery(ctx.callbackQuery.id).catch((err) => this.o.log.warn({ err }, "answerCallbackQuery failed"));
    }
    const outcome = await this.o.engine.handle(incoming);
    if (outcome.status === "duplicate") return;
    const chatId = String(ctx.chat?.id ?? ctx.from!.id);
    try {
      await this.sendWith(this.replyApi, chatId, outcome.replies);
    } catch (err) {
      const failure = err instanceof DeliveryError ? err.failure : undefined;
      if (failure?.status === "gone") await this.o.onGone?.(chatId, failure.reason);
      this.o.log.warn({ err, user: userRef(incoming.user) }, "reply not delivered");
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    return work.finally(() => this.inFlight.delete(work));
  }

  /** False once stopping: the webhook then answers 503, so Telegram redelivers to a running process. */
  get accepting(): boolean {
    return !this.stopping;
  }

  async start(): Promise<void> {
    await this.bot.init();
    const t = this.o.catalog;
    const descriptions = t.dataOf<Record<string, string>>("command_descriptions");
    const commands = this.o.engine
      .publicCommands()
      .filter((c) => descriptions[c])
      .map((command) => ({ command, description: descriptions[command]! }));
    // The command menu is a convenience: a Bot API that refuses it (400) or lacks it (404) must
    // not keep the bot from answering.
    await this.optional("setMyCommands", () => this.bot.api.setMyCommands(commands.slice(0, 100)));
    if (this.o.mode === "webhook") {
      const url = `${this.o.publicUrl}/telegram/webhook`;
      try {
        await this.bot.api.setWebhook(url, { secret_token: this.o.webhookSecret, allowed_updates: ["message", "callback_query"] });
      } catch (err) {
        // allowed_updates is an extra (without it the bot ignores the other kinds); the secret is not.
        if (!refused(err)) throw err;
        this.o.log.warn({ reason: describe(err) }, "telegram: setWebhook with allowed_updates refused; setting it without");
        await this.bot.api.setWebhook(url, { secret_token: this.o.webhookSecret });
      }
      this.o.log.info({ username: this.bot.botInfo.username }, "telegram: webhook set");
      return;
    }
    // Polling while a webhook is set is refused by Telegram: remove a leftover one first. A Bot
    // API without webhooks has none to remove; if one were set, getUpdates says 409 plainly.
    await this.optional("deleteWebhook", () => this.bot.api.deleteWebhook());
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

  /** Runs an optional call: a refusal is logged (never with an `err` string) and skipped; a wrong token is not. */
  private async optional(method: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (err) {
      if (err instanceof GrammyError && err.error_code === 401) throw err;
      this.o.log.warn({ method, reason: describe(err) }, `telegram: ${method} refused; going on without it`);
    }
  }

  /** Stops taking updates and waits for those in flight; when `deadline` aborts, replies still trying give up. */
  async stop(deadline?: AbortSignal): Promise<void> {
    this.stopping = true;
    const abandon = () => this.abandon.abort();
    if (deadline?.aborted) abandon();
    deadline?.addEventListener("abort", abandon, { once: true });
    try {
      if (this.runner?.isRunning()) await this.runner.stop();
      await Promise.allSettled([...this.inFlight]);
    } finally {
      deadline?.removeEventListener("abort", abandon);
    }
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

/** The Bot API said no to the request itself (400), or has no such method (404). */
function refused(err: unknown): boolean {
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
