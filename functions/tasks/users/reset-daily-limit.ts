// user.reset_daily_limit: give one user their full daily quota back now.
import { z } from "zod";
import { defineTask } from "../../core/task-kit.ts";
import { userId } from "./user-id.ts";
import { users } from "./ports.ts";

export const resetDailyLimit = defineTask({
  name: "user.reset_daily_limit",
  queue: "user",
  uses: { users },
  description: "Reset one user's daily submit count to 0",
  input: z.strictObject({ user_id: userId }),
  output: z.object({ user_id: z.string(), used_before: z.number().int() }),
  retry: { maxAttempts: 5, minBackoffSeconds: 1, maxBackoffSeconds: 60 },
  timeLimit: { softSeconds: 20, hardSeconds: 30 },
  handler: async (input, ctx) => {
    const { used } = await ctx.users.resetDailyCount(input.user_id);
    ctx.log.info({ userId: input.user_id, usedBefore: used }, "daily limit reset");
    return { user_id: input.user_id, used_before: used };
  },
});
