// user.update_statistics: after each query (event query.completed), add its
// usage to the user's totals. Idempotent per task: a retried run adds nothing twice.
import { z } from "zod";
import { defineTask } from "../../core/task-kit.ts";
import { userId } from "./user-id.ts";
import { users } from "./ports.ts";

export const updateStatistics = defineTask({
  name: "user.update_statistics",
  queue: "user",
  uses: { users },
  description: "Add a query's tokens and processing time to the user's totals",
  input: z.strictObject({
    user_id: userId,
    tokens_used: z.number().int().min(0),
    processing_time_ms: z.number().min(0),
    queries: z.number().int().min(1).max(1_000_000).default(1),
  }),
  output: z.object({
    user_id: z.string(),
    /** False when this update had been applied already (a retried run). */
    applied: z.boolean(),
    queries: z.number(),
    tokens: z.number(),
    processing_ms: z.number(),
  }),
  retry: { maxAttempts: 5, minBackoffSeconds: 1, maxBackoffSeconds: 60 },
  timeLimit: { softSeconds: 20, hardSeconds: 30 },
  handler: async (input, ctx) => {
    const { applied, record } = await ctx.users.recordUsage(
      input.user_id,
      { queries: input.queries, tokens: input.tokens_used, processingMs: input.processing_time_ms },
      ctx.taskId,
    );
    return { user_id: input.user_id, applied, queries: record.queries, tokens: record.tokens, processing_ms: record.processingMs };
  },
});
