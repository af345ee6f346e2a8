// Vector sync throughput, embeddings excluded: a full sync (the same loop as
// sync.full: page from the ingest API over HTTP, chunk, upsert into Qdrant with
// wait=true, delete stale chunks, checkpoint) over N generated documents, with
// a constant embedder, run in this process against the stand-ins.
//
//   import { measureSyncThroughput } from "./sync.ts"  → {documents, chunks, seconds, documentsPerSecond}
//   bench/run.ts calls benchSync(context) with the stack's Qdrant stand-in.
//   node --import ./emulators/loopback.ts bench/sync.ts [documents] [batch size]   (own stand-ins)
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { startIngestEmulator, syntheticCorpus } from "../emulators/ingest/index.ts";
import { startQdrantEmulator } from "../emulators/qdrant/index.ts";
import { HttpDocumentSource } from "../functions/adapters/ingest/http-document-source.ts";
import { QdrantVectorStore } from "../functions/adapters/qdrant/vector-store.ts";
import { runPagedSync } from "../functions/tasks/sync/paged-sync.ts";
import { defaultChunkOptions } from "../functions/tasks/sync/chunking.ts";
import type { KeyValueStore } from "../functions/core/ports.ts";
import type { Embedder, SyncContext } from "../functions/tasks/sync/ports.ts";
import type { BenchContext } from "./api.ts";
import { perSecond, type SectionResult } from "./report.ts";

interface SyncThroughput {
  documents: number;
  chunks: number;
  seconds: number;
  documentsPerSecond: number;
}

/** Every text gets the same unit vector: the sync's own cost, without a model's. */
function constantEmbedder(dimension: number): Embedder {
  const vector = new Array<number>(dimension).fill(1 / Math.sqrt(dimension));
  return { model: `constant-${dimension}`, embed: async (texts) => texts.map(() => vector) };
}

/** Checkpoints in memory: the Redis writes (one per batch) are left out. */
function memoryKv(): KeyValueStore {
  const data = new Map<string, unknown>();
  const unused = async (): Promise<never> => { throw new Error("not used by the sync loop"); };
  return {
    get: async <T>(key: string) => (data.get(key) ?? null) as T | null,
    set: async (key, value) => { data.set(key, value); return true; },
    delete: async (...keys) => keys.filter((k) => data.delete(k)).length,
    increment: unused, addToSet: unused, popFromSet: unused, setSize: unused, scan: unused, ttl: unused,
  };
}

async function measureSyncThroughput(options: { documents?: number; batchSize?: number; qdrantUrl?: string; qdrantApiKey?: string; dimension?: number } = {}): Promise<SyncThroughput> {
  const count = options.documents ?? 5000;
  const ingest = await startIngestEmulator({ documents: syntheticCorpus(count) });
  const ownQdrant = options.qdrantUrl ? null : await startQdrantEmulator();
  try {
    const silent = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent; } };
    const ctx = {
      taskId: "bench-sync", attempt: 1, maxAttempts: 1, signal: new AbortController().signal, log: silent,
      progress: async () => undefined, enqueue: async () => ({ taskId: "none" }),
      documents: new HttpDocumentSource({ url: ingest.url, timeoutMs: 60_000 }),
      embedder: constantEmbedder(options.dimension ?? 384),
      vectors: new QdrantVectorStore({ url: options.qdrantUrl ?? ownQdrant!.url, defaultCollection: "bench", ...(options.qdrantApiKey ? { apiKey: options.qdrantApiKey } : {}) }),
      kv: memoryKv(),
    } as unknown as SyncContext;
    const collection = `bench_sync_${Date.now().toString(36)}`;
    const started = performance.now();
    const run = await runPagedSync(ctx, { kind: "full", collection, checkpointId: collection, batchSize: options.batchSize ?? 200, chunking: defaultChunkOptions });
    const seconds = (performance.now() - started) / 1000;
    await fetch(`${options.qdrantUrl ?? ownQdrant!.url}/collections/${collection}`, { method: "DELETE", headers: { "api-key": options.qdrantApiKey ?? "" } }).catch(() => undefined);
    return { documents: run.checkpoint.documentsDone, chunks: run.checkpoint.chunksUpserted, seconds, documentsPerSecond: run.checkpoint.documentsDone / seconds };
  } finally {
    await ingest.close();
    await ownQdrant?.close();
  }
}

export async function benchSync(context: BenchContext): Promise<SectionResult> {
  const documents = Math.max(500, Math.round(5000 * Number(process.env.BENCH_SCALE ?? 1)));
  const result = await measureSyncThroughput({ documents, qdrantUrl: context.stack.qdrant.url, ...(context.stack.qdrant.apiKey ? { qdrantApiKey: context.stack.qdrant.apiKey } : {}) });
  return {
    figures: [{ section: "6 vector sync", figure: "vector sync throughput (docs/s)", value: perSecond(result.documentsPerSecond) }],
    notes: [
      `vector sync: a full sync of ${result.documents.toLocaleString("en-US")} generated documents (${result.chunks.toLocaleString("en-US")} chunks) in ${result.seconds.toFixed(1)} s, ` +
        "in the bench process: ingest stand-in over HTTP → chunking → constant embedder (embeddings excluded) → Qdrant stand-in (upsert wait=true, stale-chunk delete), 200 documents a batch, checkpoints in memory",
    ],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [documents, batchSize] = process.argv.slice(2).map(Number);
  const result = await measureSyncThroughput({ ...(documents ? { documents } : {}), ...(batchSize ? { batchSize } : {}) });
  console.log(`${result.documents} documents, ${result.chunks} chunks in ${result.seconds.toFixed(2)} s: ${Math.round(result.documentsPerSecond)} documents/s`);
}
