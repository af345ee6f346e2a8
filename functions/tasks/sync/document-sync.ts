// Writes one batch of source documents into a collection: chunk, embed, upsert,
// then delete what the new version no longer has. Each step is idempotent, so
// a retry after any failure converges on the same points:
//  - point ids come from (document id, chunk number): an upsert overwrites;
//  - stale chunks go by filter (chunk_index >= the new count), after the upsert,
//    so a document never vanishes from search while it is rewritten;
//  - a tombstone is the same delete with a count of 0.
import type { Embedder, SourceDocument, VectorPoint, VectorStore, VectorWhere } from "./ports.ts";
import { chunkText, type ChunkOptions } from "./chunking.ts";
import { chunkPointId } from "./point-ids.ts";

export interface BatchStats {
  documents: number;
  chunks: number;
  deleted: number;
}

/** Payload indexes every synced collection gets when it is created. */
const SYNC_INDEXES = { keywordIndexes: ["document_id", "region_id"], integerIndexes: ["chunk_index"] };

export async function syncDocuments(
  ports: { embedder: Embedder; vectors: VectorStore },
  collection: string,
  documents: readonly SourceDocument[],
  chunking: ChunkOptions,
  signal?: AbortSignal,
): Promise<BatchStats> {
  // A page may hold two versions of a document (a JSON-lines export): the later one wins.
  const latest = new Map<string, SourceDocument>();
  for (const document of documents) latest.set(document.id, document);

  const points: VectorPoint[] = [];
  const texts: string[] = [];
  const stale: VectorWhere[] = [];
  let deleted = 0;
  for (const document of latest.values()) {
    const chunks = document.deleted ? [] : chunkText(document.text, chunking);
    if (document.deleted) deleted += 1;
    chunks.forEach((text, chunkIndex) => {
      points.push({
        id: chunkPointId(document.id, chunkIndex),
        vector: [],
        payload: { document_id: document.id, region_id: document.regionId, chunk_index: chunkIndex, text, title: document.title, updated_at: document.updatedAt },
      });
      // The title travels with every chunk: it is often what a question names.
      texts.push(document.title ? `${document.title}\n\n${text}` : text);
    });
    stale.push({ document_id: document.id, chunk_index: { gte: chunks.length } });
  }

  if (texts.length > 0) {
    const vectors = await ports.embedder.embed(texts, "passage", signal);
    if (vectors.length !== texts.length) throw new Error(`the embedder returned ${vectors.length} vectors for ${texts.length} texts`);
    const size = vectors[0]!.length;
    if (vectors.some((v) => v.length !== size)) throw new Error("the embedder returned vectors of different sizes in one batch");
    await ports.vectors.ensureCollection(collection, { size, ...SYNC_INDEXES });
    points.forEach((point, i) => (point.vector = vectors[i]!));
    if (signal?.aborted) throw signal.reason;
    await ports.vectors.upsert(collection, points);
  }
  await ports.vectors.deleteWhere(collection, stale);
  return { documents: latest.size, chunks: points.length, deleted };
}
