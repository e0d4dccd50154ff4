// The WhatsApp channel (Cloud API). Updates come in through the webhook (webhook.ts), which
// asks `ready()` first (Redis answers: else Meta is told 503 and redelivers later), answers Meta
// and hands the parsed events here; each user's messages are handled in order, a few users at
// a time (lanes.ts), each through the shared pipeline. Replies retry briefly on a rate limit or
// a network blip (the user is waiting); scheduled deliveries (`send`) never retry here: the
// delivery queue sees each failure, classified once (client.ts), and decides.
// Proactive messages outside the 24-hour customer-service window go out as the approved
// template that config names for their kind. Charts are uploaded, then sent by media id (media.ts).
import { renderPicture, type PictureOutcome } from "../../charts/render.js";
import type { Config } from "../../config.js";
import type { ChartSpec } from "../../core/chart.js";
import { DeliveryError, type ProactiveKind, type SendOptions } from "../../core/ports/delivery.js";
import { platformIdOf, userKeyOf, type Reply } from "../../core/types.js";
import { userRef } from "../../log.js";
import { Pipeline } from "../pipeline.js";
import type { Channel, ChannelDeps, ChannelSetup } from "../types.js";
import { classified, classifyCode, WhatsAppClient, type WhatsAppPayload } from "./client.js";
import { insideWindow, WhatsAppContacts } from "./contacts.js";
import { guessTimezone, type WhatsAppEvent } from "./inbound.js";
import { type MessageEvent, type StatusEvent, UserLanes } from "./lanes.js";
import { sendChart, sendDocument, type MediaSender } from "./media.js";
import { renderReply, templateMessage } from "./outbound.js";
import { retrying, type RetryBudget } from "./retry.js";
import { whatsappWebhook } from "./webhook.js";

export interface WhatsAppTemplates {
  /** Proactive kind ("daily", "reminder", "broadcast", "inactivity") -> approved template name. */
  names: Partial<Record<ProactiveKind, string>>;
  language: string;
}

export interface WhatsAppOptions {
  client: WhatsAppClient;
  contacts: WhatsAppContacts;
  defaultTimezone: string;
  templates: WhatsAppTemplates;
  /** Waits before retrying a reply; capped so a waiting user is answered or dropped within seconds. */
  replyRetry?: RetryBudget;
  /** Draws a chart (default: the PNG renderer); tests pass one that fails. */
  picture?: (spec: ChartSpec) => Promise<PictureOutcome>;
  /** Messages handled at once: over all webhook bodies, and within one (defaults 32 and 8). */
  concurrency?: { overall: number; perBody: number };
}

/** The channel from config, when the four WhatsApp settings are set. */
export function whatsappChannel(config: Config, deps: ChannelDeps): ChannelSetup | undefined {
  if (!config.whatsappEnabled) return undefined;
  const phoneNumberId = config.WHATSAPP_PHONE_NUMBER_ID!;
  const channel = new WhatsAppChannel(deps, {
    client: new WhatsAppClient({
      apiRoot: config.WHATSAPP_API_ROOT,
      version: config.WHATSAPP_API_VERSION,
      phoneNumberId,
      token: config.WHATSAPP_TOKEN!,
    }),
    contacts: new WhatsAppContacts(deps.redis, deps.keys),
    defaultTimezone: config.DEFAULT_TIMEZONE,
    templates: {
      names: {
        daily: config.WHATSAPP_TEMPLATE_DAILY,
        reminder: config.WHATSAPP_TEMPLATE_REMINDER,
        broadcast: config.WHATSAPP_TEMPLATE_BROADCAST,
        inactivity: config.WHATSAPP_TEMPLATE_INACTIVITY,
      },
      language: config.WHATSAPP_TEMPLATE_LANGUAGE,
    },
    concurrency: {
      overall: config.WHATSAPP_INBOUND_CONCURRENCY,
      perBody: config.WHATSAPP_INBOUND_CONCURRENCY_PER_BODY,
    },
  });
  const webhook = whatsappWebhook({
    channel,
    log: deps.log,
    appSecret: config.WHATSAPP_APP_SECRET!,
    verifyToken: config.WHATSAPP_VERIFY_TOKEN!,
    phoneNumberId,
  });
  return { channel, routes: [webhook], ratePerSecond: config.WHATSAPP_RATE_LIMIT };
}

