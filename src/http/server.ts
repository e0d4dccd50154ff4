// One HTTP server for webhooks, /healthz and /metrics. Bodies are read raw (WhatsApp signs the
// raw bytes) and capped per route, so an oversized body is refused before it is buffered.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Logger } from "pino";

export interface HttpRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

export interface HttpResponse {
  status: number;
  body?: string;
  contentType?: string;
  /** Work to do after the answer is sent (WhatsApp: answer 200 at once, process after). */
  after?: () => Promise<void>;
}

export interface Route {
  method: "GET" | "POST";
  path: string;
  /** Largest body accepted, in bytes (default 64 KiB). */
  maxBody?: number;
  handle(req: HttpRequest): Promise<HttpResponse>;
}

export class HttpServer {
  private readonly server: http.Server;
  private readonly routes = new Map<string, Route>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {
    this.server = http.createServer((req, res) => void this.dispatch(req, res));
    this.server.requestTimeout = 30_000;
    this.server.headersTimeout = 10_000;
  }

  add(route: Route): this {
    this.routes.set(`${route.method} ${route.path}`, route);
    return this;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const route = this.routes.get(`${req.method} ${url.pathname}`);
    if (!route) {
      const known = [...this.routes.values()].some((r) => r.path === url.pathname);
      return send(res, { status: known ? 405 : 404, body: known ? "method not allowed" : "not found" });
    }
    const limit = route.maxBody ?? 64 * 1024;
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) {
      req.resume();
      return send(res, { status: 413, body: "payload too large" }, true);
    }
    let body: Buffer;
    try {
      body = await readBody(req, limit);
    } catch {
      return send(res, { status: 413, body: "payload too large" }, true);
    }
    let answer: HttpResponse;
    try {
      answer = await route.handle({ method: req.method!, path: url.pathname, query: url.searchParams, headers: req.headers, body });
    } catch (err) {
      this.log.error({ err, path: url.pathname }, "http handler failed");
      answer = { status: 500, body: "internal error" };
    }
    send(res, answer);
    if (answer.after) {
      const p = answer.after().catch((err) => this.log.error({ err, path: url.pathname }, "webhook processing failed"));
      this.pending.add(p);
      void p.finally(() => this.pending.delete(p));
    }
  }

  listen(port: number, host = "0.0.0.0"): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        const addr = this.server.address();
        resolve(typeof addr === "object" && addr ? addr.port : port);
      });
    });
  }

  /** Stops accepting connections and waits for work accepted before. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections?.();
    await Promise.allSettled([...this.pending]);
  }
}

function send(res: ServerResponse, r: HttpResponse, close = false): void {
  res.statusCode = r.status;
  res.setHeader("content-type", r.contentType ?? "text/plain; charset=utf-8");
  if (close) res.setHeader("connection", "close");
  res.end(r.body ?? "");
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new Error("too large"));
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
