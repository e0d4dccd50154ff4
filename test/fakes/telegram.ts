// A fake Telegram Bot API on 127.0.0.1: serves getMe and getUpdates (long polling, offsets),
// records every other call (uploads with their bytes: a photo's PNG, a document), and can inject the platform's errors (429 with retry_after, 403
// blocked, 5xx, 409 conflict, 400 or 404 for a method it refuses or lacks) for chosen methods
// and chats, hang without answering, or drop the connection without a word.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Update } from "grammy/types";
import { eventually } from "../helpers/redis.js";
import { parseParams, type Uploaded } from "./multipart.js";

export type { Uploaded } from "./multipart.js";

export const FAKE_TOKEN = "123456:TEST-fake-token_abc";

export interface Call {
  method: string;
  params: Record<string, unknown>;
  at: number;
  /** A hung request (`hangMs`) that the client gave up on (its timeout) before the fake answered. */
  abandoned?: boolean;
}

export interface Failure {
  method: string | "*";
  code: number;
  description: string;
  retryAfter?: number;
  /** Only calls whose chat_id is in this list (as strings). */
  chats?: string[];
  /** How many times to fail; Infinity for "until cleared". */
  times: number;
  /** A hung platform: hold the request this long (or until the client gives up), then answer with `code`. */
  hangMs?: number;
  /** A broken network: close the connection without answering (`code` is not used). */
  drop?: boolean;
}

