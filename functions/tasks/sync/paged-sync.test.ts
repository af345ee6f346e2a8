// The sync domain's logic on in-memory ports: idempotent writes, stale chunks,
// tombstones, checkpoints, continuations and the watermark.
import { describe, expect, it } from "vitest";
import { syncDocuments } from "./document-sync.ts";
import { defaultChunkOptions } from "./chunking.ts";
import { syncEmbeddings } from "./incremental-sync.ts";
import { syncFull } from "./full-sync.ts";
import { syncProcessQueue } from "./queued-documents.ts";
import { syncKeys } from "./keys.ts";
import { document, memoryKv, memorySource, memoryVectors, taskContext } from "../../../test/helpers/sync-memory-ports.ts";

const long = (n: number) => Array.from({ length: n }, (_, i) => `Sentence ${i} tells of the old quarter of Hanoi and its lakes.`).join(" ");
const corpus = (n: number) => Array.from({ length: n }, (_, i) => document(`doc-${i}`, `Document ${i} about Hanoi.`, i));

describe("syncDocuments", () => {
  it("re-syncing is idempotent, and a shortened document leaves no stale chunks", async () => {
    const vectors = memoryVectors();
    const ports = { embedder: taskContext({ documents: memorySource([]), vectors, kv: memoryKv() }).ctx.embedder, vectors };
    const longDoc = document("d1", long(40), 1);
    const first = await syncDocuments(ports, "c", [longDoc, document("d2", "Short.", 1)], defaultChunkOptions);
    expect(first.chunks).toBeGreaterThan(3);
    const before = await vectors.count("c");
    await syncDocuments(ports, "c", [longDoc, document("d2", "Short.", 1)], defaultChunkOptions);
    expect(await vectors.count("c")).toBe(before);

    await syncDocuments(ports, "c", [document("d1", long(2), 2)], defaultChunkOptions);
    expect(await vectors.count("c", { document_id: "d1" })).toBe(1);
    expect(await vectors.count("c", { document_id: "d2" })).toBe(1);

    const gone = await syncDocuments(ports, "c", [document("d1", "", 3, { deleted: true })], defaultChunkOptions);
    expect(gone).toEqual({ documents: 1, chunks: 0, deleted: 1 });
    expect(await vectors.count("c", { document_id: "d1" })).toBe(0);
  });

  it("carries the payload the search needs", async () => {
    const vectors = memoryVectors();
    const ports = { embedder: taskContext({ documents: memorySource([]), vectors, kv: memoryKv() }).ctx.embedder, vectors };
    await syncDocuments(ports, "c", [document("d1", "Hồ Hoàn Kiếm.", 1)], defaultChunkOptions);
    expect([...vectors.points.values()][0]!.payload).toEqual({
      document_id: "d1", region_id: "ha-noi", chunk_index: 0, text: "Hồ Hoàn Kiếm.", title: "Title d1", updated_at: "2025-01-01T00:01:00.000Z",
    });
  });
});

