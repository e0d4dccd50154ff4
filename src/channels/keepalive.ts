// A small fetch over node:http(s) with a keep-alive Agent per client, for the WhatsApp client's
// sends (issue 14.4): Node's own fetch (undici) cost about 730 µs of CPU a message where a bare
// keep-alive node:http request cost about 260 µs (issue 14's floor measurements). It implements
// only what a JSON POST needs (a string or Buffer body, or a Node stream), an AbortSignal, and an
// answer read whole as text or JSON; FormData (the media upload) still goes to the global fetch.
// The answer is read with a size cap, so a misbehaving server cannot fill memory. grammY keeps its
// own client (node-fetch over a keep-alive Agent): handing it this one measured no different.
import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";

/** A Graph API or Bot API answer is a few kB; a body past this is not one. */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

export interface KeepAliveResponse {
  readonly status: number;
  readonly ok: boolean;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

export interface KeepAliveInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer | Uint8Array | Readable | null;
  signal?: AbortSignal | null;
}

export interface KeepAliveFetchOptions {
  /**
   * Open sockets per origin at most, all kept open when idle (default 64): more requests wait for
   * a socket. Each new connection costs more CPU than the request it carries on loopback.
   */
  maxSockets?: number;
}

export type KeepAliveFetch = ((url: string | URL, init?: KeepAliveInit) => Promise<KeepAliveResponse>) & {
  /** Closes the idle sockets (at shutdown). */
  destroy(): void;
};

/** A fetch with its own keep-alive agents (one for http:, one for https:). */
export function keepAliveFetch(o: KeepAliveFetchOptions = {}): KeepAliveFetch {
  const max = o.maxSockets ?? 64;
  const opts = { keepAlive: true, maxSockets: max, maxFreeSockets: max, scheduling: "lifo" as const };
  const agents = { http: new http.Agent(opts), https: new https.Agent(opts) };
  const f = (input: string | URL, init: KeepAliveInit = {}) =>
    request(typeof input === "string" ? new URL(input) : input, init, agents);
  return Object.assign(f, {
    destroy: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  });
}

type Agents = { http: http.Agent; https: https.Agent };

function request(url: URL, init: KeepAliveInit, agents: Agents): Promise<KeepAliveResponse> {
  return new Promise((resolve, reject) => {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return reject(abortError(signal));
    const body = init.body ?? undefined;
    const headers: Record<string, string | number> = { ...init.headers };
    if (typeof body === "string") headers["content-length"] = Buffer.byteLength(body);
    else if (body instanceof Uint8Array) headers["content-length"] = body.byteLength;
    const lib = url.protocol === "https:" ? https : http;
    const agent = url.protocol === "https:" ? agents.https : agents.http;
    const req = lib.request(url, { method: init.method ?? "GET", headers, agent });
    const onAbort = () => req.destroy(abortError(signal!));
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => signal?.removeEventListener("abort", onAbort);
    req.on("error", (err) => {
      done();
      reject(err);
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > MAX_ANSWER_BYTES) return void req.destroy(new Error(`answer larger than ${MAX_ANSWER_BYTES} bytes`));
        chunks.push(c);
      });
      res.on("error", (err) => {
        done();
        reject(err);
      });
      res.on("end", () => {
        done();
        const text = Buffer.concat(chunks).toString("utf8");
        const status = res.statusCode ?? 0;
        resolve({
          status,
          ok: status >= 200 && status < 300,
          text: () => Promise.resolve(text),
          json: () => new Promise((ok, fail) => {
            try {
              ok(JSON.parse(text));
            } catch (err) {
              fail(err);
            }
          }),
        });
      });
    });
    if (body instanceof Readable) {
      body.on("error", (err) => req.destroy(err));
      body.pipe(req);
    } else req.end(body);
  });
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const err = new Error("the request was aborted");
  err.name = "AbortError";
  return err;
}
