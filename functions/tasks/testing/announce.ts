// testing.announce: a chord callback whose effect shows at the user system's
// webhook, labelled, so a fault run (npm run faults) can tell whether a chord's
// callback ran once, twice or never.
import { z } from "zod";
import { defineTask } from "../../core/task-kit.ts";
import { notifier } from "../notifications/ports.ts";

export const announce = defineTask({
  name: "testing.announce",
  queue: "default",
  uses: { notifier },
  visibility: "testing",
  description: "A chord callback: tells the user system's webhook (event chord_callback) how many results it got, with its label",
  input: z.object({ results: z.array(z.unknown()), failed: z.array(z.unknown()).default([]), label: z.string().max(200).default("") }).loose(),
  output: z.object({ count: z.number(), failed: z.number() }),
  retry: { maxAttempts: 5, minBackoffSeconds: 1, maxBackoffSeconds: 10 },
  timeLimit: { softSeconds: 25, hardSeconds: 30 },
  handler: async (input, ctx) => {
    const counts = { count: input.results.length, failed: input.failed.length };
    await ctx.notifier.send("chord_callback", { task_id: ctx.taskId, label: input.label, ...counts }, { id: ctx.taskId, signal: ctx.signal });
    return counts;
  },
});
