// user.calculate_tier: place a user in the tier their total queries reach
// (USER_TIERS); the tier's daily limit applies from the next submit on.
import { z } from "zod";
import { defineTask } from "../../core/task-kit.ts";
import { tierFor } from "./tiers.ts";
import { userId } from "./user-id.ts";
import { users } from "./ports.ts";

export const calculateTier = defineTask({
  name: "user.calculate_tier",
  queue: "user",
  uses: { users },
  description: "Recalculate a user's tier from their totals and apply its daily limit",
  input: z.strictObject({ user_id: userId }),
  output: z.object({
    user_id: z.string(),
    tier: z.string(),
    previous_tier: z.string().nullable(),
    daily_limit: z.number().int(),
    queries: z.number(),
    changed: z.boolean(),
  }),
  retry: { maxAttempts: 5, minBackoffSeconds: 1, maxBackoffSeconds: 60 },
  timeLimit: { softSeconds: 20, hardSeconds: 30 },
  handler: async (input, ctx) => {
    const record = await ctx.users.get(input.user_id);
    const queries = record?.queries ?? 0;
    const tier = tierFor(queries, ctx.users.tiers);
    const { written, previous } = await ctx.users.setTier(input.user_id, tier, queries);
    if (!written) {
      // A calculation that saw more queries got there first: its answer stands.
      const current = await ctx.users.get(input.user_id);
      const kept = ctx.users.tiers.find((t) => t.name === current?.tier) ?? tier;
      return { user_id: input.user_id, tier: kept.name, previous_tier: previous, daily_limit: current?.dailyLimit ?? kept.dailyLimit, queries: current?.queries ?? queries, changed: false };
    }
    const changed = previous !== tier.name;
    if (changed) ctx.log.info({ userId: input.user_id, from: previous, to: tier.name, queries }, "user tier changed");
    return { user_id: input.user_id, tier: tier.name, previous_tier: previous, daily_limit: tier.dailyLimit, queries, changed };
  },
});
