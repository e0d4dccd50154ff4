// A small client for the two Graph API calls the bot needs: POST /{version}/{phone_number_id}/messages
// to send, and POST /{version}/{phone_number_id}/media to upload a picture (a chart) first. Like
// grammY's GrammyError vs HttpError, an answer with an error (`WhatsAppApiError`: code, subcode and
// message kept) is told apart from a request that never got an answer (`WhatsAppHttpError`:
// network, timeout; cause kept), for both calls. `classify` turns both into the channel-neutral
// DeliveryFailure, once (`classified` wraps each call with it), so the delivery queue retries only
// what it understands.
import { DeliveryError, type DeliveryFailure } from "../../core/ports/delivery.js";
import type { Logger } from "../../log.js";

export interface WhatsAppClientOptions {
  apiRoot: string;
  version: string;
  phoneNumberId: string;
  token: string;
  /** Per request; a send that takes longer is abandoned and counted as transient. */
  timeoutMs?: number;
}

/** The body of a send, without `messaging_product` and the recipient (the client adds them). */
export type WhatsAppPayload =
  | { type: "text"; text: { body: string; preview_url?: boolean } }
  /** An uploaded picture (`uploadMedia`'s id); the caption at most 1024 characters. */
  | { type: "image"; image: { id: string; caption?: string } }
  /** An uploaded file (the data export), shown with its filename. */
  | { type: "document"; document: { id: string; filename: string; caption?: string } }
  | { type: "interactive"; interactive: InteractiveButtons | InteractiveList }
  | { type: "template"; template: { name: string; language: { code: string }; components?: TemplateComponent[] } };

export interface InteractiveButtons {
  type: "button";
  /** Reply buttons may carry a picture above the body (lists may not). */
  header?: { type: "image"; image: { id: string } };
  body: { text: string };
  action: { buttons: { type: "reply"; reply: { id: string; title: string } }[] };
}

export interface InteractiveList {
  type: "list";
  body: { text: string };
  action: {
    button: string;
    sections: { title?: string; rows: { id: string; title: string; description?: string }[] }[];
  };
}

export interface TemplateComponent {
  type: "body";
  parameters: { type: "text"; text: string }[];
}

/** The Graph API answered with an error object. */
export class WhatsAppApiError extends Error {
  override name = "WhatsAppApiError";
  constructor(
    readonly httpStatus: number,
    readonly code: number,
    readonly subcode: number | undefined,
    /** Meta's message and `error_data.details`: operator-facing, never the message text we sent. */
    readonly description: string,
    readonly fbtraceId?: string,
  ) {
    super(`WhatsApp API error ${code}${subcode ? `/${subcode}` : ""} (HTTP ${httpStatus}): ${description}`);
  }
}

/** No usable answer: network failure, timeout, or a body that is not Graph API JSON. */
export class WhatsAppHttpError extends Error {
  override name = "WhatsAppHttpError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;

export class WhatsAppClient {
  private readonly base: string;

  constructor(private readonly o: WhatsAppClientOptions) {
    this.base = `${o.apiRoot}/${o.version}/${o.phoneNumberId}`;
  }

  /**
   * Sends one message. `to` is a phone number (wa_id) or, for users known only by their
   * business-scoped user id (`ZA.1234...`, new in 2026), that id, sent as `recipient`.
   * Returns the new message id (`wamid...`).
   */
  async sendMessage(to: string, payload: WhatsAppPayload): Promise<{ messageId: string }> {
    const addressee = /^\d+$/.test(to) ? { to } : { recipient: to };
    const body = JSON.stringify({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      ...addressee,
      ...payload,
    });
    const json = await this.post("messages", body, { "content-type": "application/json" });
    const id = (json as { messages?: { id?: string }[] }).messages?.[0]?.id;
    return { messageId: id ?? "" };
  }

  /**
   * Uploads a file for a later send (Meta keeps it 30 days); returns its media id. Multipart as
   * Meta asks: messaging_product, type (the MIME type) and the file. fetch writes the boundary.
   */
  async uploadMedia(bytes: Uint8Array, mimeType: string, filename: string): Promise<{ mediaId: string }> {
    const form = new FormData();
    form.append("messaging_product", "whatsapp");
    form.append("type", mimeType);
    // A copy: Blob wants bytes over a plain ArrayBuffer, a Node Buffer may sit on a pooled one.
    form.append("file", new Blob([Uint8Array.from(bytes)], { type: mimeType }), filename);
    const json = await this.post("media", form, {});
    const id = (json as { id?: unknown }).id;
    if (typeof id !== "string" || id === "") throw new WhatsAppHttpError("media upload answered without an id");
    return { mediaId: id };
  }

