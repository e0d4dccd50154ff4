// A fake WhatsApp Cloud API (Graph API) on 127.0.0.1: POST /{version}/{phone_number_id}/messages
// with a Bearer token; records every send and can inject Meta's errors (130429, 131047, 131026,
// 131056, 500...) for chosen recipients. POST /{version}/{phone_number_id}/media takes an upload
// as Meta does (multipart: messaging_product, type, file), keeps its bytes and answers a media id;
// errors can be injected there too (`edge: "media"`). Also builds webhook payloads in Meta's shapes (from the
// fixtures in test/fixtures/whatsapp/), signed as Meta signs them, and posts them to the bot.
import { createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export { choiceIds, seen } from "./whatsapp-views.js";

export const WA = {
  token: "EAAG-fake-token",
  phoneNumberId: "106540352242922",
  appSecret: "fake-app-secret-123",
  verifyToken: "fake-verify-token",
  version: "v26.0",
} as const;

/** Env for startTestBot: turns the WhatsApp channel on against this fake. */
export function whatsappEnv(fake: FakeWhatsApp, extra: Record<string, string> = {}): Record<string, string> {
  return {
    WHATSAPP_TOKEN: WA.token,
    WHATSAPP_PHONE_NUMBER_ID: WA.phoneNumberId,
    WHATSAPP_APP_SECRET: WA.appSecret,
    WHATSAPP_VERIFY_TOKEN: WA.verifyToken,
    WHATSAPP_API_ROOT: fake.url,
    WHATSAPP_API_VERSION: WA.version,
    ...extra,
  };
}

export interface Sent {
  to: string;
  payload: Record<string, unknown>;
  at: number;
}

export interface Upload {
  id: string;
  /** The `type` field (a MIME type) and the file part's own type and name. */
  type: string;
  fileType: string;
  filename: string;
  bytes: Buffer;
  at: number;
}

export interface Injected {
  /** Meta's error code; 500 means an HTTP 500 without a Graph error object. */
  code: number;
  /** Which call fails: sends (the default) or media uploads. */
  edge?: "messages" | "media";
  to?: string;
  /** Only sends of this type ("text", "interactive", "template"). */
  type?: string;
  times: number;
}

const MESSAGES = new Map<number, string>([
  [130429, "Rate limit hit"],
  [131047, "Re-engagement message"],
  [131026, "Message undeliverable"],
  [131056, "(Business Account, Consumer Account) pair rate limit hit"],
  [131049, "This message was not delivered to maintain healthy ecosystem engagement."],
  [131050, "User has stopped marketing messages"],
  [190, "Invalid OAuth access token"],
]);

export class FakeWhatsApp {
  readonly sent: Sent[] = [];
  /** Refused sends, for asserting what was tried. */
  readonly refused: (Sent & { code: number })[] = [];
  /** Accepted media uploads, with their bytes. */
  readonly uploads: Upload[] = [];
  /** Refused uploads (injected errors), for asserting that one was tried. */
  readonly refusedUploads: { code: number; at: number }[] = [];
  private injected: Injected[] = [];
  private server: http.Server | undefined;
  url = "";
  private seq = 0;
  /** Called for every accepted send (benchmarks wait on replies with it). */
  onSend: ((s: Sent) => void) | undefined = undefined;
  /** Simulated processing time per send, so that concurrent sends overlap and can be counted. */
  delayMs = 0;
  /** Sends being answered right now, and the most there ever were at once. */
  inFlight = 0;
  maxInFlight = 0;
  private held: Promise<void> | undefined;

  /** Holds every send unanswered until the returned function is called (a platform that stalls). */
  hold(): () => void {
    let release: () => void = () => undefined;
    this.held = new Promise<void>((r) => (release = r));
    return () => {
      this.held = undefined;
      release();
    };
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.onRequest(req, res));
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  fail(f: Omit<Injected, "times"> & { times?: number }): void {
    this.injected.push({ times: 1, ...f });
  }

  sentTo(to: string): Sent[] {
    return this.sent.filter((s) => s.to === to);
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.held;
      if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
      await this.answer(req, res);
    } finally {
      this.inFlight--;
    }
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const graphError = (status: number, code: number) =>
      reply(status, {
        error: {
          message: MESSAGES.get(code) ?? "error",
          type: "OAuthException",
          code,
          error_data: { messaging_product: "whatsapp", details: MESSAGES.get(code) ?? "" },
          fbtrace_id: "Afake",
        },
      });
    if (req.method === "POST" && req.url === `/${WA.version}/${WA.phoneNumberId}/media`) {
      if (req.headers.authorization !== `Bearer ${WA.token}`) return graphError(401, 190);
      return this.upload(req.headers["content-type"] ?? "", Buffer.concat(chunks), reply, graphError);
    }
    if (req.method !== "POST" || req.url !== `/${WA.version}/${WA.phoneNumberId}/messages`) return graphError(400, 100);
    if (req.headers.authorization !== `Bearer ${WA.token}`) return graphError(401, 190);
    const payload = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
    const to = String(payload.to ?? payload.recipient);
    const sent = { to, payload, at: Date.now() };
    const inj = this.injected.find(
      (f) =>
        f.times > 0 &&
        (f.edge ?? "messages") === "messages" &&
        (!f.to || f.to === to) &&
        (!f.type || f.type === payload.type),
    );
    if (inj) {
      inj.times--;
      this.refused.push({ ...sent, code: inj.code });
      if (inj.code >= 500 && inj.code < 600)
        return reply(inj.code, { error: { message: "Service temporarily unavailable", code: 2, fbtrace_id: "Afake" } });
      return graphError(inj.code === 190 ? 401 : 400, inj.code);
    }
    if (payload.messaging_product !== "whatsapp") return graphError(400, 100);
    // A picture is sent by the id of an earlier upload; Meta refuses an id it does not know.
    const p = payload as {
      image?: { id?: string };
      document?: { id?: string };
      interactive?: { header?: { image?: { id?: string } } };
    };
    const mediaId =
      payload.type === "image"
        ? p.image?.id
        : payload.type === "document"
          ? p.document?.id
          : p.interactive?.header?.image?.id;
    const byId = payload.type === "image" || payload.type === "document" || mediaId !== undefined;
    if (byId && !this.uploads.some((u) => u.id === mediaId)) return graphError(400, 100);
    this.sent.push(sent);
    this.onSend?.(sent);
    reply(200, {
      messaging_product: "whatsapp",
      contacts: [{ input: to, wa_id: to }],
      messages: [{ id: `wamid.fake${++this.seq}` }],
    });
  }

  /** An upload as Meta checks it: multipart with messaging_product=whatsapp, a supported type, and a non-empty file. */
  private async upload(
    contentType: string,
    body: Buffer,
    reply: (status: number, body: unknown) => void,
    graphError: (status: number, code: number) => void,
  ): Promise<void> {
    const inj = this.injected.find((f) => f.times > 0 && f.edge === "media");
    if (inj) {
      inj.times--;
      this.refusedUploads.push({ code: inj.code, at: Date.now() });
      if (inj.code >= 500 && inj.code < 600)
        return reply(inj.code, { error: { message: "Service temporarily unavailable", code: 2, fbtrace_id: "Afake" } });
      return graphError(inj.code === 190 ? 401 : 400, inj.code);
    }
    if (!contentType.startsWith("multipart/form-data")) return graphError(400, 100);
    // Node's own multipart parser (undici, behind Response.formData): binary parts arrive intact.
    const form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } })
      .formData()
      .catch(() => undefined);
    const file = form?.get("file");
    const type = form?.get("type");
    if (
      !form ||
      form.get("messaging_product") !== "whatsapp" ||
      typeof type !== "string" ||
      !MEDIA_TYPES.has(type) ||
      !file ||
      typeof file === "string"
    ) {
      return graphError(400, 100);
    }
    const bytes = Buffer.from(await file.arrayBuffer());
    if (bytes.length === 0 || bytes.length > 5 * 1024 * 1024) return graphError(400, 131053);
    const id = String(1_000_000_000_000 + this.uploads.length + 1);
    this.uploads.push({ id, type, fileType: file.type, filename: file.name, bytes, at: Date.now() });
    reply(200, { id });
  }
}

