// The Bot API calls that send, and their failures classified once into the core's
// DeliveryFailure. Two clients, one per kind of wait: replies to a waiting user get a few
// bounded tries (retry.ts), then give up; scheduled deliveries get no retry at all, so the
// delivery queue sees each 429 and applies `retry_after` to the whole queue instead of stalling
// one worker slot. Telegram's error strings are not a contract: matched defensively. A chart is
// drawn here, at send time (a Reply carries only its spec, as JSON), and sent as a photo; when it
// cannot be drawn, or Telegram refuses the photo, its text chart goes instead: nothing is lost.
import { Api, GrammyError, HttpError, InputFile } from "grammy";
import { renderPicture, type PictureOutcome } from "../../charts/render.js";
import type { ChartSpec } from "../../core/chart.js";
import { DeliveryError, type DeliveryFailure } from "../../core/ports/delivery.js";
import { chartAsText, type ChartReply, type Reply } from "../../core/types.js";
import type { Logger } from "../../log.js";
import { renderChart, renderReply, type TelegramCall } from "./outbound.js";
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
  /** Where a chart that went as text is reported (never with its words). */
  log: Logger;
  /** Draws a chart (default: the PNG renderer); tests pass one that fails. */
  picture?: (spec: ChartSpec) => Promise<PictureOutcome>;
}

export class TelegramClient {
  private readonly replyApi: Api;
  private readonly deliveryApi: Api;

  constructor(private readonly o: TelegramClientOptions) {
    // grammY's default request timeout is 500 s: a hung platform would hold a chat's queue
    // (replies) or a delivery worker slot that long.
    this.replyApi = new Api(o.token, { apiRoot: o.apiRoot, timeoutSeconds: o.replyTimeoutSeconds ?? 10 });
    this.replyApi.config.use(boundedRetry({ attempts: REPLY_ATTEMPTS, budgetMs: REPLY_BUDGET_MS, abandon: o.abandon }));
    this.deliveryApi = new Api(o.token, { apiRoot: o.apiRoot, timeoutSeconds: o.deliveryTimeoutSeconds ?? 15 });
  }

  /** Replies to a user who is waiting: a few bounded tries. Throws DeliveryError. */
  reply(chatId: string, replies: readonly Reply[]): Promise<void> {
    return this.sendWith(this.replyApi, chatId, replies);
  }

  /** A scheduled delivery: one try, the queue decides the rest. Throws DeliveryError. */
  deliver(chatId: string, replies: readonly Reply[]): Promise<void> {
    return this.sendWith(this.deliveryApi, chatId, replies);
  }

  /** Stops a tapped button's spinner. */
  async answerCallback(id: string): Promise<void> {
    await this.replyApi.answerCallbackQuery(id);
  }

  private async sendWith(api: Api, chatId: string, replies: readonly Reply[]): Promise<void> {
    for (const reply of replies) {
      if (reply.kind === "chart") await this.sendChart(api, chatId, reply);
      else for (const call of renderReply(reply)) await send(api, chatId, call);
    }
  }

  /** The chart as a photo; as its text chart when it cannot be drawn or the photo is refused (400). */
  private async sendChart(api: Api, chatId: string, reply: ChartReply): Promise<void> {
    const picture = await (this.o.picture ?? renderPicture)(reply.spec);
    const asText = async (why: string, err: unknown) => {
      this.o.log.warn({ err, chart: reply.spec.kind }, `telegram: ${why}; sending the chart as text`);
      for (const call of renderReply(chartAsText(reply))) await send(api, chatId, call);
    };
    if (picture.status === "text_only") return asText("the chart could not be drawn", picture.cause);
    const [photo, ...rest] = renderChart(reply, picture.png);
    try {
      await send(api, chatId, photo!);
    } catch (err) {
      // Only a refusal of this request (a photo Telegram will not take) is worth a second form;
      // a blocked user, a rate limit or an outage would refuse the text too, and the caller decides.
      const cause = err instanceof DeliveryError ? err.cause : undefined;
      if (!(err instanceof DeliveryError && err.failure.status === "rejected" && refused(cause))) throw err;
      return asText("the photo was refused", cause);
    }
    for (const call of rest) await send(api, chatId, call);
  }
}

async function send(api: Api, chatId: string, call: TelegramCall): Promise<void> {
  try {
    if (call.method === "sendMessage") {
      await api.sendMessage(
        chatId,
        call.text,
        call.keyboard ? { reply_markup: { inline_keyboard: call.keyboard } } : {},
      );
    } else if (call.method === "sendPhoto") {
      await api.sendPhoto(chatId, new InputFile(call.png, "chart.png"), {
        ...(call.caption ? { caption: call.caption } : {}),
        ...(call.keyboard ? { reply_markup: { inline_keyboard: call.keyboard } } : {}),
      });
    } else {
      await api.sendDocument(chatId, new InputFile(Buffer.from(call.content, "utf8"), call.filename), {
        caption: call.caption,
      });
    }
  } catch (err) {
    throw new DeliveryError("telegram", classify(err), { cause: err });
  }
}

export function classify(err: unknown): DeliveryFailure {
  if (err instanceof GrammyError) {
    const d = err.description.toLowerCase();
    if (err.error_code === 429)
      return { status: "rate_limited", retryAfterMs: (err.parameters.retry_after ?? 1) * 1000 };
    if (err.error_code === 403)
      return {
        status: "gone",
        reason: d.includes("deactivated") ? "deactivated" : d.includes("blocked") ? "blocked" : "forbidden",
      };
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
    if (err.error_code === 401)
      return "Telegram says 401 Unauthorized: TELEGRAM_BOT_TOKEN is wrong or revoked (check @BotFather).";
    if (err.error_code === 409)
      return "Telegram says 409 Conflict: another process is polling with this token (or a webhook is set). Run one poller per token, or use webhook mode.";
    return `Telegram error ${err.error_code}: ${err.description}`;
  }
  if (err instanceof HttpError)
    return `Cannot reach the Telegram Bot API (${(err.error as Error)?.message ?? "network error"}); check TELEGRAM_API_ROOT and the network.`;
  return err instanceof Error ? err.message : String(err);
}
