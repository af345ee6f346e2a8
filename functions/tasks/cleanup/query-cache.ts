// cleanup.query_cache: daily, query-cache entries (`cache:query:<hash>`,
// {result, created_at}) older than `days` go.
import { z } from "zod";
import { defineTask, sweepInBatches, sweepOutput, sweepResume, sweepTiming } from "../../core/task-kit.ts";
import { caches } from "./ports.ts";

const TIME_LIMIT = { softSeconds: 240, hardSeconds: 300 };
const DAY_MS = 24 * 3600 * 1000;

export const cleanupQueryCache = defineTask({
  name: "cleanup.query_cache",
  queue: "cleanup",
  uses: { caches },
  description: "Remove query-cache entries older than `days`",
  input: z.strictObject({
    days: z.number().min(0).max(3650).default(30),
    ...sweepTiming(200, TIME_LIMIT.softSeconds),
    resume: sweepResume.optional().describe("set by the task itself when it hands over to a continuation"),
  }),
  output: sweepOutput({ scanned: z.number().int(), removed: z.number().int(), malformed: z.number().int() }),
  retry: { maxAttempts: 3, minBackoffSeconds: 10, maxBackoffSeconds: 300 },
  timeLimit: TIME_LIMIT,
  handler: async (input, ctx) => {
    // The cutoff is fixed when the sweep starts, and kept by its continuations.
    const before = input.resume?.since ?? Date.now() - input.days * DAY_MS;
    const report = await sweepInBatches(ctx, {
      counters: ["scanned", "removed", "malformed"] as const,
      start: "0",
      resume: input.resume,
      since: before,
      budgetMs: input.budget_seconds * 1000,
      batch: async (cursor) => {
        const page = await ctx.caches.sweepQueryCachePage(cursor, { count: input.batch_size, before });
        return { cursor: page.cursor, counts: { scanned: page.scanned, removed: page.removed, malformed: page.malformed } };
      },
      handOver: async (resume) => (await ctx.continueAsNew({ ...input, resume })).taskId,
    });
    return { ...report.counts, batches: report.batches, continued_as: report.continuedAs };
  },
});
