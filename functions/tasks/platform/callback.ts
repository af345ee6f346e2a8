// platform.callback: POSTs a task's outcome to the callback_url given at submit,
// with its own retries, signed with the tenant's callback secret (Standard
// Webhooks); webhook-id is this task's id, the same on every retry.
import { z } from "zod";
import { callbacks, defineTask } from "../../core/task-kit.ts";

export const callback = defineTask({
  name: "platform.callback",
  queue: "callbacks",
  uses: { callbacks },
  visibility: "internal",
  description: "Deliver a task's outcome to its callback_url",
  input: z.strictObject({ url: z.url({ protocol: /^https?$/ }), event: z.record(z.string(), z.unknown()) }),
  output: z.object({ delivered: z.boolean(), status_code: z.number().int() }),
  retry: { maxAttempts: 5, minBackoffSeconds: 2, maxBackoffSeconds: 300 },
  timeLimit: { softSeconds: 25, hardSeconds: 30 },
  handler: async (input, ctx) => {
    const { status } = await ctx.callbacks.post({ url: input.url, body: input.event, tenant: ctx.tenant, id: `msg_${ctx.taskId}` }, ctx.signal);
    return { delivered: true, status_code: status };
  },
});
