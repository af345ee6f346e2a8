// A finished (or handed-over) paged sync as the task result.
import type { SyncRun } from "./paged-sync.ts";
import type { SyncResult } from "./schemas.ts";

export function syncRunResult(run: SyncRun, extra: { watermark: string | null; continuedIn?: string }): SyncResult {
  const c = run.checkpoint;
  return {
    collection: c.collection,
    region_id: c.regionId,
    documents_synced: c.documentsDone,
    chunks_upserted: c.chunksUpserted,
    deleted: c.deleted,
    documents_total: c.total,
    batches: c.batches,
    since: c.since,
    watermark: extra.watermark,
    complete: run.complete,
    continued_in: extra.continuedIn ?? null,
    resumed_from_checkpoint: run.resumedAt !== null,
    resumed_at_documents: run.resumedAt,
  };
}
