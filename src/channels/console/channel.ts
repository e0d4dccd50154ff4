// A chat in the terminal, for local use and demos: one line in, the replies out, choices
// numbered. Reminders and daily messages for the local user are printed here too. It runs when
// no platform is configured.
import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Config } from "../../config.js";
import type { Reply } from "../../core/types.js";
import { Pipeline } from "../pipeline.js";
import type { Channel, ChannelDeps, ChannelSetup } from "../types.js";
import { lineToIncoming } from "./inbound.js";
import { renderConsole } from "./outbound.js";

export interface ConsoleOptions {
  input: Readable;
  output: Writable;
  /** The local user's id (console:<id>). */
  userId: string;
  /** Called when input ends (Ctrl-D, or the end of piped input). */
  onClose?: () => void;
  /** A first line to send as if typed, so the chat opens with a welcome. */
  greet?: string;
}

/** The terminal chat, when no platform is configured: the process's stdin and stdout unless `io` is given. */
export function consoleChannel(
  config: Config,
  deps: ChannelDeps,
  o: { io?: { input: Readable; output: Writable }; onClose: () => void },
): ChannelSetup | undefined {
  if (!config.channels.includes("console")) return undefined;
  const io = o.io ?? { input: process.stdin, output: process.stdout };
  return {
    channel: new ConsoleChannel(deps, { ...io, onClose: o.onClose, userId: "local", greet: "/start" }),
    routes: [],
    ratePerSecond: 0,
  };
}

export class ConsoleChannel implements Channel {
  readonly name = "console" as const;
  private readonly pipeline: Pipeline;
  private rl: Interface | undefined;
  private seq = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    deps: Pick<ChannelDeps, "engine" | "log" | "unreachable">,
    private readonly o: ConsoleOptions,
  ) {
    this.pipeline = new Pipeline(deps);
  }

  async start(): Promise<void> {
    const rl = createInterface({ input: this.o.input, terminal: false });
    this.rl = rl;
    if (this.o.greet) this.enqueue(this.o.greet);
    rl.on("line", (line) => this.enqueue(line));
    rl.on("close", () => {
      // Finish what was typed before closing.
      void this.queue.then(() => this.o.onClose?.());
    });
  }

  /** Lines are handled one after another, like a chat. */
  private enqueue(line: string): void {
    this.queue = this.queue.then(async () => {
      await this.pipeline.run(lineToIncoming(line, this.o.userId, ++this.seq), async (replies) => this.print(replies));
    });
  }

  print(replies: readonly Reply[]): void {
    for (const r of replies) this.o.output.write(renderConsole(r));
  }

  async send(platformId: string, replies: readonly Reply[]): Promise<void> {
    if (platformId === this.o.userId) this.print(replies);
  }

  async stop(): Promise<void> {
    this.rl?.close();
    await this.queue;
  }
}
