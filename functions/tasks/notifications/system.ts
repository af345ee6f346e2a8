// notify.system: a system notification to some users (or all, when user_ids is empty).
import { z } from "zod";
import { defineTask } from "../../core/task-kit.ts";
import { notificationOutput } from "./output.ts";
import { notifier } from "./ports.ts";

export const notifySystem = defineTask({
  name: "notify.system",
  queue: "notifications",
  uses: { notifier },
  description: "Send a system notification to users through the user system's webhook",
  input: z.strictObject({
    notification_type: z.string().min(1).max(100),
    title: z.string().min(1).max(500),
    message: z.string().min(1).max(10_000),
    user_ids: z.array(z.string().min(1).max(200)).max(10_000).default([]),
    metadata: z.record(z.string(), z.unknown()).default({}),
  }),
  output: notificationOutput,
  retry: { maxAttempts: 3, minBackoffSeconds: 2, maxBackoffSeconds: 60 },
  timeLimit: { softSeconds: 25, hardSeconds: 30 },
  handler: async (input, ctx) => {
    await ctx.progress(10, "delivering");
    const { status } = await ctx.notifier.send("system_notification", { task_id: ctx.taskId, ...input }, { id: ctx.taskId, signal: ctx.signal });
    return { delivered: true, event: "system_notification", status_code: status };
  },
});
