// Media on WhatsApp: a chart, and a file (the /mydata export). A chart is drawn here at send time (a Reply carries only its spec), uploaded to
// Meta's media endpoint, then sent by its media id (renderChart). Whatever fails on the picture's
// side (it cannot be drawn, the upload fails after the reply's retries, Meta refuses the image
// message) sends the chart's text instead, so the user loses nothing; a failure the text would
// meet too (the user gone, a rate limit, an outage) is thrown for the caller, as for any reply.
// Charts only ever come as answers, inside the 24-hour window: none is proactive, so no template.
import type { PictureOutcome } from "../../charts/render.js";
import type { ChartSpec } from "../../core/chart.js";
import { DeliveryError } from "../../core/ports/delivery.js";
import { chartAsText, type ChartReply, type Reply } from "../../core/types.js";

type DocumentReply = Extract<Reply, { kind: "document" }>;
import type { Logger } from "../../log.js";
import { needsOperator, type WhatsAppPayload } from "./client.js";
import { renderChart, renderReply, type RenderOptions } from "./outbound.js";

export interface MediaSender {
  picture(spec: ChartSpec): Promise<PictureOutcome>;
  /** Uploads the bytes with the reply's retries and returns the media id; throws DeliveryError. */
  upload(bytes: Uint8Array, type: string, filename: string): Promise<string>;
  /** Sends one payload with the reply's retries; throws DeliveryError. */
  send(payload: WhatsAppPayload): Promise<void>;
  render: RenderOptions;
  /** Bound to the user (a keyed hash); never given the chart's words. */
  log: Logger;
}

export async function sendChart(reply: ChartReply, o: MediaSender): Promise<void> {
  const asText = async (why: string, err: unknown) => {
    o.log.warn({ err, chart: reply.spec.kind }, `whatsapp: ${why}; sending the chart as text`);
    for (const payload of renderReply(chartAsText(reply), o.render)) await o.send(payload);
  };
  const picture = await o.picture(reply.spec);
  if (picture.status === "text_only") return asText("the chart could not be drawn", picture.cause);
  let mediaId: string;
  try {
    mediaId = await o.upload(picture.png, "image/png", "chart.png");
  } catch (err) {
    return asText("the chart's upload failed", err);
  }
  const [first, ...rest] = renderChart(reply, mediaId, o.render);
  try {
    await o.send(first!);
  } catch (err) {
    // Refused for what it is (an image or an image header Meta will not take): the text will do.
    if (!refusedForWhatItIs(err)) throw err;
    return asText("the chart's image message was refused", err);
  }
  for (const payload of rest) await o.send(payload);
}

/**
 * A file (the /mydata export): uploaded as plain text (WhatsApp's document types include no JSON;
 * the filename keeps .json), then sent by its media id. A failed upload, or a document Meta
 * refuses for what it is, sends the reply's fallback text instead.
 */
export async function sendDocument(reply: DocumentReply, o: MediaSender): Promise<void> {
  const asText = async () => {
    for (const payload of renderReply(reply, o.render)) await o.send(payload);
  };
  let id: string;
  try {
    id = await o.upload(new TextEncoder().encode(reply.content), "text/plain", reply.filename);
  } catch {
    return asText();
  }
  try {
    await o.send({ type: "document", document: { id, filename: reply.filename, caption: reply.caption } });
  } catch (err) {
    if (!refusedForWhatItIs(err)) throw err;
    await asText();
  }
}

/** Meta refused the message for what it carries (not the user gone, a rate limit or our setup). */
function refusedForWhatItIs(err: unknown): boolean {
  return err instanceof DeliveryError && err.failure.status === "rejected" && !needsOperator(err.cause);
}
