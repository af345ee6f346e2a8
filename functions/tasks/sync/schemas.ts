// Input pieces and the result every paged sync task returns.
import { z } from "zod";

export const collectionName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,100}$/, "a collection name is 1-100 letters, digits, _ or -")
  .describe("Qdrant collection; default QDRANT_COLLECTION");

export const batchSize = z.number().int().min(1).max(1000).default(100).describe("documents per source page and per write");

export const documentId = z.string().min(1).max(256).describe("the ingest system's document id");

/** Resumable syncs: how long one task runs before it hands over to a continuation, and the limit over all of them. */
export const resumableInput = {
  checkpoint_id: z.string().regex(/^[A-Za-z0-9_.:-]{1,200}$/).optional().describe("continue the sync that stored this checkpoint (continuations set it)"),
  time_budget_seconds: z.number().int().min(0).max(1740).default(1680).describe("run this long, then save the checkpoint and enqueue a continuation (0: one batch per task)"),
  time_limit_seconds: z.number().int().min(60).max(86_400).default(3600).describe("the whole sync, continuations included, fails after this long"),
  stop_after_batches: z.number().int().min(1).optional().describe("test hook: the first attempt fails after this many batches, as if its worker died"),
};

export const syncResult = z.object({
  collection: z.string(),
  region_id: z.string().nullable(),
  /** Documents written or deleted, tombstones included, over the whole sync (earlier attempts and continuations too). */
  documents_synced: z.number().int(),
  /** Chunks embedded and upserted. */
  chunks_upserted: z.number().int(),
  /** Documents whose points were deleted (tombstones at the source). */
  deleted: z.number().int(),
  /** What the source said it would send, when it knows. */
  documents_total: z.number().int().nullable(),
  batches: z.number().int(),
  since: z.string().nullable(),
  /** The collection's watermark after this sync (where the next sync.embeddings starts). */
  watermark: z.string().nullable(),
  /** False when this task ran out of its time budget and handed over to `continued_in`. */
  complete: z.boolean(),
  continued_in: z.string().nullable(),
  resumed_from_checkpoint: z.boolean(),
  /** Documents already done when this attempt picked the checkpoint up. */
  resumed_at_documents: z.number().int().nullable(),
});
export type SyncResult = z.input<typeof syncResult>;