/** The media types Meta takes (5 MB at most) that the bot uploads: charts, and the data export as text. */
const MEDIA_TYPES = new Set(["image/png", "image/jpeg", "text/plain"]);

// ---- webhook payloads (Meta's shapes, from the fixtures) ----

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/whatsapp");
type Payload = {
  object: string;
  entry: { id: string; changes: { value: Record<string, unknown>; field: string }[] }[];
};

export function fixture(name: "text" | "button_reply" | "list_reply" | "status_failed" | "status_delivered"): Payload {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), "utf8")) as Payload;
}

export interface MessageOpts {
  id?: string;
  /** Seconds since epoch (Meta's unit). */
  timestamp?: number;
  userId?: string;
}

function newId(): string {
  return `wamid.${randomBytes(12).toString("base64url")}`;
}

/** One user message: the fixture's envelope with this sender and content. */
function message(
  kind: "text" | "button_reply" | "list_reply",
  from: string,
  patch: Record<string, unknown>,
  o: MessageOpts,
): Payload {
  const p = fixture(kind);
  const value = p.entry[0]!.changes[0]!.value;
  const userId = o.userId ?? `ZA.${from}`;
  value.contacts = [{ profile: { name: `User ${from}` }, wa_id: from, user_id: userId }];
  const m = (value.messages as Record<string, unknown>[])[0]!;
  Object.assign(
    m,
    {
      from,
      from_user_id: userId,
      id: o.id ?? newId(),
      timestamp: String(o.timestamp ?? Math.floor(Date.now() / 1000)),
    },
    patch,
  );
  return p;
}

