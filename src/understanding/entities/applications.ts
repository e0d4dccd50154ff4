// The company and the role in what people say about their search: "I applied to Shoprite for
// cashier", "sent my CV to Capitec for a teller post", "interview with Vodacom on Monday for call
// centre agent", "I got the job at Absa!!! 🎉". A name is a run of words after a marker ("at",
// "with", "to" after an application verb...), cut at the first stop word or punctuation, and
// never a pronoun, a time or a filler ("it", "tomorrow", "there"). Unsure means nothing.
import { capital, join, pieces } from "./application-pieces.js";
import { nameAt, roleAt, roleBeforeJobNoun, subjectCompany } from "./application-phrases.js";
import { ROLE_WORDS, TO_AFTER } from "./application-words.js";
import { fold } from "./text.js";

export const APPLICATION_MAX_INPUT = 500;

type Marker = "at" | "to" | "from" | "by" | "with";
const PRIORITY: readonly Marker[] = ["at", "to", "from", "by", "with"];

export function readApplication(text: string): { company?: string; role?: string } {
  // A long message is read from its start: that is where people say what happened.
  const t = text.length > APPLICATION_MAX_INPUT ? text.slice(0, APPLICATION_MAX_INPUT) : text;
  const ws = pieces(t);
  const mixedCase = /\p{Lu}/u.test(t) && /\p{Ll}/u.test(t);
  const found = new Map<Marker, string>();
  let role: string | undefined;
  let forName: string | undefined;
  for (let i = 0; i < ws.length; i++) {
    const low = ws[i]!.low;
    if (low === "for" || low === "as") {
      const r = roleAt(t, ws, i + 1);
      if (!r) continue;
      const last = fold(r.split(" ").pop()!);
      // "interview for Vodacom": a capitalised name that is no job title may be the employer.
      if (low === "for" && mixedCase && capital(r) && !ROLE_WORDS.has(last) && !/^(a|an|the)$/.test(ws[i + 1]!.low))
        forName ??= r;
      else role ??= r;
      continue;
    }
    if (!(PRIORITY as readonly string[]).includes(low) || found.has(low as Marker)) continue;
    if (low === "to" && !ws.slice(Math.max(0, i - 4), i).some((w) => TO_AFTER.has(w.low))) continue;
    const n = nameAt(ws, i + 1, mixedCase);
    const name = n && join(t, n.words);
    if (name) found.set(low as Marker, name);
    // "the cashier job at Shoprite": the words before a job noun are the role.
  }
  if (!role) role = roleBeforeJobNoun(t, ws);
  const company =
    PRIORITY.map((m) => found.get(m)).find((x) => x !== undefined) ?? subjectCompany(t, ws, mixedCase) ?? forName;
  if (company && role && fold(company) === fold(role)) role = undefined;
  const out: { company?: string; role?: string } = {};
  if (company) out.company = company;
  if (role) out.role = role;
  return out;
}
