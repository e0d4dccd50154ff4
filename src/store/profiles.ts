// The user's profile: one small Redis hash per user.
import type { RedisClient } from "./redis.js";
import type { Consent, Profile, ProfileFields, Profiles } from "../core/ports/state.js";
import type { UserKey } from "../core/types.js";
import type { Keys } from "./keys.js";
import { UserIndex } from "./user-index.js";

export class RedisProfiles implements Profiles {
  private readonly users: UserIndex;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {
    this.users = new UserIndex(redis, keys, "users");
  }

  /** Loads the profile and records this visit, creating the profile on first contact. One round trip. */
  async touch(user: UserKey, now: number, languageHint?: string): Promise<Profile> {
    const key = this.keys.user(user, "profile");
    // The users index is in another Cluster slot than the profile: not in the MULTI, issued
    // beside it (auto-pipelined: the same round trip on one Redis).
    const [res] = await Promise.all([
      this.redis
        .multi()
        .hsetnx(key, "createdAt", String(now))
        .hset(key, {
          lastSeenAt: String(now),
          ...(cleanHint(languageHint) ? { languageHint: cleanHint(languageHint) } : {}),
        })
        .hgetall(key)
        .exec(),
      this.users.add(user),
    ]);
    if (!res) throw new Error("profile transaction aborted");
    const created = res[0]![1] === 1;
    const hash = res[2]![1] as Record<string, string>;
    return toProfile(user, hash, created);
  }

  async get(user: UserKey): Promise<Profile | null> {
    const hash = await this.redis.hgetall(this.keys.user(user, "profile"));
    return Object.keys(hash).length === 0 ? null : toProfile(user, hash, false);
  }

  async set(user: UserKey, fields: ProfileFields): Promise<void> {
    await this.redis.hset(
      this.keys.user(user, "profile"),
      Object.fromEntries(Object.entries(fields).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]]))),
    );
  }

  async unset(user: UserKey, ...fields: (keyof ProfileFields)[]): Promise<void> {
    if (fields.length) await this.redis.hdel(this.keys.user(user, "profile"), ...fields);
  }

  async setConsent(user: UserKey, consent: Consent, now: number): Promise<void> {
    await this.set(user, { consent, consentAt: now });
  }
}

export function toProfile(user: UserKey, h: Record<string, string>, isNew: boolean): Profile {
  return {
    user,
    createdAt: Number(h.createdAt),
    lastSeenAt: Number(h.lastSeenAt),
    locale: h.locale,
    languageHint: h.languageHint,
    timezone: h.timezone,
    consent: h.consent === "yes" || h.consent === "no" ? h.consent : undefined,
    consentAt: h.consentAt ? Number(h.consentAt) : undefined,
    isNew,
    daily: h.daily || undefined,
    dailyPause: h.dailyPause ? Number(h.dailyPause) : undefined,
    waOptIn: h.waOptIn ? Number(h.waOptIn) : undefined,
    langOffered: (h.langOffered ?? "").split(",").filter(Boolean),
  };
}

/** A language tag as platforms send it ("en", "pt-br", "zu-ZA"); anything else is dropped, not stored. */
export function cleanHint(tag: string | undefined): string {
  return typeof tag === "string" && /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,2}$/.test(tag) ? tag : "";
}