export function textMessage(from: string, body: string, o: MessageOpts = {}): Payload {
  return message("text", from, { text: { body } }, o);
}

export function buttonReply(from: string, id: string, title: string, o: MessageOpts = {}): Payload {
  return message("button_reply", from, { interactive: { type: "button_reply", button_reply: { id, title } } }, o);
}

export function listReply(from: string, id: string, title: string, o: MessageOpts = {}): Payload {
  return message(
    "list_reply",
    from,
    { interactive: { type: "list_reply", list_reply: { id, title, description: "" } } },
    o,
  );
}

/** Any other message type (image, sticker, location, reaction...). */
export function otherMessage(from: string, type: string, o: MessageOpts = {}): Payload {
  const p = message("text", from, { type, [type]: { id: "media-1" } }, o);
  delete (p.entry[0]!.changes[0]!.value.messages as Record<string, unknown>[])[0]!.text;
  return p;
}

export function failedStatus(recipient: string, code: number): Payload {
  const p = fixture("status_failed");
  const s = (p.entry[0]!.changes[0]!.value.statuses as Record<string, unknown>[])[0]!;
  Object.assign(s, {
    id: newId(),
    recipient_id: recipient,
    errors: [{ code, title: MESSAGES.get(code) ?? "error", message: MESSAGES.get(code) ?? "error" }],
  });
  return p;
}

/** Several payloads' messages and statuses in one webhook body (Meta batches them). */
export function batch(...payloads: Payload[]): Payload {
  const [first, ...rest] = payloads.map((p) => structuredClone(p));
  const value = first!.entry[0]!.changes[0]!.value;
  for (const p of rest) {
    const v = p.entry[0]!.changes[0]!.value;
    for (const k of ["contacts", "messages", "statuses"] as const) {
      if (v[k]) value[k] = [...((value[k] as unknown[]) ?? []), ...(v[k] as unknown[])];
    }
  }
  return first!;
}

export function sign(body: string | Buffer, secret: string = WA.appSecret): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** POSTs a body to the bot's webhook; signed with the app secret unless `signature` says otherwise. */
export async function postWebhook(
  port: number,
  body: Payload | string | Buffer,
  o: { signature?: string | null } = {},
): Promise<{ status: number; text: string }> {
  const raw = typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const headers: Record<string, string> = { "content-type": "application/json" };
  const signature = o.signature === undefined ? sign(raw) : o.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  const res = await fetch(`http://127.0.0.1:${port}/whatsapp/webhook`, {
    method: "POST",
    headers,
    body: typeof raw === "string" ? raw : new Uint8Array(raw),
  });
  return { status: res.status, text: await res.text() };
}
