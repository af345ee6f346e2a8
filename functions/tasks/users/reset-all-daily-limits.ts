// user.reset_all_daily_limits: the daily reset (Cloud Scheduler, midnight).
// Counters expire at the reset on their own; this sweep is the backstop and
// the "reset everyone now" button. It copes with millions of users: SCAN pages
// (never KEYS), UNLINK per page, and a hand-over to a continuation near its
// time limit.
import { z } from "zod";
import { defineTask, sweepInBatches, sweepOutput, sweepResume, sweepTiming } from "../../core/task-kit.ts";
import { users } from "./ports.ts";

const TIME_LIMIT = { softSeconds: 240, hardSeconds: 300 };

export const resetAllDailyLimits = defineTask({
  name: "user.reset_all_daily_limits",
  queue: "user",
  uses: { users },
  description: "Reset every user's daily submit count, in SCAN batches",
  input: z.strictObject({
    ...sweepTiming(1000, TIME_LIMIT.softSeconds),
    resume: sweepResume.optional().describe("set by the task itself when it hands over to a continuation"),
  }),
  output: sweepOutput({ scanned: z.number().int(), reset: z.number().int() }),
  retry: { maxAttempts: 5, minBackoffSeconds: 5, maxBackoffSeconds: 120 },
  timeLimit: TIME_LIMIT,
  handler: async (input, ctx) => {
    const report = await sweepInBatches(ctx, {
      counters: ["scanned", "reset"] as const,
      start: "0",
      resume: input.resume,
      budgetMs: input.budget_seconds * 1000,
      batch: async (cursor) => {
        const page = await ctx.users.resetDailyCountsPage(cursor, input.batch_size);
        return { cursor: page.cursor, counts: { scanned: page.scanned, reset: page.reset } };
      },
      handOver: async (resume) => (await ctx.continueAsNew({ ...input, resume })).taskId,
    });
    ctx.log.info({ ...report.counts, batches: report.batches, continuedAs: report.continuedAs }, "daily limits reset");
    return { ...report.counts, batches: report.batches, continued_as: report.continuedAs };
  },
});
