// Remembers which variants of a message a user saw recently, so a tip or a daily message does
// not repeat: one small hash per user, a field per message id holding the recent variant ids.
//
// Memory: a daily subscriber's list holds 21 ids ("perspective_2,..." about 220 characters),
// past Redis's `hash-max-listpack-value` (64), which turned the whole hash into a hashtable
// (about 495 B a user). So each variant id is stored as a two-character code ("~" then the codes,
// 43 characters for 21 ids) and the hash stays a listpack. The codes are one deployment-wide
// dictionary (`meta:variant-ids`, id -> number, only ever added to, by one single-key script, so
// every process agrees), cached in each process. Values written before (plain ids joined by
// commas) are still read, and a user's hash left as a hashtable is rewritten in the new form the
// first time it is written.
import type { Result } from "ioredis";
import type { RedisClient } from "./redis.js";
import type { SeenSnapshot, SeenVariants } from "../core/ports/state.js";
import type { UserKey } from "../core/types.js";
import type { Keys } from "./keys.js";

/**
 * Message ids remembered per user. The ids come from the code (a dozen today), so this is a
 * guard, not a limit anyone meets: past it the memory starts over, which costs at worst one
 * repeated tip.
 */
export const SEEN_MAX_MESSAGES = 64;

/** A coded value starts with this; values written before it are plain ids joined by commas. */
const CODED = "~";
const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const CODES = DIGITS.length * DIGITS.length;

// KEYS[1] the user's hash. ARGV: message id, recent variant ids, the cap. Returns 2 when the
// hash is a hashtable (written before the codes): the caller rewrites it once.
const REMEMBER = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if redis.call('HLEN', KEYS[1]) > tonumber(ARGV[3]) then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
if redis.call('OBJECT', 'ENCODING', KEYS[1]) == 'hashtable' then return 2 end
return 1
`;

// KEYS[1] the dictionary. ARGV: variant ids. Returns each id's number, numbering new ones next.
const NUMBER = `
local out = {}
for i, id in ipairs(ARGV) do
  local n = redis.call('HGET', KEYS[1], id)
  if not n then
    n = redis.call('HLEN', KEYS[1])
    redis.call('HSET', KEYS[1], id, n)
  end
  out[i] = tonumber(n)
end
return out
`;

declare module "ioredis" {
  interface RedisCommander<Context> {
    bbSeenRemember(key: string, messageId: string, recent: string, cap: number): Result<number, Context>;
    bbVariantNumbers(key: string, ...ids: string[]): Result<number[], Context>;
  }
}

export class RedisSeenVariants implements SeenVariants {
  private readonly codeOf = new Map<string, string>();
  private readonly idOf = new Map<string, string>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {
    redis.defineCommand("bbSeenRemember", { numberOfKeys: 1, lua: REMEMBER });
    redis.defineCommand("bbVariantNumbers", { numberOfKeys: 1, lua: NUMBER });
  }

  async recent(user: UserKey, messageId: string, snapshot?: SeenSnapshot): Promise<string[]> {
    if (snapshot) return this.decode(snapshot[messageId]);
    return this.decode(await this.redis.hget(this.keys.user(user, "seen"), messageId));
  }

  /**
   * Puts `variantId` first in the recent list. Takes the list the caller just read with
   * `recent` (one user's turns run one at a time), so a pick costs one read and one write.
   */
  async remember(
    user: UserKey,
    messageId: string,
    variantId: string,
    keep: number,
    recent: readonly string[],
  ): Promise<void> {
    const next = [variantId, ...recent.filter((x) => x !== variantId)].slice(0, Math.max(1, keep));
    const key = this.keys.user(user, "seen");
    const value = await this.encode(next);
    if ((await this.redis.bbSeenRemember(key, messageId, value, SEEN_MAX_MESSAGES)) === 2) await this.rewrite(key);
  }

  /** A hash written before the codes: every value coded, and the hash made anew (a listpack). */
  private async rewrite(key: string): Promise<void> {
    const hash = Object.entries(await this.redis.hgetall(key));
    const lists = await Promise.all(hash.map(async ([f, v]) => [f, await this.decode(v)] as const));
    // Every id not yet numbered is numbered in one call; then each field is coded from the cache.
    await this.encode(lists.flatMap(([, ids]) => ids));
    const fields: Record<string, string> = {};
    for (const [field, ids] of lists) fields[field] = await this.encode(ids);
    await this.redis.multi().del(key).hset(key, fields).exec();
  }

  private async encode(ids: readonly string[]): Promise<string> {
    const missing = ids.filter((id) => !this.codeOf.has(id));
    if (missing.length) {
      const numbers = await this.redis.bbVariantNumbers(this.keys.meta("variant-ids"), ...missing);
      for (const [i, id] of missing.entries()) this.learn(id, numbers[i]!);
    }
    const codes = ids.map((id) => this.codeOf.get(id));
    // Past the codes' range (thousands of variant ids: not met), the plain form.
    return codes.every((c) => c !== undefined) ? CODED + codes.join("") : ids.join(",");
  }

  /** A user's stored `seen` hash as /mydata shows it: each message's recent variant ids, plain. */
  async plain(hash: Record<string, unknown>): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [messageId, value] of Object.entries(hash))
      out[messageId] = (await this.decode(String(value))).join(",");
    return out;
  }

  private async decode(value: string | null | undefined): Promise<string[]> {
    if (!value) return [];
    if (!value.startsWith(CODED)) return value.split(",");
    const codes = value.slice(1).match(/../g) ?? [];
    if (codes.some((c) => !this.idOf.has(c))) {
      // Numbered by another process since this one read the dictionary.
      const dictionary = await this.redis.hgetall(this.keys.meta("variant-ids"));
      for (const [id, n] of Object.entries(dictionary)) this.learn(id, Number(n));
    }
    // A code the dictionary lacks (it was deleted) is forgotten: at worst one repeated variant.
    return codes.flatMap((c) => this.idOf.get(c) ?? []);
  }

  private learn(id: string, n: number): void {
    if (!(n >= 0 && n < CODES)) return;
    const code = DIGITS[Math.floor(n / DIGITS.length)]! + DIGITS[n % DIGITS.length]!;
    this.codeOf.set(id, code);
    this.idOf.set(code, id);
  }
}
