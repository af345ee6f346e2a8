// The loop every paged sync runs: read a page of the source, write it, store a
// checkpoint (the source cursor and the counts so far), report progress, and
// go on until the source has no more pages. The checkpoint is what makes a
// sync resumable: a retry, a redelivery after a dead worker, or a continuation
// task with the same checkpoint id starts where the last one stopped, not at
// page one. Replaying the page in flight when a worker died is harmless: every
// write is idempotent (document-sync.ts).
import { NonRetryableError } from "../../core/task-kit.ts";
import type { SyncContext } from "./ports.ts";
import type { ChunkOptions } from "./chunking.ts";
import { syncDocuments } from "./document-sync.ts";
import { syncKeys } from "./keys.ts";

type SyncKind = "full" | "region" | "incremental";

interface Checkpoint {
  kind: SyncKind;
  collection: string;
  regionId: string | null;
  since: string | null;
  /** Where the next page starts; null before the first. */
  cursor: string | null;
  documentsDone: number;
  chunksUpserted: number;
  deleted: number;
  batches: number;
  total: number | null;
  /** When the sync (its first task) started, ISO. */
  startedAt: string;
  /** The newest source change seen, ISO: becomes the watermark. */
  maxUpdatedAt: string | null;
}

export interface SyncPlan {
  kind: SyncKind;
  collection: string;
  checkpointId: string;
  batchSize: number;
  chunking: ChunkOptions;
  since?: string;
  regionId?: string;
  /** Hand over (return incomplete) once this task has run this long, between batches. Absent: never. */
  budgetSeconds?: number;
  /** Fail once the whole sync, from its first task, has run this long. Absent: no limit. */
  limitSeconds?: number;
  /** Test hook: the first attempt throws after this many batches. */
  stopAfterBatches?: number;
}

export interface SyncRun {
  checkpoint: Checkpoint;
  complete: boolean;
  /** Documents done when this attempt picked up a stored checkpoint; null for a fresh start. */
  resumedAt: number | null;
}

/** Long enough to outlive a continuation's queueing and a retry's backoff. */
const CHECKPOINT_TTL_SECONDS = 2 * 24 * 3600;

export async function runPagedSync(ctx: SyncContext, plan: SyncPlan): Promise<SyncRun> {
  const key = syncKeys.checkpoint(plan.checkpointId);
  const stored = await ctx.kv.get<Checkpoint>(key);
  if (stored && (stored.kind !== plan.kind || stored.collection !== plan.collection || stored.regionId !== (plan.regionId ?? null))) {
    throw new NonRetryableError(`checkpoint ${plan.checkpointId} belongs to a ${stored.kind} sync of collection ${stored.collection}, not this one`);
  }
  const checkpoint: Checkpoint = stored ?? {
    kind: plan.kind, collection: plan.collection, regionId: plan.regionId ?? null, since: plan.since ?? null,
    cursor: null, documentsDone: 0, chunksUpserted: 0, deleted: 0, batches: 0, total: null,
    startedAt: new Date().toISOString(), maxUpdatedAt: null,
  };
  const resumedAt = stored ? stored.documentsDone : null;
  if (stored) ctx.log.info({ checkpointId: plan.checkpointId, documentsDone: stored.documentsDone, batches: stored.batches }, "resuming a sync from its checkpoint");

  const startedAt = Date.parse(checkpoint.startedAt);
  const runStarted = Date.now();
  let batchesThisRun = 0;
  for (;;) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (plan.limitSeconds !== undefined && Date.now() - startedAt > plan.limitSeconds * 1000) {
      throw new NonRetryableError(
        `the ${plan.kind} sync ran out of its ${plan.limitSeconds} s time limit after ${describeDone(checkpoint)}; ` +
          `its checkpoint ${plan.checkpointId} is kept for 2 days: submit again with that checkpoint_id and a larger time_limit_seconds to finish it`,
      );
    }
    const page = await ctx.documents.changes({
      limit: plan.batchSize,
      signal: ctx.signal,
      ...(checkpoint.since ? { since: checkpoint.since } : {}),
      ...(checkpoint.regionId !== null ? { regionId: checkpoint.regionId } : {}),
      ...(checkpoint.cursor ? { cursor: checkpoint.cursor } : {}),
    });
    const stats = await syncDocuments(ctx, plan.collection, page.documents, plan.chunking, ctx.signal);
    checkpoint.documentsDone += stats.documents;
    checkpoint.chunksUpserted += stats.chunks;
    checkpoint.deleted += stats.deleted;
    checkpoint.batches += 1;
    checkpoint.total ??= page.total ?? null;
    checkpoint.maxUpdatedAt = newest(checkpoint.maxUpdatedAt, ...page.documents.map((d) => d.updatedAt));
    checkpoint.cursor = page.nextCursor;
    batchesThisRun += 1;
    if (page.nextCursor === null) {
      await ctx.kv.delete(key);
      await ctx.progress(100, `done: ${describeDone(checkpoint)}`);
      return { checkpoint, complete: true, resumedAt };
    }
    await ctx.kv.set(key, checkpoint, { ttlSeconds: CHECKPOINT_TTL_SECONDS });
    const percent = checkpoint.total ? Math.min(99, (checkpoint.documentsDone / checkpoint.total) * 100) : 0;
    await ctx.progress(percent, describeDone(checkpoint));
    if (plan.stopAfterBatches !== undefined && ctx.attempt === 1 && batchesThisRun >= plan.stopAfterBatches) {
      throw new Error(`stopped after ${batchesThisRun} batches on purpose (stop_after_batches); the next attempt resumes from the checkpoint`);
    }
    if (plan.budgetSeconds !== undefined && Date.now() - runStarted >= plan.budgetSeconds * 1000) {
      return { checkpoint, complete: false, resumedAt };
    }
  }
}

/** The later of ISO times (by instant, not by text); null when there are none. */
export function newest(...times: (string | null)[]): string | null {
  let best: string | null = null;
  for (const time of times) if (time !== null && (best === null || Date.parse(time) > Date.parse(best))) best = time;
  return best;
}

function describeDone(checkpoint: Checkpoint): string {
  return checkpoint.total !== null ? `${checkpoint.documentsDone}/${checkpoint.total} documents` : `${checkpoint.documentsDone} documents`;
}
