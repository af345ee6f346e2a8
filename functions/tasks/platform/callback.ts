// platform.callback: POSTs a task's outcome to the callback_url given at submit,
// signed like notifications (X-Signature), with its own retries.
import { z } from "zod";
import { defineTask } from "../../core/define-task.ts";

export const callback = defineTask({
  name: "platform.callback",
  queue: "callbacks",
  visibility: "internal",
  description: "Deliver a task's outcome to its callback_url",
  input: z.strictObject({ url: z.url({ protocol: /^https?$/ }), event: z.record(z.string(), z.unknown()) }),
  output: z.object({ delivered: z.boolean(), status_code: z.number().int() }),
  retry: { maxAttempts: 5, minBackoffSeconds: 2, maxBackoffSeconds: 300 },
  timeLimit: { softSeconds: 25, hardSeconds: 30 },
  handler: async (input, ctx) => {
    const { status } = await ctx.callbacks.post(input.url, input.event, ctx.signal);
    return { delivered: true, status_code: status };
  },
});
