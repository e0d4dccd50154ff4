// Stopping in order under one deadline (SHUTDOWN_TIMEOUT_SECONDS): each step is waited for in
// turn; once the deadline passes, the step running is abandoned and those after it are started
// but not waited for. Webhooks answer 503 meanwhile, so platforms redeliver to a running process.
import type { Logger } from "./log.js";

export interface ShutdownStep {
  name: string;
  run: () => Promise<unknown>;
}

/** Runs the steps in order; returns the names of those abandoned at the deadline. */
export async function stopInOrder(
  steps: readonly ShutdownStep[],
  deadline: AbortSignal,
  log: Logger,
): Promise<string[]> {
  const abandoned: string[] = [];
  for (const step of steps) {
    const done = step.run().catch((err) => log.warn({ err, step: step.name }, "shutdown step failed"));
    if ((await until(done, deadline)) === "late") abandoned.push(step.name);
  }
  return abandoned;
}

/** Waits for `work`, or until `deadline` aborts, whichever comes first. */
function until(work: Promise<unknown>, deadline: AbortSignal): Promise<"done" | "late"> {
  if (deadline.aborted) return Promise.resolve("late");
  return new Promise((resolve) => {
    const late = () => resolve("late");
    deadline.addEventListener("abort", late, { once: true });
    void work.then(() => {
      deadline.removeEventListener("abort", late);
      resolve("done");
    });
  });
}
