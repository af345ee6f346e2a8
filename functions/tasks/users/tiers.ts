// Tier rules: a user's tier follows their total queries; each tier has a daily
// limit. The rules come from configuration (USER_TIERS), parsed here.
import { z } from "zod";
import type { UserTier } from "../../core/ports.ts";

/** What USER_TIERS holds when unset. */
export const DEFAULT_USER_TIERS = '[{"name":"free","min_queries":0,"daily_limit":50},{"name":"pro","min_queries":1000,"daily_limit":500}]';

const tierRule = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "lowercase letters, digits, _ and -, at most 40"),
  min_queries: z.number().int().min(0),
  daily_limit: z.number().int().min(0),
});

const tierRules = z
  .array(tierRule)
  .min(1, "at least one tier")
  .superRefine((rules, ctx) => {
    if (!rules.some((r) => r.min_queries === 0)) ctx.addIssue({ code: "custom", message: "one tier must have min_queries 0 (where every user starts)" });
    const names = rules.map((r) => r.name);
    const duplicateName = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicateName) ctx.addIssue({ code: "custom", message: `tier "${duplicateName}" is named twice` });
    const thresholds = rules.map((r) => r.min_queries);
    const duplicateThreshold = thresholds.find((t, i) => thresholds.indexOf(t) !== i);
    if (duplicateThreshold !== undefined) ctx.addIssue({ code: "custom", message: `two tiers start at min_queries ${duplicateThreshold}` });
  })
  .transform((rules): UserTier[] =>
    rules.map((r) => ({ name: r.name, minQueries: r.min_queries, dailyLimit: r.daily_limit })).sort((a, b) => a.minQueries - b.minQueries),
  );

/**
 * USER_TIERS as configuration reads it: JSON text → tiers sorted by threshold.
 * A malformed value fails config() with a ConfigError naming USER_TIERS.
 */
export const userTiersSetting = z
  .string()
  .default(DEFAULT_USER_TIERS)
  .transform((text, ctx) => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `not JSON: ${(error as Error).message}` });
      return z.NEVER;
    }
    const parsed = tierRules.safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: "custom", message: `${issue.path.length ? `[${issue.path.join(".")}] ` : ""}${issue.message}` });
      }
      return z.NEVER;
    }
    return parsed.data;
  });

/** The tier a user with `queries` total queries belongs to: the highest threshold reached. */
export function tierFor(queries: number, tiers: readonly UserTier[]): UserTier {
  let chosen: UserTier | undefined;
  for (const tier of tiers) if (queries >= tier.minQueries && (!chosen || tier.minQueries > chosen.minQueries)) chosen = tier;
  // Configuration guarantees a tier at 0 queries, so every count reaches one.
  if (!chosen) throw new Error("no tier starts at 0 queries");
  return chosen;
}

/** The tier of a user nobody has classified yet. */
export const baseTier = (tiers: readonly UserTier[]): UserTier => tierFor(0, tiers);