export class FakeTelegram {
  readonly calls: Call[] = [];
  private updates: Update[] = [];
  private nextUpdateId = 1000;
  private waiters: (() => void)[] = [];
  private failures: Failure[] = [];
  private server: http.Server | undefined;
  url = "";
  botInfo = {
    id: 123456,
    is_bot: true as const,
    first_name: "Bounce Back",
    username: "bounce_back_test_bot",
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
  };
  /** Called for every recorded call (benchmarks wait on replies with it). */
  onCall: ((call: Call) => void) | undefined = undefined;
  /** Simulated processing time per call, to make latency measurable in benchmarks. */
  delayMs = 0;
  /** While set, every call but getUpdates waits for it before it is answered (a test's gate). */
  hold: Promise<void> | undefined = undefined;
  /** How long getUpdates holds when empty (ms); grammY asks for 30 s, tests need less. */
  longPollMs = 200;
  /** Telegram's rule for two pollers of one token: a new getUpdates ends the waiting one with 409. */
  exclusivePolling = false;
  conflicts = 0;
  /** The highest getUpdates offset asked for: every update below it is confirmed, never sent again. */
  confirmedOffset = 0;
  private pollWaiting: (() => void) | undefined;

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.onRequest(req, res));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.waiters.splice(0).forEach((w) => w());
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  /** Queues an update for getUpdates; returns it (with its update_id). */
  push(update: Omit<Update, "update_id"> & { update_id?: number }): Update {
    const u = { ...update, update_id: update.update_id ?? this.nextUpdateId++ } as Update;
    this.updates.push(u);
    this.waiters.splice(0).forEach((w) => w());
    return u;
  }

  text(userId: number, text: string, extra: Partial<Update["message"]> = {}): Update {
    return this.push({ message: message(userId, { text, ...extra }) as Update["message"] });
  }

  press(userId: number, data: string): Update {
    return this.push({
      callback_query: {
        id: `cb${this.nextUpdateId}`,
        from: user(userId),
        chat_instance: "ci",
        data,
        message: message(userId, { text: "..." }) as never,
      },
    });
  }

  /** The user writes `text`; resolves with the bot's next `n` messages to them. */
  say(userId: number, text: string, n = 1, timeoutMs = 15_000): Promise<string[]> {
    return this.awaitReplies(userId, () => this.text(userId, text), n, timeoutMs, `${n} replies to "${text}"`);
  }

  /** The user taps the button with callback data `data`; resolves with the bot's next `n` messages. */
  tap(userId: number, data: string, n = 1, timeoutMs = 15_000): Promise<string[]> {
    return this.awaitReplies(userId, () => this.press(userId, data), n, timeoutMs, `${n} answers to ${data}`);
  }

  private async awaitReplies(
    userId: number,
    act: () => void,
    n: number,
    timeoutMs: number,
    what: string,
  ): Promise<string[]> {
    const before = this.sent(userId).length;
    act();
    await eventually(() => this.sent(userId).length >= before + n, timeoutMs, what);
    return this.texts(userId).slice(before);
  }

  fail(f: Omit<Failure, "times"> & { times?: number }): void {
    this.failures.push({ times: 1, ...f });
  }

  clearFailures(): void {
    this.failures = [];
  }

  sent(chatId?: number | string): Call[] {
    return this.calls.filter(
      (c) => SENDS.has(c.method) && (chatId === undefined || String(c.params.chat_id) === String(chatId)),
    );
  }

  /** The photos sent to a chat, with their bytes as uploaded and their caption. */
  photos(chatId: number | string): { png: Buffer; caption?: string; call: Call }[] {
    return this.sent(chatId)
      .filter((c) => c.method === "sendPhoto")
      .map((call) => ({
        png: uploaded(call, "photo")!.bytes,
        caption: call.params.caption as string | undefined,
        call,
      }));
  }

  texts(chatId: number | string): string[] {
    return this.sent(chatId).map((c) => String(c.params.text ?? c.params.caption ?? ""));
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? "");
    const body = await new Promise<Buffer>((r) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => r(Buffer.concat(chunks)));
    });
    const reply = (status: number, payload: unknown) => {
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(payload));
    };
    if (!m || m[1] !== FAKE_TOKEN) return reply(401, { ok: false, error_code: 401, description: "Unauthorized" });
    const method = m[2]!;
    const params = parseParams(req.headers["content-type"] ?? "", body);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.hold && method !== "getUpdates") await this.hold;

    const failure = this.failures.find(
      (f) =>
        f.times > 0 &&
        (f.method === "*" || f.method === method) &&
        (!f.chats || f.chats.includes(String(params.chat_id))),
    );
    if (failure) {
      failure.times--;
      const refused = { method: `!${method}`, params, at: Date.now() };
      this.calls.push(refused);
      this.onCall?.(refused);
      if (failure.drop) return void req.socket.destroy();
      if (failure.hangMs) {
        await new Promise<void>((r) => {
          const timer = setTimeout(r, failure.hangMs);
          // The response's close: the client hung up (grammY's timeout aborted the request).
          res.on("close", () => {
            if (!res.writableEnded) (refused as Call).abandoned = true;
            clearTimeout(timer);
            r();
          });
        });
      }
      return reply(failure.code, {
        ok: false,
        error_code: failure.code,
        description: failure.description,
        ...(failure.retryAfter !== undefined ? { parameters: { retry_after: failure.retryAfter } } : {}),
      });
    }

    switch (method) {
      case "getMe":
        return reply(200, { ok: true, result: this.botInfo });
      case "getUpdates": {
        // As Telegram does: a newer getUpdates ends a waiting one with 409.
        if (this.exclusivePolling) this.pollWaiting?.();
        const offset = Number(params.offset ?? 0);
        this.confirmedOffset = Math.max(this.confirmedOffset, offset);
        this.updates = this.updates.filter((u) => u.update_id >= offset);
        let conflict = false;
        if (this.updates.length === 0) {
          await new Promise<void>((r) => {
            const timer = setTimeout(r, this.longPollMs);
            this.waiters.push(() => (clearTimeout(timer), r()));
            req.on("close", () => (clearTimeout(timer), r()));
            if (this.exclusivePolling) this.pollWaiting = () => ((conflict = true), clearTimeout(timer), r());
          });
        }
        if (conflict) {
          this.conflicts++;
          return reply(409, {
            ok: false,
            error_code: 409,
            description:
              "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
          });
        }
        const limit = Number(params.limit ?? 100);
        return reply(200, { ok: true, result: this.updates.slice(0, limit) });
      }
      default: {
        const call = { method, params, at: Date.now() };
        this.calls.push(call);
        this.onCall?.(call);
        if (method === "sendPhoto" && !uploaded(call, "photo")?.bytes.length) {
          return reply(400, {
            ok: false,
            error_code: 400,
            description: "Bad Request: there is no photo in the request",
          });
        }
        const result = SENDS.has(method)
          ? {
              message_id: this.calls.length,
              date: Math.floor(Date.now() / 1000),
              chat: { id: Number(params.chat_id), type: "private" },
              text: params.text,
            }
          : true;
        return reply(200, { ok: true, result });
      }
    }
  }
}

const SENDS = new Set(["sendMessage", "sendDocument", "sendPhoto"]);

/** The file a call uploaded as `field` (grammY may send it under another name, referred to as `attach://name`). */
export function uploaded(call: Call, field: string): Uploaded | undefined {
  const ref = call.params[field];
  const file =
    typeof ref === "string" && ref.startsWith("attach://") ? call.params[ref.slice("attach://".length)] : ref;
  return file && typeof file === "object" && "bytes" in file ? (file as Uploaded) : undefined;
}

function user(id: number) {
  return { id, is_bot: false, first_name: `User${id}`, language_code: "en" };
}

function message(userId: number, extra: Record<string, unknown>) {
  return {
    message_id: Math.floor(Math.random() * 1e6),
    date: Math.floor(Date.now() / 1000),
    chat: { id: userId, type: "private", first_name: "U" },
    from: user(userId),
    ...extra,
  };
}
