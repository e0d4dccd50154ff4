// The lean keep-alive fetch the platform clients send with (src/channels/keepalive.ts), against a
// real node:http server on 127.0.0.1: bodies arrive whole, one socket serves many requests, a
// hung answer is abandoned at the signal, an answer too large is refused.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { keepAliveFetch } from "../src/channels/keepalive.js";

let server: http.Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(handler: http.RequestListener): Promise<string> {
  server = http.createServer(handler);
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("keepAliveFetch", () => {
  it("posts string and stream bodies whole and reuses one socket", async () => {
    const sockets = new Set<unknown>();
    const url = await serve((req, res) => {
      sockets.add(req.socket);
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ got: body, type: req.headers["content-type"] }));
      });
    });
    const f = keepAliveFetch();
    const json = { "content-type": "application/json" };
    const a = await f(`${url}/x`, { method: "POST", headers: json, body: '{"text":"héllo"}' });
    expect(a.ok).toBe(true);
    expect(await a.json()).toEqual({ got: '{"text":"héllo"}', type: "application/json" });
    const parts = Readable.from([Buffer.from("part one, "), Buffer.from("part two")]);
    const b = await f(`${url}/y`, { method: "POST", body: parts });
    expect(await b.json()).toMatchObject({ got: "part one, part two" });
    for (let i = 0; i < 5; i++) await (await f(`${url}/z`, { method: "POST", body: String(i) })).text();
    expect(sockets.size).toBe(1);
    f.destroy();
  });

  it("gives the status of an error answer, and a body that is not JSON fails json()", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(502);
      res.end("<html>bad gateway</html>");
    });
    const f = keepAliveFetch();
    const res = await f(url, { method: "POST", body: "{}" });
    expect(res.status).toBe(502);
    expect(res.ok).toBe(false);
    await expect(res.json()).rejects.toThrow();
    f.destroy();
  });

  it("abandons a hung request when its signal aborts, with the signal's reason", async () => {
    const url = await serve(() => undefined);
    const f = keepAliveFetch();
    const err = await f(url, { method: "POST", body: "{}", signal: AbortSignal.timeout(100) }).catch((e: Error) => e);
    expect((err as Error).name).toBe("TimeoutError");
    f.destroy();
  });

  it("refuses an answer larger than 8 MiB instead of holding it", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(1024 * 1024, 97);
      let n = 0;
      const more = () => {
        while (n < 20 && res.write(chunk)) n++;
        if (n < 20) res.once("drain", () => (n++, more()));
        else res.end();
      };
      res.on("error", () => undefined);
      more();
    });
    const f = keepAliveFetch();
    await expect(f(url, { method: "POST", body: "{}" })).rejects.toThrow(/larger than/);
    f.destroy();
  });
});
