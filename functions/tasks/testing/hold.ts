// testing.hold: a long task with a 30-minute hard limit, for measuring how soon
// a run whose worker died is taken over (npm run faults): the takeover must not
// wait for the hard limit.
import { z } from "zod";
import { defineTask } from "../../core/task-kit.ts";

export const hold = defineTask({
  name: "testing.hold",
  queue: "default",
  visibility: "testing",
  description: "Holds its worker for `seconds`, reporting progress each second; hard limit 30 minutes",
  input: z.strictObject({ seconds: z.number().min(0).max(1700) }),
  output: z.object({ held_seconds: z.number() }),
  retry: { maxAttempts: 3, minBackoffSeconds: 1, maxBackoffSeconds: 2 },
  timeLimit: { softSeconds: 1750, hardSeconds: 1800 },
  handler: async (input, ctx) => {
    const started = Date.now();
    const steps = Math.max(1, Math.ceil(input.seconds));
    for (let i = 0; i < steps; i += 1) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      await new Promise((r) => setTimeout(r, (input.seconds * 1000) / steps));
      await ctx.progress(((i + 1) / steps) * 100, `second ${i + 1}/${steps}`);
    }
    return { held_seconds: (Date.now() - started) / 1000 };
  },
});
