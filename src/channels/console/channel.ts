// A chat in the terminal, for local use and demos: one line in, the replies out, choices
// numbered. Reminders and daily messages for the local user are printed here too.
import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Engine } from "../../core/engine.js";
import { userKeyOf, type Reply } from "../../core/types.js";
import type { Channel } from "../types.js";

export interface ConsoleOptions {
  engine: Engine;
  input: Readable;
  output: Writable;
  /** The local user's id (console:<id>). */
  userId: string;
  /** Called when input ends (Ctrl-D, or the end of piped input). */
  onClose?: () => void;
  /** A first line to send as if typed, so the chat opens with a welcome. */
  greet?: string;
}

export class ConsoleChannel implements Channel {
  readonly name = "console" as const;
  private rl: Interface | undefined;
  private seq = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly o: ConsoleOptions) {}

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
    this.queue = this.queue.then(() => this.handle(line));
  }

  private async handle(line: string): Promise<void> {
    const outcome = await this.o.engine.handle({
      channel: "console",
      user: userKeyOf("console", this.o.userId),
      updateId: `${process.pid}-${Date.now()}-${++this.seq}`,
      kind: "text",
      text: line,
    });
    if (outcome.status !== "duplicate") this.print(outcome.replies);
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

export function renderConsole(r: Reply): string {
  if (r.kind === "document") return `\nbot> ${r.fallbackText}\n`;
  const lines = [`\nbot> ${r.text.replace(/\n(?=.)/g, "\n     ")}`];
  r.choices?.forEach((c, i) => lines.push(`     ${i + 1}) ${c.label}`));
  return `${lines.join("\n")}\n`;
}
