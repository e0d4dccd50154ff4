// The reflection's data as stored between its steps (flows/reflect.ts), and what follows from it
// without any words of the catalog: the company and role read from "cashier at Pick n Pay", the
// next steps that fit the answers, and each area's answer as the journal keeps it.
import { z } from "zod";
import type { ReflectAnswer } from "../ports/stores.js";
import { clip } from "../text.js";

/** The three quick-choice questions, in order. */
export const AREAS = ["prepared", "skills", "connected"] as const;
export type Area = (typeof AREAS)[number];

/** An area's answer as stored: a quick choice, "skipped", or the user's own words ("words:..."). */
export const AreaAnswer = z.union([z.enum(["yes", "partly", "no", "skipped"]), z.string().startsWith("words:")]);
export type AreaAnswer = z.infer<typeof AreaAnswer>;

export const Data = z.object({
  company: z.string().optional(),
  role: z.string().optional(),
  prepared: AreaAnswer.optional(),
  skills: AreaAnswer.optional(),
  connected: AreaAnswer.optional(),
  differently: z.string().optional(),
  feelings: z.string().optional(),
  /** The next step picked from the offered ones (its key), and its text (or the user's own words). */
  nextKey: z.string().optional(),
  nextStep: z.string().optional(),
});
export type Data = z.infer<typeof Data>;

/** "Pick n Pay, cashier", "cashier at Pick n Pay", or just a company name. */
export function parseAbout(typed: string): { company?: string; role?: string } {
  const t = clip(typed, 80);
  const at = /^(.+?)\s+(?:at|with|for)\s+(.+)$/i.exec(t);
  if (at) return { role: at[1]!.trim(), company: at[2]!.trim() };
  const parts = t.split(/\s*[,;–-]\s*/).filter(Boolean);
  if (parts.length >= 2) return { company: parts[0], role: parts.slice(1).join(", ") };
  return { company: t };
}

/** The next steps that fit what came up: weak areas first, then the ones that always help. */
export function stepsFor(data: Data): string[] {
  const weak = (a: Area) => data[a] === "no" || data[a] === "partly";
  const out: string[] = [];
  if (weak("prepared")) out.push("research", "practise");
  if (weak("skills")) out.push("stories");
  if (weak("connected")) out.push("mock");
  if (out.length === 0) out.push("practise");
  // Asking for feedback is always offered (article: seek constructive feedback).
  const steps = [...new Set(out)].slice(0, 3).concat("feedback");
  return steps.length < 4 ? [...steps, "apply"] : steps;
}

/** An area's stored answer as the journal keeps it. */
export function asAnswer(v: Data[Area]): ReflectAnswer {
  if (v === "yes" || v === "partly" || v === "no") return v;
  if (v?.startsWith("words:")) return { words: v.slice(6) };
  return "skipped";
}
