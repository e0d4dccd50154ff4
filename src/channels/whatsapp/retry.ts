// Retries for a reply on WhatsApp: the user is waiting, so only what a short wait can mend (a
// rate limit, a transient failure) is tried again, within a few attempts and a cap on each wait.
// Scheduled sends pass one attempt: the delivery queue sees each classified failure and decides.
import { DeliveryError, type DeliveryFailure } from "../../core/ports/delivery.js";

export interface RetryBudget {
  /** Tries in all, the first included. */
  attempts: number;
  /** A wait longer than this is not begun: the failure is thrown instead. */
  maxWaitMs: number;
}

/** Runs `task` (which throws DeliveryError) until it succeeds or the budget says stop. */
export async function retrying<T>(task: () => Promise<T>, budget: RetryBudget): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task();
    } catch (err) {
      const f = err instanceof DeliveryError ? err.failure : undefined;
      const wait = f ? retryWait(f, attempt) : undefined;
      if (attempt >= budget.attempts || wait === undefined || wait > budget.maxWaitMs) throw err;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** How long to wait before retrying, or undefined when a retry cannot help. */
function retryWait(f: DeliveryFailure, attempt: number): number | undefined {
  if (f.status === "rate_limited") return f.retryAfterMs;
  if (f.status === "transient") return Math.min(250 * 2 ** (attempt - 1), 2_000);
  return undefined;
}