  /** One Graph API call: the JSON answer, or a WhatsAppApiError / WhatsAppHttpError. */
  private async post(
    edge: "messages" | "media",
    body: string | FormData,
    headers: Record<string, string>,
  ): Promise<unknown> {
    let res: Response;
    try {
      const init = {
        method: "POST",
        headers: { authorization: `Bearer ${this.o.token}`, ...headers },
        signal: AbortSignal.timeout(this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      };
      const url = `${this.base}/${edge}`;
      // Node's fetch (undici) keeps connections alive by itself.
      res = await fetch(url, { ...init, body });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
      throw new WhatsAppHttpError(
        timedOut
          ? "request timed out"
          : `network error (${(err as Error)?.cause ?? (err as Error)?.message ?? "unknown"})`,
        { cause: err },
      );
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch (err) {
      // A proxy's HTML error page, a truncated body: not an answer from the Graph API.
      throw new WhatsAppHttpError(`HTTP ${res.status} without a JSON body`, { cause: err });
    }
    const error = (json as { error?: GraphError } | null)?.error;
    if (!res.ok || error) {
      if (!error) throw new WhatsAppHttpError(`HTTP ${res.status} without an error object`);
      const details = error.error_data?.details;
      throw new WhatsAppApiError(
        res.status,
        Number(error.code),
        error.error_subcode,
        [error.message, details].filter(Boolean).join(": "),
        error.fbtrace_id,
      );
    }
    return json ?? {};
  }
}

interface GraphError {
  message?: string;
  type?: string;
  code: number | string;
  error_subcode?: number;
  error_data?: { messaging_product?: string; details?: string };
  fbtrace_id?: string;
}

/** Meta gives no retry-after on WhatsApp; these waits follow its guidance (PLATFORMS.md). */
export const BACKOFF_MS = {
  /** 130429: the number's throughput was exceeded; every send waits. */
  throughput: 2_000,
  /** 131056: too many messages to one user in a short time (about one per 6 s). */
  pair: 6_000,
  /** 131049: Meta held back a marketing message to this user to keep their experience good. */
  userMarketingCap: 24 * 3600_000,
} as const;

/** Delivery failures from sends and from `failed` status webhooks share these codes. */
export function classifyCode(code: number, httpStatus?: number): DeliveryFailure {
  switch (code) {
    case 130429:
      return { status: "rate_limited", retryAfterMs: BACKOFF_MS.throughput, scope: "channel" };
    case 131056:
      return { status: "rate_limited", retryAfterMs: BACKOFF_MS.pair, scope: "user" };
    case 131049:
      return { status: "rate_limited", retryAfterMs: BACKOFF_MS.userMarketingCap, scope: "user" };
    case 131047:
      return { status: "needs_template" };
    case 131026:
      return { status: "gone", reason: "undeliverable (131026)" };
    case 131050:
      return { status: "gone", reason: "user stopped marketing messages (131050)" };
    case 131048:
    case 368:
      return { status: "rejected", reason: `flagged as spam or against policy (${code}): stop and review` };
    case 190:
      return { status: "rejected", reason: "access token invalid or expired (190): check WHATSAPP_TOKEN" };
    case 131000:
    case 131016:
    case 2:
    case 1:
      // Meta's "something went wrong" / "service unavailable" / temporary API errors.
      return { status: "transient", reason: `whatsapp ${code}` };
  }
  if (httpStatus === 401) return { status: "rejected", reason: "401 unauthorized: check WHATSAPP_TOKEN" };
  if (httpStatus !== undefined && httpStatus >= 500)
    return { status: "transient", reason: `whatsapp HTTP ${httpStatus}` };
  return { status: "rejected", reason: `whatsapp ${code}` };
}

export function classify(err: unknown): DeliveryFailure {
  if (err instanceof WhatsAppApiError) return classifyCode(err.code, err.httpStatus);
  if (err instanceof WhatsAppHttpError) return { status: "transient", reason: err.message };
  return { status: "transient", reason: err instanceof Error ? err.name : "unknown" };
}

/** A Graph API call with its failure classified once (DeliveryError); an operator told what only they can mend. */
export async function classified<T>(request: () => Promise<T>, log: Logger): Promise<T> {
  try {
    return await request();
  } catch (err) {
    const failure = classify(err);
    if (needsOperator(err)) log.error({ reason: describe(err) }, "whatsapp: send refused; an operator must act");
    throw new DeliveryError("whatsapp", failure, { cause: err });
  }
}

/** True for failures an operator must look at now (wrong token, spam flags). */
export function needsOperator(err: unknown): boolean {
  return err instanceof WhatsAppApiError && (err.httpStatus === 401 || [190, 131048, 368].includes(err.code));
}

/** An operator-facing description with hints; never the token (it is only in a header). */
export function describe(err: unknown): string {
  if (err instanceof WhatsAppApiError) {
    if (err.httpStatus === 401 || err.code === 190)
      return (
        `WhatsApp says the access token is not valid (${err.code}): WHATSAPP_TOKEN is wrong, expired or revoked. ` +
        "Use a System User token with whatsapp_business_messaging."
      );
    if (err.code === 131048 || err.code === 368)
      return (
        `WhatsApp flagged messages from this number (${err.code}: ${err.description}). ` +
        "Stop proactive sends and check the number's quality rating in WhatsApp Manager."
      );
    if (err.code === 100 && /phone number id|does not exist|Unsupported post request/i.test(err.description))
      return (
        `WhatsApp does not know this sender (${err.description}): ` +
        "check WHATSAPP_PHONE_NUMBER_ID and WHATSAPP_API_VERSION."
      );
    return err.message;
  }
  if (err instanceof WhatsAppHttpError)
    return `Cannot reach the WhatsApp Cloud API (${err.message}); check WHATSAPP_API_ROOT and the network.`;
  return err instanceof Error ? err.message : String(err);
}
