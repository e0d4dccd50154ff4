// What the WhatsApp channel remembers about a user, as fields on their profile hash (so /mydata
// and /forget find it with the rest): their ids, when they last wrote (the 24-hour
// customer-service window opens with each user message), and whether proactive messages to
// them are stopped (131026 undeliverable, 131050 opted out of marketing).
import type { Result } from "ioredis";
import type { RedisClient } from "../../store/redis.js";
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

/**
 * One round trip per inbound message. The window's start only moves forward: Meta redelivers
 * for days, and an old message arriving late must not shorten a window a newer one opened.
 */
const RECORD_INBOUND = `
local cur = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if tonumber(ARGV[2]) > cur then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
redis.call('HSETNX', KEYS[1], 'timezone', ARGV[3])
redis.call('HDEL', KEYS[1], ARGV[4])
for i = 5, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1
`;

declare module "ioredis" {
  interface RedisCommander<Context> {
    bbWaRecordInbound(profileKey: string, ...args: string[]): Result<number, Context>;
  }
}

export class WhatsAppContacts {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {
    redis.defineCommand("bbWaRecordInbound", { numberOfKeys: 1, lua: RECORD_INBOUND });
  }

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
    const ids: string[] = [];
    if (contact.waId) ids.push(WA_FIELDS.waId, contact.waId);
    if (contact.userId) ids.push(WA_FIELDS.userId, contact.userId);
    await this.redis.bbWaRecordInbound(
      this.key(platformId),
      WA_FIELDS.lastInboundAt,
      String(at),
      guessedZone,
      WA_FIELDS.proactiveStopped,
      ...ids,
    );
  }

  /** True when Redis answers (the webhook asks before it acknowledges a body). */
  async reachable(): Promise<boolean> {
    return this.redis.ping().then(
      () => true,
      () => false,
    );
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
