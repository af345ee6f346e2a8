// testing.fail_once: fails for good on its first run and succeeds once redriven,
// so the console's retry button can be seen turning a FAILURE into a SUCCESS.
import { z } from "zod";
import { NonRetryableError, defineTask, kv } from "../../core/task-kit.ts";

export const failOnce = defineTask({
  name: "testing.fail_once",
  queue: "default",
  uses: { kv },
  visibility: "testing",
  description: "Fails (not retryable) on its first run; succeeds when retried after that",
  input: z.object({ note: z.string().max(200).optional() }).loose(),
  output: z.object({ runs: z.number() }),
  handler: async (_input, ctx) => {
    // A KV counter, not `attempt`: a redrive starts the attempts from 1 again.
    const runs = await ctx.kv.increment(`testing:fail_once:${ctx.taskId}`, 1, 3600);
    if (runs === 1) throw new NonRetryableError("failing the first run on purpose; retry me");
    return { runs };
  },
});
