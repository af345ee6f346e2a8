// sync.full, sync.all_regions and sync.region: re-index everything (or one
// region) from the source, resumably. Cloud Tasks gives one dispatch at most
// 30 minutes, so a sync that needs longer runs as a chain: each task works for
// `time_budget_seconds`, stores its checkpoint, enqueues a continuation with the
// same checkpoint_id and ends SUCCESS with `complete: false, continued_in`.
// A task that dies instead (worker lost, soft limit) is retried once and the
// retry resumes from the same checkpoint.
import { z } from "zod";
import { defineTask, type EnqueueOptions } from "../../core/task-kit.ts";
import { syncUses, type SyncContext } from "./ports.ts";
import { defaultChunkOptions } from "./chunking.ts";
import { runPagedSync } from "./paged-sync.ts";
import { syncRunResult } from "./result.ts";
import { batchSize, collectionName, resumableInput, syncResult, type SyncResult } from "./schemas.ts";
import { advanceWatermark, readWatermark } from "./watermark.ts";

const fullInput = z.strictObject({ batch_size: batchSize, collection: collectionName.optional(), ...resumableInput });
const regionInput = fullInput.extend({ region_id: z.union([z.string().min(1).max(200), z.number().int()]).transform(String).describe("the region to re-index") });

type ResumableInput = z.output<typeof fullInput> & { region_id?: string };

// Soft limit a minute before the hard one (Cloud Tasks' 30-minute cap): the signal
// aborts, the attempt fails, and the retry resumes from the checkpoint.
const timeLimit = { softSeconds: 1740, hardSeconds: 1800 };
const retry = { maxAttempts: 2, minBackoffSeconds: 5, maxBackoffSeconds: 60 };

/** Submits the continuation: the same task (continueAsNew), or sync.full for sync.all_regions. */
type ContinueWith = (next: z.input<typeof fullInput>, options: EnqueueOptions) => Promise<{ taskId: string }>;

async function runResumable(input: ResumableInput, ctx: SyncContext, continueWith: ContinueWith): Promise<SyncResult> {
  const collection = input.collection ?? ctx.vectors.defaultCollection;
  const checkpointId = input.checkpoint_id ?? ctx.taskId;
  const run = await runPagedSync(ctx, {
    kind: input.region_id === undefined ? "full" : "region",
    collection,
    checkpointId,
    batchSize: input.batch_size,
    chunking: defaultChunkOptions,
    budgetSeconds: input.time_budget_seconds,
    limitSeconds: input.time_limit_seconds,
    ...(input.region_id !== undefined ? { regionId: input.region_id } : {}),
    ...(input.stop_after_batches !== undefined ? { stopAfterBatches: input.stop_after_batches } : {}),
  });
  if (!run.complete) {
    const { stop_after_batches: _testHook, region_id: _region, ...rest } = input;
    const next = await continueWith({ ...rest, checkpoint_id: checkpointId }, { idempotencyKey: `continue-${checkpointId}-${run.checkpoint.batches}` });
    ctx.log.info({ checkpointId, continuedIn: next.taskId, documentsDone: run.checkpoint.documentsDone }, "time budget spent; a continuation takes over");
    return syncRunResult(run, { watermark: await readWatermark(ctx.kv, collection), continuedIn: next.taskId });
  }
  // A region sync saw one region only: the collection's watermark is not its to move.
  const watermark = run.checkpoint.kind === "full"
    ? await advanceWatermark(ctx.kv, collection, run.checkpoint.maxUpdatedAt)
    : await readWatermark(ctx.kv, collection);
  return syncRunResult(run, { watermark });
}

export const syncFull = defineTask({
  name: "sync.full",
  queue: "sync",
  uses: syncUses,
  description: "Re-index every document of the source into Qdrant; resumable from its checkpoint, continues itself past Cloud Tasks' 30-minute cap",
  input: fullInput,
  output: syncResult,
  retry,
  timeLimit,
  handler: (input, ctx) => runResumable(input, ctx, (next, options) => ctx.continueAsNew(next, options)),
});

export const syncAllRegions = defineTask({
  name: "sync.all_regions",
  queue: "sync",
  uses: syncUses,
  description: "The travel bot's daily job: a full sync of all regions (sync.full under the schedule's name)",
  input: fullInput,
  output: syncResult,
  retry,
  timeLimit,
  handler: (input, ctx) => runResumable(input, ctx, (next, options) => ctx.enqueue(syncFull, next, options)),
});

export const syncRegion = defineTask({
  name: "sync.region",
  queue: "sync",
  uses: syncUses,
  description: "Re-index the documents of one region",
  input: regionInput,
  output: syncResult,
  retry,
  timeLimit,
  handler: (input, ctx) => runResumable(input, ctx, (next, options) => ctx.continueAsNew({ ...next, region_id: input.region_id }, options)),
});
