// cleanup.conversations: conversations untouched for `days` move from Redis to
// Cloud Storage as JSON lines. A batch is deleted only after its archive part
// is written and confirmed, and only the versions archived (a conversation
// written to meanwhile stays), so nothing is lost.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { blobs, defineTask, sweepInBatches, sweepOutput, sweepResume, sweepTiming, type TaskContext } from "../../core/task-kit.ts";
import type { StoredConversation } from "./ports.ts";
import { conversations } from "./ports.ts";

const TIME_LIMIT = { softSeconds: 240, hardSeconds: 300 };
const DAY_MS = 24 * 3600 * 1000;
/** Part paths reported in the result; the count covers the rest. */
const LISTED_PARTS = 100;

export const cleanupConversations = defineTask({
  name: "cleanup.conversations",
  queue: "cleanup",
  uses: { conversations, blobs },
  description: "Archive conversations idle for `days` to Cloud Storage (JSON lines), then delete them from Redis",
  input: z.strictObject({
    days: z.number().min(0).max(3650).default(90),
    ...sweepTiming(100, TIME_LIMIT.softSeconds),
    resume: sweepResume.optional().describe("set by the task itself when it hands over to a continuation"),
  }),
  output: sweepOutput({
    scanned: z.number().int(),
    archived: z.number().int(),
    removed: z.number().int(),
    unreadable: z.number().int(),
    parts: z.number().int(),
  }).extend({ part_uris: z.array(z.string()).describe(`this run's archive parts (the first ${LISTED_PARTS})`) }),
  retry: { maxAttempts: 3, minBackoffSeconds: 10, maxBackoffSeconds: 300 },
  timeLimit: TIME_LIMIT,
  handler: async (input, ctx) => {
    const before = input.resume?.since ?? Date.now() - input.days * DAY_MS;
    // Every run (attempt, continuation, redrive) writes parts of its own: a retry never overwrites what an earlier run archived and deleted.
    const run = randomBytes(6).toString("hex");
    const partUris: string[] = [];
    let part = input.resume?.counts.parts ?? 0;
    const report = await sweepInBatches(ctx, {
      counters: ["scanned", "archived", "removed", "unreadable", "parts"] as const,
      start: "0",
      resume: input.resume,
      since: before,
      budgetMs: input.budget_seconds * 1000,
      batch: async (cursor) => {
        const page = await ctx.conversations.stalePage(cursor, { count: input.batch_size, before });
        if (page.stale.length === 0) return { cursor: page.cursor, counts: { scanned: page.scanned, unreadable: page.unreadable } };
        const uri = await archivePart(ctx, page.stale, `archive/conversations/${new Date().toISOString().slice(0, 10)}/part-${String(part).padStart(5, "0")}-${run}.jsonl`);
        part += 1;
        if (partUris.length < LISTED_PARTS) partUris.push(uri);
        const removed = await ctx.conversations.deleteUnchanged(page.stale);
        return { cursor: page.cursor, counts: { scanned: page.scanned, unreadable: page.unreadable, archived: page.stale.length, removed, parts: 1 } };
      },
      handOver: async (resume) => (await ctx.continueAsNew({ ...input, resume })).taskId,
    });
    ctx.log.info({ ...report.counts, continuedAs: report.continuedAs }, "conversations archived");
    return { ...report.counts, batches: report.batches, continued_as: report.continuedAs, part_uris: partUris };
  },
});

/** Writes one JSON-lines part and reads its size back: the write is confirmed before anything is deleted. */
async function archivePart(
  ctx: Pick<TaskContext<{ blobs: typeof blobs }>, "blobs" | "taskId" | "signal">,
  conversations: StoredConversation[],
  path: string,
): Promise<string> {
  const archivedAt = new Date().toISOString();
  const lines = conversations.map((c) =>
    JSON.stringify({ conversation_id: c.id, updated_at: new Date(c.updatedAt).toISOString(), archived_at: archivedAt, conversation: JSON.parse(c.json) as unknown }),
  );
  const data = Buffer.from(`${lines.join("\n")}\n`, "utf8");
  const { uri } = await ctx.blobs.put(path, data, {
    contentType: "application/x-ndjson",
    metadata: { task_id: ctx.taskId, conversations: String(conversations.length) },
    signal: ctx.signal,
  });
  const written = await ctx.blobs.stat(path);
  if (!written || written.bytes !== data.length) {
    // Retryable: the batch stays in Redis and is archived again by the next attempt.
    throw new Error(`archive part ${uri} was not confirmed (${written ? `${written.bytes} of ${data.length} bytes` : "missing"}); nothing deleted`);
  }
  return uri;
}
