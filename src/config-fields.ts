// The field types config.ts builds its schema from: empty strings as unset, URLs, bounded
// integers, IANA time zones, and Redis Cluster seeds.
import { IANAZone } from "luxon";
import { z } from "zod";

export const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
export const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());
export const urlString = z
  .string()
  .trim()
  .url("must be a URL such as https://example.org")
  .transform((s) => s.replace(/\/+$/, ""));
export const optionalUrl = z.preprocess(emptyToUndefined, urlString.optional());
export const urlOr = (fallback: string) => z.preprocess(emptyToUndefined, urlString.default(fallback));
export const intIn = (min: number, max: number, fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(fallback));
export const timeZone = z
  .string()
  .trim()
  .refine((tz) => IANAZone.isValidZone(tz), "must be an IANA time zone such as Africa/Johannesburg");

/** One Redis Cluster seed: `host:port` (IPv6 in brackets: `[::1]:7000`). */
export interface ClusterSeed {
  host: string;
  port: number;
}

const SEED = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
export const clusterSeeds = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .transform((s, ctx) => {
      const seeds: ClusterSeed[] = [];
      // The entry is named by position, not echoed: a URL with a password pasted here stays out of logs.
      for (const [i, part] of s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean)
        .entries()) {
        const m = SEED.exec(part);
        const port = m ? Number(m[2]) : 0;
        if (!m || port < 1 || port > 65535) {
          ctx.addIssue({
            code: "custom",
            message: `must be host:port seeds separated by commas, such as 10.0.0.1:7000,10.0.0.2:7000 (entry ${i + 1} is not one)`,
          });
          return z.NEVER;
        }
        seeds.push({ host: m[1]!.replace(/^\[|\]$/g, ""), port });
      }
      if (seeds.length === 0) ctx.addIssue({ code: "custom", message: "must name at least one host:port seed" });
      return seeds;
    })
    .optional(),
);
