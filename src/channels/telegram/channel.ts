// The Telegram channel: grammY, long polling through @grammyjs/runner (updates of one chat in
// order, chats in parallel) or a webhook (webhook.ts). Its own client for getUpdates and the
// start-up calls, with auto-retry and a limit above getUpdates' 30 s long poll; replies and
// scheduled sends go through client.ts. Each update takes the shared pipeline (pipeline.ts).
import { Bot, GrammyError, type Context } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { autoRetry } from "@grammyjs/auto-retry";
import { run, sequentialize, type RunnerHandle } from "@grammyjs/runner";
import type { Config } from "../../config.js";
import type { Reply } from "../../core/types.js";
import { Pipeline } from "../pipeline.js";
import type { Channel, ChannelDeps, ChannelSetup } from "../types.js";
import { describe, refused, TelegramClient } from "./client.js";
import { toIncoming } from "./inbound.js";
import { telegramWebhook } from "./webhook.js";

export interface TelegramOptions {
  token: string;
  apiRoot: string;
  mode: "polling" | "webhook";
  /** Webhook mode: the public base URL and the secret Telegram sends back in a header. */
  publicUrl?: string;
  webhookSecret?: string;
  deliveryTimeoutSeconds?: number;
  replyTimeoutSeconds?: number;
  /** Tests pass the fake's bot info to skip getMe. */
  botInfo?: UserFromGetMe;
}

/** Above the 30 s long poll of getUpdates, which shares this client with the start-up calls. */
const POLL_TIMEOUT_S = 60;

/** The channel from config, when TELEGRAM_BOT_TOKEN is set. */
export function telegramChannel(config: Config, deps: ChannelDeps): ChannelSetup | undefined {
  if (config.telegram.mode === "off") return undefined;
  const channel = new TelegramChannel(deps, {
    token: config.TELEGRAM_BOT_TOKEN!,
    apiRoot: config.TELEGRAM_API_ROOT,
    mode: config.telegram.mode,
    publicUrl: config.PUBLIC_URL,
    webhookSecret: config.TELEGRAM_WEBHOOK_SECRET,
    deliveryTimeoutSeconds: config.TELEGRAM_DELIVERY_TIMEOUT_SECONDS,
    replyTimeoutSeconds: config.TELEGRAM_REPLY_TIMEOUT_SECONDS,
  });
  const routes =
    config.telegram.mode === "webhook" ? [telegramWebhook({ channel, secret: config.TELEGRAM_WEBHOOK_SECRET! })] : [];
  return { channel, routes, ratePerSecond: config.TELEGRAM_RATE_LIMIT };
}

export class TelegramChannel implements Channel {
  readonly name = "telegram" as const;
  readonly bot: Bot;
  private readonly client: TelegramClient;
  private readonly pipeline: Pipeline;
  private runner: RunnerHandle | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopping = false;
  /** Aborted when the shutdown deadline passes: replies still trying give up at once. */
  private readonly abandon = new AbortController();

  constructor(
    private readonly deps: ChannelDeps,
    private readonly o: TelegramOptions,
  ) {
    this.bot = new Bot(o.token, { client: { apiRoot: o.apiRoot, timeoutSeconds: POLL_TIMEOUT_S }, botInfo: o.botInfo });
    this.bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));
    this.client = new TelegramClient({ ...o, abandon: this.abandon.signal, log: deps.log });
    this.pipeline = new Pipeline(deps);
    // First, so every update in progress is known to stop(), polled or posted to the webhook.
    this.bot.use((_ctx, next) => this.track(next()));
    this.bot.use(sequentialize((ctx: Context) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));
    this.bot.on(["message", "callback_query"], (ctx) => this.onUpdate(ctx));
    this.bot.catch((err) => {
      deps.log.error({ err: err.error, update: err.ctx.update.update_id }, "telegram handler failed");
    });
  }

  private async onUpdate(ctx: Context): Promise<void> {
    const incoming = toIncoming(ctx.update);
    if (!incoming) return;
    if (ctx.callbackQuery) {
      // Stop the button's spinner at once; a failure here must not lose the answer.
      await this.client
        .answerCallback(ctx.callbackQuery.id)
        .catch((err) => this.deps.log.warn({ err }, "answerCallbackQuery failed"));
    }
    const chatId = String(ctx.chat?.id ?? ctx.from!.id);
    await this.pipeline.run(incoming, (replies) => this.client.reply(chatId, replies));
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
    const descriptions = this.deps.catalog.dataOf<Record<string, string>>("command_descriptions");
    const commands = this.deps.engine
      .publicCommands()
      .filter((c) => descriptions[c])
      .map((command) => ({ command, description: descriptions[command]! }));
    // The command menu is a convenience: a Bot API that refuses it (400) or lacks it (404) must
    // not keep the bot from answering.
    await this.optional("setMyCommands", () => this.bot.api.setMyCommands(commands.slice(0, 100)));
    if (this.o.mode === "webhook") {
      const url = `${this.o.publicUrl}/telegram/webhook`;
      try {
        await this.bot.api.setWebhook(url, {
          secret_token: this.o.webhookSecret,
          allowed_updates: ["message", "callback_query"],
        });
      } catch (err) {
        // allowed_updates is an extra (without it the bot ignores the other kinds); the secret is not.
        if (!refused(err)) throw err;
        this.deps.log.warn(
          { reason: describe(err) },
          "telegram: setWebhook with allowed_updates refused; setting it without",
        );
        await this.bot.api.setWebhook(url, { secret_token: this.o.webhookSecret });
      }
      this.deps.log.info({ username: this.bot.botInfo.username }, "telegram: webhook set");
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
    this.deps.log.info({ username: this.bot.botInfo.username }, "telegram: long polling");
    // A second process polling the same token gets 409: say so plainly and stop this one.
    void this.runner.task()?.catch((err) => {
      const reason = describe(err);
      this.deps.log.fatal({ reason }, "telegram polling stopped");
      this.deps.onFatal(reason);
    });
  }

  /** Runs an optional call: a refusal is logged (never with an `err` string) and skipped; a wrong token is not. */
  private async optional(method: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (err) {
      if (err instanceof GrammyError && err.error_code === 401) throw err;
      this.deps.log.warn({ method, reason: describe(err) }, `telegram: ${method} refused; going on without it`);
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

  /** For the delivery queue and retention: one try, no proactive restrictions on Telegram. */
  async send(platformId: string, replies: readonly Reply[]): Promise<void> {
    await this.client.deliver(platformId, replies);
  }
}
