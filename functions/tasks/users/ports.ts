// The users domain's stores: totals, tiers and daily counters (Redis), and the quota the api charges.
import { port } from "../../core/task-kit.ts";

/** A tier of users: reached at `minQueries` total queries, allowed `dailyLimit` submits a day (USER_TIERS). */
export interface UserTier {
  name: string;
  minQueries: number;
  dailyLimit: number;
}

/** What a daily quota check answered. `resetAt` (ms) is when the user's count starts again from 0. */
export interface QuotaDecision {
  allowed: boolean;
  /** Units used today, this one included when allowed. */
  used: number;
  limit: number;
  resetAt: number;
}

/** Users' daily submit quota (Redis), charged by the api at submit. */
export interface UserQuota {
  /** Takes one unit atomically, unless the user is at their tier's daily limit. */
  consume(userId: string): Promise<QuotaDecision>;
  /** Gives back a unit taken for a submit that did not become a task. Never goes below 0. */
  refund(userId: string): Promise<void>;
}

/** One user's totals and tier, as the user tasks keep them. */
export interface UserRecord {
  userId: string;
  queries: number;
  tokens: number;
  processingMs: number;
  /** Null until calculate_tier first ran: the base tier applies. */
  tier: string | null;
  dailyLimit: number | null;
}

/** Users' statistics, tiers and daily counters (Redis), for the user tasks. */
export interface UserStore {
  /** The tier rules this deployment runs with (USER_TIERS), lowest threshold first. */
  readonly tiers: readonly UserTier[];
  get(userId: string): Promise<UserRecord | null>;
  /**
   * Adds usage to the user's totals atomically. `onceKey` makes it idempotent:
   * a second call with the same key (a retried task) adds nothing and answers applied false.
   */
  recordUsage(userId: string, usage: { queries: number; tokens: number; processingMs: number }, onceKey: string): Promise<{ applied: boolean; record: UserRecord }>;
  /**
   * Sets the tier (and its daily limit), unless a choice made on more queries is already stored
   * (two racing calculations cannot step a user back). Returns the tier before, and whether it was written.
   */
  setTier(userId: string, tier: UserTier, basedOnQueries: number): Promise<{ written: boolean; previous: string | null }>;
  /** Zeroes the user's daily count; answers what it was. */
  resetDailyCount(userId: string): Promise<{ used: number }>;
  /** One bounded SCAN page over the daily counters, each zeroed; cursor "0" starts, null when done. */
  resetDailyCountsPage(cursor: string, count: number): Promise<{ cursor: string | null; scanned: number; reset: number }>;
}


export const users = port<UserStore>("users");
/** Charged by the api at submit (functions/api/quota-submit.ts), not by a task. */
export const userQuota = port<UserQuota>("userQuota");
