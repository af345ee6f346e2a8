// Single documents synced on demand: their ids collect in a Redis set (POST
// /v1/sync/documents/{id}, the document.changed event) and sync.process_queue,
// every 5 minutes, drains it. A set, so a document changed ten times between
// two runs is synced once.
import { z } from "zod";
import { defineTask } from "../../core/task-kit.ts";
import type { SourceDocument } from "./ports.ts";
import { defaultChunkOptions } from "./chunking.ts";
import { syncDocuments } from "./document-sync.ts";
import { syncKeys } from "./keys.ts";
import { batchSize, collectionName, documentId } from "./schemas.ts";
import { syncUses } from "./ports.ts";

/** Lookups in flight at once against the source. */
const LOOKUP_CONCURRENCY = 8;

export const syncProcessQueue = defineTask({
  name: "sync.process_queue",
  queue: "sync",
  uses: syncUses,
  description: "Sync the documents queued for sync (a Redis set), each read afresh from the source; runs every 5 minutes",
  input: z.strictObject({
    collection: collectionName.optional(),
    batch_size: batchSize,
    max_documents: z.number().int().min(1).max(100_000).default(5000).describe("leave the rest for the next run"),
  }),
  output: z.object({
    collection: z.string(),
    drained: z.number().int(),
    documents_synced: z.number().int(),
    chunks_upserted: z.number().int(),
    deleted: z.number().int(),
    remaining: z.number().int(),
  }),
  retry: { maxAttempts: 3, minBackoffSeconds: 2, maxBackoffSeconds: 60 },
  timeLimit: { softSeconds: 240, hardSeconds: 300 },
  handler: async (input, ctx) => {
    const collection = input.collection ?? ctx.vectors.defaultCollection;
    const key = syncKeys.pending(collection);
    const totals = { drained: 0, documents_synced: 0, chunks_upserted: 0, deleted: 0 };
    while (totals.drained < input.max_documents) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const ids = await ctx.kv.popFromSet(key, Math.min(input.batch_size, input.max_documents - totals.drained));
      if (ids.length === 0) break;
      try {
        const documents = await lookUp(ids, (id) => ctx.documents.get(id, ctx.signal));
        const stats = await syncDocuments(ctx, collection, documents, defaultChunkOptions, ctx.signal);
        totals.documents_synced += stats.documents;
        totals.chunks_upserted += stats.chunks;
        totals.deleted += stats.deleted;
      } catch (error) {
        // Popped but not synced: put them back for the retry (or the next run).
        await ctx.kv.addToSet(key, ...ids).catch((e: unknown) => ctx.log.error({ err: e, ids }, "could not put document ids back in the sync queue"));
        throw error;
      }
      totals.drained += ids.length;
      await ctx.progress(Math.min(99, (totals.drained / input.max_documents) * 100), `${totals.drained} queued documents synced`);
    }
    return { collection, ...totals, remaining: await ctx.kv.setSize(key) };
  },
});

/** Reads each document from the source; one the source never had is removed like a tombstone. */
async function lookUp(ids: string[], get: (id: string) => Promise<SourceDocument | null>): Promise<SourceDocument[]> {
  const documents: SourceDocument[] = [];
  for (let start = 0; start < ids.length; start += LOOKUP_CONCURRENCY) {
    const slice = ids.slice(start, start + LOOKUP_CONCURRENCY);
    const found = await Promise.all(slice.map(get));
    slice.forEach((id, i) => {
      documents.push(found[i] ?? { id, regionId: "", title: "", text: "", updatedAt: new Date(0).toISOString(), deleted: true });
    });
  }
  return documents;
}

export const syncQueueDocument = defineTask({
  name: "sync.queue_document",
  queue: "sync",
  uses: syncUses,
  description: "Queue one document for the next sync.process_queue (what the document.changed event starts)",
  input: z.strictObject({ document_id: documentId, collection: collectionName.optional() }),
  output: z.object({ queued: z.literal(true), document_id: z.string(), already_queued: z.boolean() }),
  retry: { maxAttempts: 3, minBackoffSeconds: 1, maxBackoffSeconds: 30 },
  timeLimit: { softSeconds: 25, hardSeconds: 30 },
  handler: async (input, ctx) => {
    const added = await ctx.kv.addToSet(syncKeys.pending(input.collection ?? ctx.vectors.defaultCollection), input.document_id);
    return { queued: true as const, document_id: input.document_id, already_queued: added === 0 };
  },
});

export const syncDeleteDocument = defineTask({
  name: "sync.delete_document",
  queue: "sync",
  uses: syncUses,
  description: "Delete every point (chunk) of one document from Qdrant",
  input: z.strictObject({ document_id: documentId, collection: collectionName.optional() }),
  output: z.object({ document_id: z.string(), collection: z.string(), deleted: z.literal(true) }),
  retry: { maxAttempts: 3, minBackoffSeconds: 2, maxBackoffSeconds: 60 },
  timeLimit: { softSeconds: 55, hardSeconds: 60 },
  handler: async (input, ctx) => {
    const collection = input.collection ?? ctx.vectors.defaultCollection;
    await ctx.vectors.deleteWhere(collection, [{ document_id: input.document_id }]);
    return { document_id: input.document_id, collection, deleted: true as const };
  },
});
