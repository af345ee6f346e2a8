// cleanup.cache: every 6 hours, cache entries past their age go and keys a bug
// left without a TTL get one. The query namespace has its own task.
import { z } from "zod";
import { defineTask, sweepInBatches, sweepOutput, sweepResume, sweepTiming } from "../../core/task-kit.ts";
import { caches } from "./ports.ts";

const TIME_LIMIT = { softSeconds: 240, hardSeconds: 300 };

export const cleanupCache = defineTask({
  name: "cleanup.cache",
  queue: "cleanup",
  uses: { caches },
  description: "Remove cache entries past their age; give keys without a TTL one",
  input: z.strictObject({
    max_age_seconds: z.number().int().min(1).optional().describe("oldest a cache entry may be; default CACHE_MAX_AGE_SECONDS"),
    ...sweepTiming(200, TIME_LIMIT.softSeconds),
    resume: sweepResume.optional().describe("set by the task itself when it hands over to a continuation"),
  }),
  output: sweepOutput({ scanned: z.number().int(), removed: z.number().int(), ttl_given: z.number().int() }),
  retry: { maxAttempts: 3, minBackoffSeconds: 10, maxBackoffSeconds: 300 },
  timeLimit: TIME_LIMIT,
  handler: async (input, ctx) => {
    const report = await sweepInBatches(ctx, {
      counters: ["scanned", "removed", "ttl_given"] as const,
      start: "0",
      resume: input.resume,
      budgetMs: input.budget_seconds * 1000,
      batch: async (cursor) => {
        const page = await ctx.caches.sweepCachePage(cursor, {
          count: input.batch_size, now: Date.now(), ...(input.max_age_seconds ? { maxAgeMs: input.max_age_seconds * 1000 } : {}),
        });
        return { cursor: page.cursor, counts: { scanned: page.scanned, removed: page.removed, ttl_given: page.ttlGiven } };
      },
      handOver: async (resume) => (await ctx.continueAsNew({ ...input, resume })).taskId,
    });
    return { ...report.counts, batches: report.batches, continued_as: report.continuedAs };
  },
});
