// What the /broadcast flow needs from the broadcast service (src/schedule/broadcast.ts),
// without knowing Redis or BullMQ.
import type { ChannelName, UserKey } from "../types.js";

/** Daily subscribers of one channel, or of every channel this deployment runs. */
export type Audience = ChannelName | "all";

export interface BroadcastProgress {
  id: string;
  audience: Audience;
  /**
   * queuing: jobs are still being added; sending: all added, some not yet accounted for;
   * finished: every recipient sent, failed or skipped; cancelled: stopped by an operator.
   */
  status: "queuing" | "sending" | "finished" | "cancelled";
  createdAt: number;
  /** Subscribers counted when the operator confirmed (the preview's figure). */
  planned: number;
  enqueued: number;
  sent: number;
  failed: number;
  /** Unsubscribed, paused their daily messages or used /forget before their turn came. */
  skipped: number;
}

export type BroadcastStart =
  | { status: "started"; progress: BroadcastProgress }
  | { status: "busy"; progress: BroadcastProgress };

export interface BroadcastService {
  /** Daily subscribers per channel, for the channels this deployment runs. */
  audienceCounts(): Promise<Partial<Record<ChannelName, number>>>;
  /** The most recent broadcast, whatever its status. */
  latest(): Promise<BroadcastProgress | undefined>;
  /** Starts a broadcast, unless one is still queuing or sending (then "busy" with its progress). */
  start(input: { text: string; audience: Audience; by: UserKey; planned: number }): Promise<BroadcastStart>;
  /** Stops the fan-out; jobs already queued are dropped when their turn comes. */
  cancel(id: string): Promise<BroadcastProgress | undefined>;
  /** The message, while the broadcast is not cancelled (the delivery renderer asks each time). */
  messageFor(id: string): Promise<string | undefined>;
}

export function isActive(p: BroadcastProgress | undefined): p is BroadcastProgress {
  return p !== undefined && (p.status === "queuing" || p.status === "sending");
}
