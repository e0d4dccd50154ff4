// The real HTTP server (src/http/server.ts) with one plugin, driven in process through Fastify's
// inject (no socket), for tests of a route's decisions; raw HTTP over node:net for tests of what
// a socket sees (malformed request lines, answers before a body is sent).
import net from "node:net";
import { HttpServer, type HttpLimits, type Plugin } from "../../src/http/server.js";
import { silentLog } from "./bot.js";

export async function injectable(plugin: Plugin, limits: Partial<HttpLimits> = {}): Promise<HttpServer> {
  const server = new HttpServer(silentLog, {
    maxConnections: 100,
    maxBodyBytesInFlight: 64 * 1024 * 1024,
    ...limits,
  }).register(plugin);
  await server.app.ready();
  return server;
}

export interface RawAnswer {
  /** The status from the first line, or undefined when the server closed without a word. */
  status: number | undefined;
  head: string;
}

/**
 * Sends `request` as raw bytes and resolves with the answer's status line once one has come (or
 * the socket closed). The socket stays open and unfinished: a server that waited for more bytes
 * would never answer, and the test would time out.
 */
export function rawRequest(
  port: number,
  request: string | Buffer,
  o: { keepOpen?: boolean } = {},
): Promise<RawAnswer & { socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let got = "";
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      const head = got.split("\r\n\r\n")[0] ?? "";
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      resolve({ status: m ? Number(m[1]) : undefined, head, socket });
      if (!o.keepOpen) socket.destroy();
    };
    socket.once("connect", () => socket.write(request));
    socket.on("data", (d: Buffer) => {
      got += d.toString("latin1");
      if (got.includes("\r\n\r\n")) settle();
    });
    socket.once("close", settle);
    socket.once("error", (err) => (settled ? undefined : got ? settle() : reject(err)));
  });
}
