// The sync domain's outside systems: where documents come from, what embeds them, where vectors go.
import { kv, port, type TaskContext } from "../../core/task-kit.ts";

/** A document at the ingest system; `deleted` marks a tombstone (its text is empty). */
export interface SourceDocument {
  id: string;
  regionId: string;
  title: string;
  text: string;
  /** ISO 8601; the source's clock. */
  updatedAt: string;
  deleted: boolean;
}

export interface DocumentQuery {
  /** Only documents changed strictly after this ISO time; absent: every document. */
  since?: string;
  regionId?: string;
  /** From the previous page's nextCursor; absent: the first page. */
  cursor?: string;
  limit: number;
  signal?: AbortSignal;
}

export interface DocumentPage {
  documents: SourceDocument[];
  /** Null on the last page. */
  nextCursor: string | null;
  /** Documents matching the query over all pages, when the source knows. */
  total?: number;
}

/** The ingest system the sync domain copies from: changes in pages, tombstones included, oldest change first. */
export interface DocumentSource {
  changes(query: DocumentQuery): Promise<DocumentPage>;
  /** One document (a tombstone when deleted at the source), or null when the source never had it. */
  get(id: string, signal?: AbortSignal): Promise<SourceDocument | null>;
}

/** Turns text into vectors. "passage" for what is stored, "query" for what is searched with (e5 prefixes). */
export interface Embedder {
  /** Model name, for logs and results. */
  readonly model: string;
  embed(texts: string[], kind: "passage" | "query", signal?: AbortSignal): Promise<number[][]>;
}

/** Payload conditions, all of which must hold: a value to equal, or a lower bound. */
export type VectorWhere = Record<string, string | number | { gte: number }>;

export interface VectorPoint {
  /** A UUID (or an unsigned integer as text). */
  id: string;
  vector: number[];
  payload: Record<string, unknown>;
}

export interface VectorMatch {
  id: string;
  score: number;
  payload: Record<string, unknown>;
}

/** A vector database (Qdrant): collections of points with payloads, cosine distance. */
export interface VectorStore {
  /** The collection to use when a caller names none (QDRANT_COLLECTION). */
  readonly defaultCollection: string;
  /**
   * Creates the collection with these payload indexes when missing. Throws a
   * NonRetryableError when it exists with vectors of another size.
   */
  ensureCollection(collection: string, options: { size: number; keywordIndexes?: string[]; integerIndexes?: string[] }): Promise<{ created: boolean }>;
  /** Writes the points and returns once they are applied. */
  upsert(collection: string, points: VectorPoint[]): Promise<void>;
  /** Deletes every point that matches any of the conditions. */
  deleteWhere(collection: string, anyOf: VectorWhere[]): Promise<void>;
  /** Nearest points, best first; a missing collection has none. */
  query(collection: string, vector: number[], options: { limit: number; where?: VectorWhere }): Promise<VectorMatch[]>;
  /** Points matching the conditions; a missing collection has none. */
  count(collection: string, where?: VectorWhere): Promise<number>;
}


export const documents = port<DocumentSource>("documents");
export const embedder = port<Embedder>("embedder");
export const vectors = port<VectorStore>("vectors");

/** What the sync tasks use: the source, the embedder, the vector store, and small state (watermarks, checkpoints, the queue of ids). */
export const syncUses = { documents, embedder, vectors, kv };
export type SyncContext = TaskContext<typeof syncUses>;
