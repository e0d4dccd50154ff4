// What the conversation flows keep for a user beyond the conversation: applications logged,
// reflections (the journal), moods and goals. src/store/ implements them on Redis, with their
// caps and their retention; the flows reach them as `ctx.services.stores`.
import type { UserKey } from "../types.js";

export const SEARCH_EVENTS = ["applied", "interview", "rejected", "offer"] as const;
export type SearchEventKind = (typeof SEARCH_EVENTS)[number];

export interface SearchEvent {
  at: number;
  kind: SearchEventKind;
  /** Company or role, in the user's words, if given. */
  what?: string;
}

export interface SearchTally {
  /** Everything logged, per kind (within the retention period), counted as it was logged. */
  totals: Record<SearchEventKind, number>;
  /** Applications in the 7 days up to now. */
  appliedThisWeek: number;
  /** Consecutive 7-day windows, counting back from now, with at least one application. */
  streakWeeks: number;
}

/** Where an application stands. `withdrawn`: the user took it back (not counted as a rejection). */
export const APPLICATION_STAGES = ["applied", "interview", "offer", "rejected", "withdrawn"] as const;
export type ApplicationStage = (typeof APPLICATION_STAGES)[number];

/** One application, as the user told it: what Huntr or Teal would call a card. */
export interface ApplicationRecord {
  /** Short, made by the store (`a1b2c3`); used in button values. */
  id: string;
  company?: string;
  role?: string;
  /** When the user applied (UTC ms). */
  appliedAt: number;
  stage: ApplicationStage;
  /** Every stage the record has been at, so a stage is counted once however often it is set. */
  reached: ApplicationStage[];
  updatedAt: number;
  contact?: string;
  notes?: string;
  nextAction?: string;
  /** The interview's date and time (UTC ms), when the user gave it. */
  interviewAt?: number;
}

/** What may change on a record. */
export type ApplicationPatch = Partial<
  Pick<ApplicationRecord, "company" | "role" | "stage" | "contact" | "notes" | "nextAction" | "interviewAt">
>;

/** A new record: what the user told; the store adds the id, the stages reached and the time. */
export type NewApplication = Omit<ApplicationRecord, "id" | "reached" | "updatedAt" | "stage"> & {
  stage?: ApplicationStage;
};

/** The dates momentum messages need: real dates, never a guess. */
export interface SearchDates {
  /** The newest application (record or log), if any. */
  lastAppliedAt?: number;
  /** The newest offer, if any. */
  lastOfferAt?: number;
}

export interface Applications {
  /** Logs the event and returns the tally with it. */
  log(user: UserKey, e: SearchEvent, now?: number): Promise<SearchTally>;
  /** The counts at `now`, without reading the log. */
  tally(user: UserKey, now: number): Promise<SearchTally>;
  /** The dates of the newest application and offer (two reads, constant time). */
  dates(user: UserKey): Promise<SearchDates>;
  /**
   * A new record (stage "applied" unless said), counted in the totals. Past the cap the record
   * updated longest ago goes (the totals keep counting it).
   */
  add(user: UserKey, r: NewApplication, now: number): Promise<ApplicationRecord>;
  get(user: UserKey, id: string): Promise<ApplicationRecord | undefined>;
  /** The newest record for this company (case and accents ignored), if any. */
  findByCompany(user: UserKey, company: string): Promise<ApplicationRecord | undefined>;
  /** Changes a record; a stage reached for the first time is counted. Undefined if there is no such record. */
  update(user: UserKey, id: string, patch: ApplicationPatch, now: number): Promise<ApplicationRecord | undefined>;
  /** Deletes a record and takes it out of the totals. */
  remove(user: UserKey, id: string): Promise<boolean>;
  /** Records, most recently updated first: `offset`, `limit`, and how many there are. */
  list(user: UserKey, offset: number, limit: number): Promise<{ total: number; records: ApplicationRecord[] }>;
}

/** How a reflection question was answered: a quick choice, the user's own words, or skipped. */
export type ReflectAnswer = "yes" | "partly" | "no" | "skipped" | { words: string };

export interface JournalEntry {
  at: number;
  company?: string;
  role?: string;
  prepared: ReflectAnswer;
  skills: ReflectAnswer;
  connected: ReflectAnswer;
  differently?: string;
  feelings?: string;
  nextStep?: string;
}

/** Reflections, newest first; kept only with consent (the flows check `ctx.mayStore`). */
export interface Journal {
  add(user: UserKey, entry: JournalEntry): Promise<void>;
  /** The newest `limit` entries, newest first. */
  list(user: UserKey, limit: number): Promise<JournalEntry[]>;
  /** How many entries there are and the newest `limit`. */
  recent(user: UserKey, limit: number): Promise<{ count: number; entries: JournalEntry[] }>;
}

export interface MoodEntry {
  at: number;
  mood: number;
  word?: string;
}

/** Mood check-ins (special personal information: stored only with consent). */
export interface Moods {
  add(user: UserKey, entry: MoodEntry): Promise<void>;
  /** Check-ins since `from` (ms), oldest first. */
  since(user: UserKey, from: number): Promise<MoodEntry[]>;
}

export interface Goals {
  roles?: string;
  industries?: string;
  salary?: string;
  /** Applications per week. */
  applications: number;
  /** People to contact per week. */
  contacts: number;
  updatedAt: number;
}

export interface GoalsStore {
  get(user: UserKey): Promise<Goals | undefined>;
  save(user: UserKey, g: Goals): Promise<void>;
}

export interface FlowStores {
  journal: Journal;
  moods: Moods;
  goals: GoalsStore;
  applications: Applications;
}