/** How long `ready()` waits for Redis before the webhook answers 503. */
const READY_TIMEOUT_MS = 2_000;

const STOP_CODES = new Set([131026, 131050]);
const ALREADY_STOPPED = "proactive messages stopped";

export class WhatsAppChannel implements Channel {
  readonly name = "whatsapp" as const;
  private stopping = false;
  private readonly lanes: UserLanes;
  private readonly pipeline: Pipeline;

  constructor(
    private readonly deps: Pick<ChannelDeps, "engine" | "catalog" | "log" | "clock" | "unreachable">,
    private readonly o: WhatsAppOptions,
  ) {
    const handlers = { message: (e: MessageEvent) => this.onMessage(e), status: (e: StatusEvent) => this.onStatus(e) };
    this.lanes = new UserLanes(deps.log, handlers, o.concurrency);
    // A user gone: the contact marked first (proactive messages refused without a call to Meta).
    this.pipeline = new Pipeline({ ...deps, onGone: (user, reason) => this.markStopped(platformIdOf(user), reason) });
  }

  async start(): Promise<void> {
    // Nothing to open: Meta calls our webhook. Say which templates are missing, once, at start.
    for (const kind of ["daily", "reminder", "broadcast", "inactivity"] as const) {
      if (!this.o.templates.names[kind]) {
        this.deps.log.warn(
          { kind },
          `whatsapp: no template for ${kind} messages (WHATSAPP_TEMPLATE_${kind.toUpperCase()}); ` +
            "they cannot reach users outside the 24-hour window",
        );
      }
    }
  }

  /** False once stopping: the webhook then answers 503, so Meta redelivers to a running process. */
  get accepting(): boolean {
    return !this.stopping;
  }

