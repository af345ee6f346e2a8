// platform.outbox_sweep: carries out the follow-ups (lifecycle events, callbacks,
// chain steps, chord callbacks) that a worker recorded with a final state but did
// not mark done: it died in between, or a follow-up was refused and its delivery
// was never redelivered. Scheduled every minute (functions/schedules.ts).
import { z } from "zod";
import { defineTask } from "../../core/define-task.ts";

export const outboxSweep = defineTask({
  name: "platform.outbox_sweep",
  queue: "cleanup",
  visibility: "internal",
  description: "Carry out the follow-ups a dead worker left pending (the outbox)",
  input: z.strictObject({
    limit: z.number().int().min(1).max(5000).default(500),
    grace_seconds: z.number().int().min(1).max(86_400).optional().describe("only entries older than this; default OUTBOX_GRACE_SECONDS"),
  }),
  output: z.object({ examined: z.number().int(), completed: z.number().int(), failed: z.number().int(), forgotten: z.number().int() }),
  retry: { maxAttempts: 1 },
  timeLimit: { softSeconds: 50, hardSeconds: 55 },
  resultTtlSeconds: 600,
  handler: async (input, ctx) =>
    ctx.outbox.sweep({ limit: input.limit, ...(input.grace_seconds ? { graceMs: input.grace_seconds * 1000 } : {}) }),
});
