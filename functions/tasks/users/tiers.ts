// Tier rules: a user's tier follows their total queries; each tier has a daily
// limit. The rules come from configuration (USER_TIERS, parsed in functions/config.ts).
import type { UserTier } from "./ports.ts";

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
