// notify.query_result: after each successful RAG query, its result goes to the user system.
import { z } from "zod";
import { defineTask } from "../../core/task-kit.ts";
import { notificationOutput } from "./output.ts";
import { notifier } from "./ports.ts";

export const notifyQueryResult = defineTask({
  name: "notify.query_result",
  queue: "notifications",
  uses: { notifier },
  description: "Send a query's answer to the user system's webhook",
  input: z.strictObject({
    user_id: z.string().min(1).max(200),
    conversation_id: z.string().min(1).max(200),
    message_id: z.string().min(1).max(200),
    query: z.string().min(1).max(20_000),
    answer: z.string().max(100_000),
    sources: z.array(z.union([z.string(), z.record(z.string(), z.unknown())])).max(200).default([]),
    tokens_used: z.number().int().min(0),
    processing_time_ms: z.number().min(0),
  }),
  output: notificationOutput,
  retry: { maxAttempts: 3, minBackoffSeconds: 2, maxBackoffSeconds: 60 },
  timeLimit: { softSeconds: 25, hardSeconds: 30 },
  // The user's question and the answer are the user's data: encrypted at rest.
  sensitive: { input: ["query", "answer"] },
  handler: async (input, ctx) => {
    const { status } = await ctx.notifier.send("query_result", { task_id: ctx.taskId, ...input }, { id: ctx.taskId, signal: ctx.signal });
    return { delivered: true, event: "query_result", status_code: status };
  },
});