describe("sync.full", () => {
  it("resumes from its checkpoint after a failed attempt, with the right totals", async () => {
    const source = memorySource(corpus(25));
    const kv = memoryKv();
    const vectors = memoryVectors();
    const first = taskContext({ documents: source, vectors, kv });
    await expect(syncFull.handler(syncFull.input.parse({ batch_size: 5, stop_after_batches: 2 }), first.ctx)).rejects.toThrow(/stopped after 2 batches/);
    expect(await kv.get(syncKeys.checkpoint("task-1"))).toMatchObject({ documentsDone: 10, cursor: "10" });

    const second = taskContext({ documents: source, vectors, kv }, { attempt: 2 });
    source.calls.length = 0;
    const result = await syncFull.handler(syncFull.input.parse({ batch_size: 5, stop_after_batches: 2 }), second.ctx);
    expect(result).toMatchObject({ complete: true, resumed_from_checkpoint: true, resumed_at_documents: 10, documents_synced: 25, documents_total: 25, batches: 5 });
    expect(source.calls[0]!.cursor).toBe("10");
    expect(await vectors.count("documents")).toBe(25);
    expect(await kv.get(syncKeys.checkpoint("task-1"))).toBeNull();
    expect(await kv.get(syncKeys.watermark("documents"))).toBe(corpus(25)[24]!.updatedAt);
    expect(second.progress.at(-1)).toEqual([100, "done: 25/25 documents"]);
  });

  it("hands over to a continuation with the same checkpoint when its time budget is spent", async () => {
    const source = memorySource(corpus(12));
    const kv = memoryKv();
    const vectors = memoryVectors();
    const first = taskContext({ documents: source, vectors, kv });
    const result = await syncFull.handler(syncFull.input.parse({ batch_size: 5, time_budget_seconds: 0 }), first.ctx);
    expect(result).toMatchObject({ complete: false, continued_in: "child-1", documents_synced: 5 });
    expect(first.enqueued).toEqual([{ type: "(same type)", payload: expect.objectContaining({ checkpoint_id: "task-1", batch_size: 5 }) }]);

    const next = taskContext({ documents: source, vectors, kv }, { taskId: "child-1" });
    const payload = syncFull.input.parse({ ...(first.enqueued[0]!.payload as object), time_budget_seconds: 600 });
    expect(await syncFull.handler(payload, next.ctx)).toMatchObject({ complete: true, resumed_from_checkpoint: true, documents_synced: 12 });
  });

  it("fails for good when the collection's vector size differs", async () => {
    const ctx = taskContext({ documents: memorySource(corpus(3)), vectors: memoryVectors(8), kv: memoryKv() }).ctx;
    await expect(syncFull.handler(syncFull.input.parse({}), ctx)).rejects.toMatchObject({ name: "NonRetryableError", message: "collection documents has vectors of size 8, the embedder makes 32" });
  });
});

describe("sync.embeddings", () => {
  it("syncs only what changed after the watermark, and moves it", async () => {
    const source = memorySource(corpus(10));
    const kv = memoryKv();
    const vectors = memoryVectors();
    const all = await syncEmbeddings.handler(syncEmbeddings.input.parse({}), taskContext({ documents: source, vectors, kv }).ctx);
    expect(all).toMatchObject({ documents_synced: 10, since: null });
    source.documents[3] = document("doc-3", "Changed text about Da Nang.", 100);
    vectors.upserts = 0;
    const changed = await syncEmbeddings.handler(syncEmbeddings.input.parse({}), taskContext({ documents: source, vectors, kv }, { taskId: "task-2" }).ctx);
    expect(changed).toMatchObject({ documents_synced: 1, chunks_upserted: 1, since: all.watermark, watermark: source.documents[3]!.updatedAt });
    expect(vectors.upserts).toBe(1);
    const nothing = await syncEmbeddings.handler(syncEmbeddings.input.parse({}), taskContext({ documents: source, vectors, kv }, { taskId: "task-3" }).ctx);
    expect(nothing).toMatchObject({ documents_synced: 0 });
  });
});

describe("sync.process_queue", () => {
  it("syncs each queued id once, deletes ids the source lacks, and puts ids back on failure", async () => {
    const source = memorySource(corpus(3));
    const kv = memoryKv();
    const vectors = memoryVectors();
    await kv.addToSet(syncKeys.pending("documents"), "doc-1", "doc-1", "doc-2", "missing");
    const result = await syncProcessQueue.handler(syncProcessQueue.input.parse({}), taskContext({ documents: source, vectors, kv }).ctx);
    expect(result).toEqual({ collection: "documents", drained: 3, documents_synced: 3, chunks_upserted: 2, deleted: 1, remaining: 0 });

    await kv.addToSet(syncKeys.pending("documents"), "doc-0");
    const broken = { ...source, get: async () => { throw new Error("ingest API down"); } };
    await expect(syncProcessQueue.handler(syncProcessQueue.input.parse({}), taskContext({ documents: broken as typeof source, vectors, kv }).ctx)).rejects.toThrow("ingest API down");
    expect(await kv.setSize(syncKeys.pending("documents"))).toBe(1);
  });
});
