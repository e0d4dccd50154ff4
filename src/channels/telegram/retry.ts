// Retries for a reply to a user who is waiting, with an end. The auto-retry plugin retries API
// errors (429, 5xx) a counted number of times, but a network error (grammY's HttpError) again
// and again with backoff up to an hour, never counted: one unreachable Bot API then held a
// chat's queue (its next message waited) and shutdown for minutes. Here every kind of failure
// counts against the same few attempts and one time budget, and an `abandon` signal (the
// shutdown deadline) ends it at once. Each attempt's own time limit is the Api client's timeout.
import { HttpError, type Transformer } from "grammy";

export interface BoundedRetry {
  /** Tries in all, the first included. */
  attempts: number;
  /** No wait is begun that would end past this many ms from the first try. */
  budgetMs: number;
  /** Aborts the request in flight and every wait (the shutdown deadline). */
  abandon?: AbortSignal;
  /** For tests: the wait after the n-th failed try (default 1 s, 2 s, 4 s...). */
  backoffMs?: (attempt: number) => number;
}

const defaultBackoff = (attempt: number) => Math.min(1000 * 2 ** (attempt - 1), 8000);

export function boundedRetry(o: BoundedRetry): Transformer {
  const backoff = o.backoffMs ?? defaultBackoff;
  return async (prev, method, payload, signal) => {
    const started = Date.now();
    // grammY types its signal with a shim; at run time it is Node's own AbortSignal.
    const own = signal as unknown as AbortSignal | undefined;
    const merged = own && o.abandon ? AbortSignal.any([own, o.abandon]) : (own ?? o.abandon);
    for (let attempt = 1; ; attempt++) {
      let wait: number;
      try {
        const result = await prev(method, payload, merged as typeof signal);
        if (result.ok) return result;
        const retryAfter = result.parameters?.retry_after;
        // Only what waiting can mend: a rate limit, or the platform's own trouble (5xx).
        if (typeof retryAfter === "number") wait = retryAfter * 1000;
        else if (result.error_code >= 500) wait = backoff(attempt);
        else return result;
        if (!mayRetry(attempt, wait)) return result;
      } catch (err) {
        wait = backoff(attempt);
        if (!(err instanceof HttpError) || !mayRetry(attempt, wait)) throw err;
      }
      await pause(wait, merged);
    }

    function mayRetry(attempt: number, wait: number): boolean {
      return attempt < o.attempts && Date.now() + wait - started < o.budgetMs && !merged?.aborted;
    }
  };
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      reject(new Error("reply abandoned while waiting to retry"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, ms);
    if (signal?.aborted) return stop();
    signal?.addEventListener("abort", stop, { once: true });
  });
}
