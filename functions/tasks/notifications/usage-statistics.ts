// notify.usage_statistics: hourly, the counters the platform keeps go to the user system.
import { z } from "zod";
import { defineTask, usage } from "../../core/task-kit.ts";
import { notificationOutput } from "./output.ts";
import { notifier } from "./ports.ts";

export const notifyUsageStatistics = defineTask({
  name: "notify.usage_statistics",
  queue: "notifications",
  uses: { notifier, usage },
  description: "Send the platform's usage counters to the user system",
  input: z.strictObject({}),
  output: notificationOutput,
  retry: { maxAttempts: 3, minBackoffSeconds: 2, maxBackoffSeconds: 60 },
  timeLimit: { softSeconds: 25, hardSeconds: 30 },
  handler: async (_input, ctx) => {
    const counters = await ctx.usage.snapshot();
    const { status } = await ctx.notifier.send("usage_statistics", { task_id: ctx.taskId, generated_at: new Date().toISOString(), ...counters }, { id: ctx.taskId, signal: ctx.signal });
    return { delivered: true, event: "usage_statistics", status_code: status };
  },
});
