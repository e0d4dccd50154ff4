// The one HTTP server, on Fastify: routing, URL and header parsing, per-route body limits and
// timeouts come from the framework; here are the limits it does not have. A cap on open
// connections (the rest are dropped at once) and on body bytes being read over all requests
// (503 past it), so a crowd of slow or large bodies cannot grow memory without bound. Every
// error, however malformed the request, becomes a short 4xx/5xx answer; nothing thrown here
// leaves the server. Routes come as Fastify plugins from the channels and http/ modules.
import { Transform, pipeline } from "node:stream";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyPluginCallback } from "fastify";
import type { Logger } from "pino";

export interface HttpLimits {
  /** Open connections; past it Node drops new sockets before reading anything. */
  maxConnections: number;
  /** Request body bytes being read at once over all requests; past it, 503. */
  maxBodyBytesInFlight: number;
  /** Default per-request body limit for routes that set none. */
  bodyLimit?: number;
}

export type Plugin = FastifyPluginCallback;

const STATUS_TEXT: Record<number, string> = {
  400: "bad request",
  401: "unauthorized",
  403: "forbidden",
  404: "not found",
  405: "method not allowed",
  408: "request timeout",
  413: "payload too large",
  415: "unsupported media type",
  431: "headers too large",
  503: "busy, try again later",
};

/** An error Fastify turns into this status (hooks and parsers report refusals this way). */
export function httpError(statusCode: number, message = STATUS_TEXT[statusCode] ?? "error"): FastifyError {
  return Object.assign(new Error(message), {
    statusCode,
    code: `BB_HTTP_${statusCode}`,
    name: "HttpRefusal",
  }) as FastifyError;
}

export class HttpServer {
  readonly app: FastifyInstance;
  private bodyBytes = 0;
  private readonly knownPaths = new Set<string>();

  constructor(
    private readonly log: Logger,
    private readonly limits: HttpLimits,
  ) {
    this.app = Fastify({
      // No request log: URLs would reach it, and WhatsApp's verification puts its token in one.
      logger: false,
      bodyLimit: limits.bodyLimit ?? 64 * 1024,
      // A whole request (headers and body) must arrive within 30 s: slow bodies cannot hold a slot.
      requestTimeout: 30_000,
      // Idle sockets (kept alive, or opened and never used) leave after this; they count against the cap.
      connectionTimeout: 30_000,
      keepAliveTimeout: 5_000,
      // Closing answers 503 to requests that still arrive on open connections: platforms redeliver.
      return503OnClosing: true,
      forceCloseConnections: "idle",
    });
    this.app.server.maxConnections = limits.maxConnections;
    this.app.server.headersTimeout = 10_000;
    this.app.addHook("onRoute", (route) => void this.knownPaths.add(route.url ?? route.path));
    this.app.addHook("preParsing", (req, reply, payload, done) => {
      // Reserve what the request says it will send before a byte is buffered; a chunked body
      // (no length) is counted as it arrives. Released when the answer is done or the socket closes.
      let counted = 0;
      const release = () => {
        this.bodyBytes -= counted;
        counted = 0;
      };
      reply.raw.once("close", release);
      const declared = Number(req.headers["content-length"] ?? 0);
      if (req.headers["transfer-encoding"] === undefined) {
        if (!(declared > 0)) return done(null, payload);
        if (this.bodyBytes + declared > this.limits.maxBodyBytesInFlight) return done(this.overBudget(), payload);
        counted = declared;
        this.bodyBytes += declared;
        return done(null, payload);
      }
      const server = this;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, next) {
          counted += chunk.length;
          server.bodyBytes += chunk.length;
          if (server.bodyBytes > server.limits.maxBodyBytesInFlight) return next(server.overBudget());
          next(null, chunk);
        },
      });
      pipeline(payload, counter, () => undefined);
      done(null, counter);
    });
    // An answer given before the body was read (refused from the headers, too large, over budget)
    // closes the connection: the unread bytes are never read, and the socket does not linger.
    this.app.addHook("onSend", (req, reply, body, done) => {
      if (!req.raw.complete) reply.header("connection", "close");
      done(null, body);
    });
    this.app.setErrorHandler((err: FastifyError, req, reply) => {
      const status =
        typeof err.statusCode === "number" && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
      if (status >= 500 && err.code !== "BB_HTTP_503")
        this.log.error({ err, route: req.routeOptions.url }, "http handler failed");
      void reply
        .code(status)
        .type("text/plain; charset=utf-8")
        .send(status >= 500 && status !== 503 ? "internal error" : (STATUS_TEXT[status] ?? "bad request"));
    });
    this.app.setNotFoundHandler((req, reply) => {
      const path = req.url.split("?")[0] ?? "";
      const known = this.knownPaths.has(path);
      void reply
        .code(known ? 405 : 404)
        .type("text/plain; charset=utf-8")
        .send(known ? "method not allowed" : "not found");
    });
  }

  private overBudget(): FastifyError {
    this.log.warn(
      { limitBytes: this.limits.maxBodyBytesInFlight },
      "http: request bodies in flight over the cap; answered 503 (HTTP_MAX_BODY_MB_IN_FLIGHT)",
    );
    return httpError(503);
  }

  /** For /metrics: open connections and body bytes being read now. */
  stats(): Promise<{ connections: number; bodyBytesInFlight: number }> {
    return new Promise((resolve) => {
      this.app.server.getConnections((err, connections) =>
        resolve({ connections: err ? 0 : connections, bodyBytesInFlight: this.bodyBytes }),
      );
    });
  }

  register(plugin: Plugin): this {
    void this.app.register(plugin);
    return this;
  }

  async listen(port: number, host = "0.0.0.0"): Promise<number> {
    await this.app.listen({ port, host });
    const addr = this.app.server.address();
    return typeof addr === "object" && addr ? addr.port : port;
  }

  /**
   * Stops accepting connections and waits for requests in flight, until `deadline` aborts;
   * then every connection is closed, answered or not.
   */
  async close(deadline?: AbortSignal): Promise<void> {
    const force = () => this.app.server.closeAllConnections();
    if (deadline?.aborted) force();
    deadline?.addEventListener("abort", force, { once: true });
    try {
      await this.app.close();
    } finally {
      deadline?.removeEventListener("abort", force);
    }
  }
}
