// Request bodies as the fake Bot API reads them: JSON, URL-encoded, or multipart (grammY's uploads),
// the multipart split on the bytes so that a photo's PNG arrives exactly as sent.

/** A file as the fake received it: `content` as UTF-8 text (a document), `bytes` exactly as sent. */
export interface Uploaded {
  filename: string;
  type: string;
  content: string;
  bytes: Buffer;
}

export function parseParams(contentType: string, body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  if (contentType.includes("application/json")) return JSON.parse(body.toString("utf8")) as Record<string, unknown>;
  if (contentType.includes("multipart/form-data")) {
    const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
    const out: Record<string, unknown> = {};
    for (const part of boundary ? multipartParts(body, boundary) : []) {
      const name = /name="([^"]+)"/.exec(part.head)?.[1];
      if (!name) continue;
      const filename = /filename="?([^";\r\n]+)"?/.exec(part.head)?.[1]; // grammY writes it unquoted
      if (filename) {
        const type = /content-type:\s*([^\r\n]+)/i.exec(part.head)?.[1] ?? "";
        out[name] = { filename, type, content: part.body.toString("utf8"), bytes: part.body } satisfies Uploaded;
      } else {
        // grammY writes objects (reply_markup) as JSON in a multipart field: read them back as objects.
        const value = part.body.toString("utf8");
        out[name] = name === "reply_markup" ? JSON.parse(value) : value;
      }
    }
    return out;
  }
  return Object.fromEntries(new URLSearchParams(body.toString("utf8")));
}

/**
 * The parts of a multipart body, split on the bytes (a PNG must arrive intact): Node's own parser
 * (undici's Response.formData) refuses grammY's unquoted `filename=`, which Telegram accepts.
 */
function multipartParts(body: Buffer, boundary: string): { head: string; body: Buffer }[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: { head: string; body: Buffer }[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    // Each part: CRLF, headers, CRLF CRLF, the bytes, CRLF before the next delimiter.
    const part = body.subarray(start + 2, next - 2);
    const split = part.indexOf("\r\n\r\n");
    if (split !== -1)
      parts.push({ head: part.subarray(0, split).toString("utf8"), body: Buffer.from(part.subarray(split + 4)) });
    at = next;
  }
  return parts;
}
