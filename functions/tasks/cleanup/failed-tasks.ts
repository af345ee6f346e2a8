// cleanup.failed_tasks: FAILURE records older than `days` leave the
// dead-letter index and Redis, oldest first, a bounded batch at a time.
import { z } from "zod";
import { defineTask, sweepInBatches, sweepOutput, sweepResume, sweepTiming, taskHistory } from "../../core/task-kit.ts";

const TIME_LIMIT = { softSeconds: 240, hardSeconds: 300 };
const DAY_MS = 24 * 3600 * 1000;

export const cleanupFailedTasks = defineTask({
  name: "cleanup.failed_tasks",
  queue: "cleanup",
  uses: { taskHistory },
  description: "Remove FAILURE task records that finished more than `days` ago",
  input: z.strictObject({
    days: z.number().min(0).max(3650).default(7),
    ...sweepTiming(500, TIME_LIMIT.softSeconds),
    resume: sweepResume.optional().describe("set by the task itself when it hands over to a continuation"),
  }),
  output: sweepOutput({
    /** Dead-letter index entries examined (each leaves the index). */
    scanned: z.number().int(),
    /** FAILURE records deleted. */
    removed: z.number().int(),
    /** Entries whose record had expired or been redriven: only the entry went. */
    stale_entries: z.number().int(),
  }),
  retry: { maxAttempts: 3, minBackoffSeconds: 10, maxBackoffSeconds: 300 },
  timeLimit: TIME_LIMIT,
  handler: async (input, ctx) => {
    const before = input.resume?.since ?? Date.now() - input.days * DAY_MS;
    const report = await sweepInBatches(ctx, {
      counters: ["scanned", "removed", "stale_entries"] as const,
      // The index shrinks as it is swept: every batch starts at its oldest entry, so the cursor only says "more".
      start: "oldest",
      resume: input.resume,
      since: before,
      budgetMs: input.budget_seconds * 1000,
      batch: async () => {
        const purged = await ctx.taskHistory.purgeFailed(before, input.batch_size);
        return {
          cursor: purged.examined < input.batch_size ? null : "oldest",
          counts: { scanned: purged.examined, removed: purged.recordsDeleted, stale_entries: purged.examined - purged.recordsDeleted },
        };
      },
      handOver: async (resume) => (await ctx.continueAsNew({ ...input, resume })).taskId,
    });
    return { ...report.counts, batches: report.batches, continued_as: report.continuedAs };
  },
});
