// What the WhatsApp channel remembers about a user, as fields on their profile hash (so /mydata
// and /forget find it with the rest): their ids, when they last wrote (the 24-hour
// customer-service window opens with each user message), and whether proactive messages to
// them are stopped (131026 undeliverable, 131050 opted out of marketing).
import type { Redis } from "ioredis";
import { userKeyOf, type UserKey } from "../../core/types.js";
import type { Keys } from "../../store/keys.js";
import type { WhatsAppContact } from "./inbound.js";

/** Profile hash fields written by this channel. */
export const WA_FIELDS = {
  waId: "waId",
  userId: "waUserId",
  lastInboundAt: "waLastInboundAt",
  proactiveStopped: "waProactiveStopped",
} as const;

/** Meta's window is 24 hours from the user's last message; keep a margin for clocks and queues. */
export const WINDOW_MS = 24 * 3600_000;
export const WINDOW_MARGIN_MS = 10 * 60_000;

export class WhatsAppContacts {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  private key(platformId: string): string {
    return this.keys.user(this.user(platformId), "profile");
  }

  user(platformId: string): UserKey {
    return userKeyOf("whatsapp", platformId);
  }

  /**
   * Records a user message: the window's start, both ids, and on first contact a time zone
   * (HSETNX: a zone the user chose later is never overwritten). A user who writes is reachable
   * again, so a stop from an undeliverable message is lifted.
   */
  async recordInbound(platformId: string, contact: WhatsAppContact, at: number, guessedZone: string): Promise<void> {
    const key = this.key(platformId);
    const fields: Record<string, string> = { [WA_FIELDS.lastInboundAt]: String(at) };
    if (contact.waId) fields[WA_FIELDS.waId] = contact.waId;
    if (contact.userId) fields[WA_FIELDS.userId] = contact.userId;
    await this.redis.multi().hset(key, fields).hsetnx(key, "timezone", guessedZone).hdel(key, WA_FIELDS.proactiveStopped).exec();
  }

  async lastInboundAt(platformId: string): Promise<number | undefined> {
    const v = await this.redis.hget(this.key(platformId), WA_FIELDS.lastInboundAt);
    return v ? Number(v) : undefined;
  }

  /** Only marks users who exist: a late status webhook must not recreate a forgotten profile. */
  async stopProactive(platformId: string, reason: string, at: number): Promise<void> {
    const key = this.key(platformId);
    if (await this.redis.exists(key)) await this.redis.hset(key, WA_FIELDS.proactiveStopped, `${at} ${reason}`);
  }

  async proactiveStopped(platformId: string): Promise<string | undefined> {
    const v = await this.redis.hget(this.key(platformId), WA_FIELDS.proactiveStopped);
    return v ?? undefined;
  }
}

export function insideWindow(lastInboundAt: number | undefined, now: number): boolean {
  return lastInboundAt !== undefined && now - lastInboundAt < WINDOW_MS - WINDOW_MARGIN_MS;
}
