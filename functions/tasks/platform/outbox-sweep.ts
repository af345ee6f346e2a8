// platform.outbox_sweep: carries out the follow-ups (lifecycle events, callbacks,
// chain steps, chord callbacks) that a worker recorded with a final state but did
// not mark done: it died in between, or a follow-up was refused and its delivery
// was never redelivered. Scheduled every minute (functions/schedules.ts).
// It also sweeps the task indexes: an index entry whose record expired leaves
// (TaskStore.sweepIndexes), so the indexes hold what lives, not all history.
import { z } from "zod";
import { defineTask, outbox, taskHistory } from "../../core/task-kit.ts";

/** Most index sweep batches in one run: a backlog (a first run on an old deployment) is worked off over minutes. */
const INDEX_ROUNDS = 10;

export const outboxSweep = defineTask({
  name: "platform.outbox_sweep",
  queue: "cleanup",
  uses: { outbox, taskHistory },
  visibility: "internal",
  description: "Carry out the follow-ups a dead worker left pending (the outbox); remove index entries whose task record expired",
  input: z.strictObject({
    limit: z.number().int().min(1).max(5000).default(500),
    grace_seconds: z.number().int().min(1).max(86_400).optional().describe("only entries older than this; default OUTBOX_GRACE_SECONDS"),
    index_batch: z.number().int().min(1).max(5000).default(2000).describe("index entries looked at per batch (one Redis request)"),
    // At the default result TTL (an hour) most entries are looked at once, just after their record expired.
    // Never under 5 s: an entry is scored by its api instance's clock, and the walk must not pass a submit in flight.
    index_min_age_seconds: z.number().int().min(5).max(30 * 86_400).default(3600).describe("index entries younger than this are not looked at yet"),
  }),
  output: z.object({
    examined: z.number().int(), completed: z.number().int(), failed: z.number().int(), forgotten: z.number().int(),
    index_entries_examined: z.number().int(), index_entries_removed: z.number().int(), index_entries_left: z.number().int(),
  }),
  retry: { maxAttempts: 1 },
  timeLimit: { softSeconds: 50, hardSeconds: 55 },
  resultTtlSeconds: 600,
  handler: async (input, ctx) => {
    const outbox = await ctx.outbox.sweep({ limit: input.limit, ...(input.grace_seconds ? { graceMs: input.grace_seconds * 1000 } : {}) });
    const indexes = { index_entries_examined: 0, index_entries_removed: 0, index_entries_left: 0 };
    for (let round = 0; round < INDEX_ROUNDS && !ctx.signal.aborted; round++) {
      const swept = await ctx.taskHistory.sweepIndexes({ minAgeMs: input.index_min_age_seconds * 1000, budget: input.index_batch });
      indexes.index_entries_examined += swept.examined;
      indexes.index_entries_removed += swept.removed;
      indexes.index_entries_left = swept.entries;
      if (swept.examined < input.index_batch) break;
    }
    return { ...outbox, ...indexes };
  },
});