  /**
   * Before Meta is told 200: true when Redis answers now. Refusing otherwise (the webhook says
   * 503) loses nothing: Meta redelivers for days, and the message is handled once Redis is back.
   */
  async ready(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS)));
    try {
      return await Promise.race([this.o.contacts.reachable(), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Finishes every event already accepted (Meta was told 200 for them), or as many as the
   * `deadline` allows; what is left then is logged (counted, never its content) and abandoned.
   */
  async stop(deadline?: AbortSignal): Promise<void> {
    this.stopping = true;
    await this.lanes.drain(deadline);
  }

  /** Takes the events of one webhook call. Resolves when all of them are handled; never rejects. */
  handleEvents(events: readonly WhatsAppEvent[]): Promise<void> {
    return this.lanes.handle(events);
  }

  private async onMessage(e: MessageEvent): Promise<void> {
    const now = this.deps.clock.now();
    // The window opens when the user wrote, not when we read it; never later than now.
    const at = Math.min(e.sentAt ?? now, now);
    // A failure here must not lose the message: the engine still runs, and answers "give me a
    // moment" if Redis is really gone (its failed outcome); the window is recorded by the next one.
    await this.o.contacts
      .recordInbound(e.platformId, e.contact, at, guessTimezone(e.contact, this.o.defaultTimezone))
      .catch((err) =>
        this.deps.log.warn(
          { err, user: userRef(e.incoming.user) },
          "whatsapp: could not record the message's window; handling it anyway",
        ),
      );
    await this.pipeline.run(e.incoming, (replies) =>
      this.deliver(e.platformId, replies, this.o.replyRetry ?? { attempts: 3, maxWaitMs: 10_000 }),
    );
  }

  private async onStatus(e: StatusEvent): Promise<void> {
    if (e.status !== "failed") return;
    for (const error of e.errors) {
      const failure = classifyCode(error.code);
      const who = e.platformId ? userRef(`whatsapp:${e.platformId}`) : undefined;
      if (STOP_CODES.has(error.code) && e.platformId && failure.status === "gone") {
        // Nobody else will hear of it: the pipeline's one way (marked, counted, schedule stopped).
        await this.pipeline.gone(userKeyOf("whatsapp", e.platformId), failure.reason);
      } else if (failure.status === "rejected") {
        this.deps.log.error(
          { code: error.code, title: error.title, user: who },
          `whatsapp: a message failed: ${failure.reason}`,
        );
      } else {
        this.deps.log.warn(
          { code: error.code, title: error.title, user: who },
          "whatsapp: a message failed after it was accepted",
        );
      }
    }
  }

  /**
   * Marks the contact: proactive messages to them are refused from now on without a call to
   * Meta, until they write again. The counting and the schedule's stop are the caller's: the
   * pipeline's for a reply or a status webhook, the delivery queue's or retention's for a send.
   */
  private async markStopped(platformId: string, reason: string): Promise<void> {
    await this.o.contacts.stopProactive(platformId, reason, this.deps.clock.now());
    this.deps.log.info(
      { user: userRef(`whatsapp:${platformId}`), reason },
      "whatsapp: proactive messages stopped for a user",
    );
  }

  /**
   * For the delivery queue. With `options.proactive`: refused at once for a user whose proactive
   * messages are stopped; free text inside the 24-hour window; the approved template outside it,
   * or when a free-form send is refused with 131047. Throws DeliveryError, never retries.
   */
  async send(platformId: string, replies: readonly Reply[], options?: SendOptions): Promise<void> {
    try {
      await this.sendScheduled(platformId, replies, options);
    } catch (err) {
      // Recorded here too, so the stop holds whatever the caller does with the error.
      if (
        err instanceof DeliveryError &&
        err.failure.status === "gone" &&
        !err.failure.reason.startsWith(ALREADY_STOPPED)
      ) {
        await this.markStopped(platformId, err.failure.reason);
      }
      throw err;
    }
  }

  private async sendScheduled(platformId: string, replies: readonly Reply[], options?: SendOptions): Promise<void> {
    const proactive = options?.proactive;
    if (!proactive) return this.deliver(platformId, replies, { attempts: 1, maxWaitMs: 0 });
    const stopped = await this.o.contacts.proactiveStopped(platformId);
    if (stopped)
      throw new DeliveryError("whatsapp", {
        status: "gone",
        reason: `${ALREADY_STOPPED}: ${stopped.replace(/^\d+ /, "")}`,
      });
    const last = await this.o.contacts.lastInboundAt(platformId);
    if (insideWindow(last, this.deps.clock.now())) {
      try {
        return await this.deliver(platformId, replies, { attempts: 1, maxWaitMs: 0 });
      } catch (err) {
        // The window closed after all (a clock skew, a message Meta counts differently).
        if (!(err instanceof DeliveryError && err.failure.status === "needs_template")) throw err;
        this.deps.log.info(
          { user: userRef(`whatsapp:${platformId}`) },
          "whatsapp: 131047 on a free-form send; using the template",
        );
      }
    }
    await this.sendTemplate(platformId, proactive);
  }

  private async sendTemplate(platformId: string, proactive: NonNullable<SendOptions["proactive"]>): Promise<void> {
    const name = this.o.templates.names[proactive.kind];
    if (!name) {
      const setting = `WHATSAPP_TEMPLATE_${proactive.kind.toUpperCase()}`;
      this.deps.log.warn(
        { kind: proactive.kind },
        `whatsapp: outside the 24-hour window and no template configured (set ${setting})`,
      );
      throw new DeliveryError("whatsapp", { status: "needs_template", setting });
    }
    await this.call(platformId, templateMessage(name, this.o.templates.language, proactive.params));
  }

  /** Renders and sends replies in order; retries rate limits and transient failures up to the budget. */
  private async deliver(platformId: string, replies: readonly Reply[], retry: RetryBudget): Promise<void> {
    const render = {
      listButton: this.deps.catalog.label("wa_list_button"),
      numberedHint: this.deps.catalog.text("whatsapp.numbered_hint"),
    };
    const sender: MediaSender = {
      picture: this.o.picture ?? renderPicture,
      upload: (bytes, type, filename) =>
        retrying(
          () => classified(async () => (await this.o.client.uploadMedia(bytes, type, filename)).mediaId, this.deps.log),
          retry,
        ),
      send: (payload: WhatsAppPayload) => retrying(() => this.call(platformId, payload), retry),
      render,
      log: this.deps.log.child({ user: userRef(`whatsapp:${platformId}`) }),
    };
    for (const reply of replies) {
      if (reply.kind === "document") await sendDocument(reply, sender);
      else if (reply.kind === "chart") await sendChart(reply, sender);
      else for (const payload of renderReply(reply, render)) await sender.send(payload);
    }
  }

  private async call(platformId: string, payload: WhatsAppPayload): Promise<void> {
    await classified(() => this.o.client.sendMessage(platformId, payload), this.deps.log);
  }
}
