// sync.embeddings: the documents changed since the collection's watermark (or
// since `since`), deletions included. Retries resume from the checkpoint, and
// the watermark only moves once the whole run is through.
import { z } from "zod";
import { defineTask } from "../../core/task-kit.ts";
import { defaultChunkOptions } from "./chunking.ts";
import { runPagedSync } from "./paged-sync.ts";
import { syncRunResult } from "./result.ts";
import { batchSize, collectionName, syncResult } from "./schemas.ts";
import { advanceWatermark, readWatermark } from "./watermark.ts";
import { syncUses } from "./ports.ts";

export const syncEmbeddings = defineTask({
  name: "sync.embeddings",
  queue: "sync",
  uses: syncUses,
  description: "Embed the documents changed at the source since the watermark (or `since`) into Qdrant",
  input: z.strictObject({
    batch_size: batchSize,
    since: z.iso.datetime({ offset: true }).optional().describe("sync changes after this time instead of after the stored watermark"),
    collection: collectionName.optional(),
  }),
  output: syncResult,
  retry: { maxAttempts: 3, minBackoffSeconds: 2, maxBackoffSeconds: 120 },
  timeLimit: { softSeconds: 840, hardSeconds: 900 },
  handler: async (input, ctx) => {
    const collection = input.collection ?? ctx.vectors.defaultCollection;
    const since = input.since ?? (await readWatermark(ctx.kv, collection)) ?? undefined;
    const run = await runPagedSync(ctx, {
      kind: "incremental",
      collection,
      checkpointId: ctx.taskId,
      batchSize: input.batch_size,
      chunking: defaultChunkOptions,
      ...(since ? { since } : {}),
    });
    return syncRunResult(run, { watermark: await advanceWatermark(ctx.kv, collection, run.checkpoint.maxUpdatedAt) });
  },
});
