// In-memory ports for the sync domain's unit tests: a source over an array, a
// vector store over a Map that honours the filters the sync sends, a key-value
// store over a Map, and a task context around them.
import type { KeyValueStore } from "../../functions/core/ports.ts";
import type { DocumentQuery, Embedder, SourceDocument, SyncContext, VectorPoint, VectorStore, VectorWhere } from "../../functions/tasks/sync/ports.ts";

export function memorySource(documents: SourceDocument[]) {
  const calls: DocumentQuery[] = [];
  return {
    calls,
    documents,
    async changes(query: DocumentQuery) {
      calls.push(query);
      const matching = documents
        .filter((d) => (!query.since || Date.parse(d.updatedAt) > Date.parse(query.since)) && (!query.regionId || d.regionId === query.regionId))
        .sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt));
      const start = query.cursor ? Number(query.cursor) : 0;
      const end = start + query.limit;
      return { documents: matching.slice(start, end), nextCursor: end < matching.length ? String(end) : null, total: matching.length };
    },
    async get(id: string) {
      return documents.find((d) => d.id === id) ?? null;
    },
  };
}

const matches = (payload: Record<string, unknown>, where: VectorWhere) =>
  Object.entries(where).every(([key, value]) => (typeof value === "object" ? Number(payload[key]) >= value.gte : payload[key] === value));

export function memoryVectors(size?: number): VectorStore & { points: Map<string, VectorPoint>; upserts: number } {
  const points = new Map<string, VectorPoint>();
  let collectionSize = size;
  return {
    points,
    upserts: 0,
    defaultCollection: "documents",
    async ensureCollection(collection, options) {
      if (collectionSize !== undefined && collectionSize !== options.size) {
        throw Object.assign(new Error(`collection ${collection} has vectors of size ${collectionSize}, the embedder makes ${options.size}`), { name: "NonRetryableError" });
      }
      const created = collectionSize === undefined;
      collectionSize = options.size;
      return { created };
    },
    async upsert(_collection, batch) {
      this.upserts += batch.length;
      for (const point of batch) points.set(point.id, point);
    },
    async deleteWhere(_collection, anyOf) {
      for (const [id, point] of points) if (anyOf.some((where) => matches(point.payload, where))) points.delete(id);
    },
    async query(_collection, vector, options) {
      return [...points.values()]
        .filter((p) => !options.where || matches(p.payload, options.where))
        .map((p) => ({ id: p.id, payload: p.payload, score: p.vector.reduce((s, x, i) => s + x * vector[i]!, 0) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, options.limit);
    },
    async count(_collection, where) {
      return [...points.values()].filter((p) => !where || matches(p.payload, where)).length;
    },
  };
}

export function memoryKv(): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  const set = (key: string) => (data.get(key) as Set<string> | undefined) ?? new Set<string>();
  return {
    data,
    async get<T>(key: string) { return (data.has(key) ? structuredClone(data.get(key)) : null) as T | null; },
    async set(key, value) { data.set(key, structuredClone(value)); return true; },
    async delete(...keys) { let n = 0; for (const k of keys) if (data.delete(k)) n += 1; return n; },
    async increment(key, by = 1) { const v = Number(data.get(key) ?? 0) + by; data.set(key, v); return v; },
    async addToSet(key, ...members) { const s = set(key); const before = s.size; for (const m of members) s.add(m); data.set(key, s); return s.size - before; },
    async popFromSet(key, count) { const s = set(key); const out = [...s].slice(0, count); for (const m of out) s.delete(m); return out; },
    async setSize(key) { return set(key).size; },
    async scan() { return { cursor: "0", keys: [...data.keys()] }; },
    async ttl(key) { return data.has(key) ? -1 : -2; },
  };
}

export function taskContext(ports: { documents: ReturnType<typeof memorySource>; vectors: VectorStore; kv: KeyValueStore }, overrides: Partial<SyncContext> = {}) {
  const progress: [number, string | undefined][] = [];
  const enqueued: { type: string; payload: unknown }[] = [];
  const silent = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent; } };
  const ctx = {
    taskId: "task-1",
    attempt: 1,
    maxAttempts: 2,
    signal: new AbortController().signal,
    progress: async (percent: number, message?: string) => { progress.push([percent, message]); },
    log: silent,
    enqueue: async (task: { name: string }, payload: unknown) => { enqueued.push({ type: task.name, payload }); return { taskId: `child-${enqueued.length}` }; },
    // A continuation is a new task of the running task's own type.
    continueAsNew: async (payload: unknown) => { enqueued.push({ type: "(same type)", payload }); return { taskId: `child-${enqueued.length}` }; },
    documents: ports.documents,
    vectors: ports.vectors,
    kv: ports.kv,
    embedder: wordEmbedder,
    ...overrides,
  } as unknown as SyncContext;
  return { ctx, progress, enqueued };
}

/** 32-dimensional, normalised: each word adds to one coordinate. Enough to rank, nothing more. */
const wordEmbedder: Embedder = {
  model: "words-32",
  async embed(texts) {
    return texts.map((text) => {
      const v = new Array<number>(32).fill(0);
      for (const word of text.toLowerCase().split(/\W+/u).filter(Boolean)) v[[...word].reduce((h, ch) => (h * 31 + ch.codePointAt(0)!) % 32, 7)]! += 1;
      const norm = Math.hypot(...v) || 1;
      return v.map((x) => x / norm);
    });
  },
};

export function document(id: string, text: string, minute: number, extra: Partial<SourceDocument> = {}): SourceDocument {
  return { id, regionId: "ha-noi", title: `Title ${id}`, text, updatedAt: new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString(), deleted: false, ...extra };
}
