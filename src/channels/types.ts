// What every channel provides: the core's `Sender` (replies to a user, for answers and for
// scheduled deliveries; errors classified into DeliveryFailure, see core/ports/delivery.ts) and
// a start/stop lifecycle that the composition root (app.ts) drives.
import type { Sender } from "../core/ports/delivery.js";

export interface Channel extends Sender {
  start(): Promise<void>;
  /**
   * Stops taking updates and waits for the ones in flight; once `deadline` aborts, gives up on
   * what is still in flight (the caller stops waiting then too).
   */
  stop(deadline?: AbortSignal): Promise<void>;
}
