// A typed line -> channel-neutral Incoming. The terminal has no update ids: each line gets one
// from the process and a counter, so dedup never drops a line typed twice.
import { userKeyOf, type Incoming } from "../../core/types.js";

export function lineToIncoming(line: string, userId: string, seq: number): Incoming {
  return {
    channel: "console",
    user: userKeyOf("console", userId),
    updateId: `${process.pid}-${Date.now()}-${seq}`,
    kind: "text",
    text: line,
  };
}
