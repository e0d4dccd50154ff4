// What every channel provides and gets. A channel is the core's `Sender` (replies to a user, for
// answers and scheduled deliveries; failures classified into DeliveryFailure, see
// core/ports/delivery.ts) with a start/stop lifecycle. Each channel folder exports one function,
// config -> ChannelSetup (or nothing when the channel is not configured), that app.ts lists.
import type { RedisClient } from "../store/redis.js";
import type { Config } from "../config.js";
import type { Catalog } from "../content/catalog.js";
import type { Clock } from "../core/clock.js";
import type { Engine } from "../core/engine.js";
import type { Sender } from "../core/ports/delivery.js";
import type { UserKey } from "../core/types.js";
import type { Plugin } from "../http/server.js";
import type { Logger } from "../log.js";
import type { Keys } from "../store/keys.js";

export interface Channel extends Sender {
  start(): Promise<void>;
  /**
   * Stops taking updates and waits for the ones in flight; once `deadline` aborts, gives up on
   * what is still in flight (the caller stops waiting then too).
   */
  stop(deadline?: AbortSignal): Promise<void>;
}

/** What the app gives every channel. */
export interface ChannelDeps {
  engine: Pick<Engine, "handle" | "publicCommands">;
  /** The default locale's catalog, for what a channel says on its own (a list's button label). */
  catalog: Catalog;
  log: Logger;
  clock: Clock;
  /** For what a channel keeps per user on the profile hash (WhatsApp: the 24-hour window). */
  redis: RedisClient;
  keys: Keys;
  /** The one way to count a user who is gone and stop everything proactive for them. */
  unreachable(user: UserKey, reason: string): Promise<void>;
  /** The channel cannot go on (Telegram 409: the token is polled elsewhere; 401). */
  onFatal(reason: string): void;
}

/** A running channel as the app wires it: the channel, its HTTP routes, its delivery rate. */
export interface ChannelSetup {
  channel: Channel;
  routes: Plugin[];
  /** Proactive messages per second the platform allows (0: no limit). */
  ratePerSecond: number;
}

export type ChannelFactory = (config: Config, deps: ChannelDeps) => ChannelSetup | undefined;
