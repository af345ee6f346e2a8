// VectorStore on Qdrant through @qdrant/js-client-rest (imported on first use),
// the same code against the local stand-in or a real Qdrant: only QDRANT_URL
// (and QDRANT_API_KEY) differ. Collections use cosine distance; searches go
// through the universal query API (client.query), the one Qdrant keeps.
import type { QdrantClient, Schemas } from "@qdrant/js-client-rest";
import { DependencyError, NonRetryableError, RetryAfterError } from "../../core/errors.ts";
import type { VectorMatch, VectorPoint, VectorStore, VectorWhere } from "../../tasks/sync/ports.ts";

export interface QdrantVectorStoreOptions {
  /** Qdrant's REST URL; unset: every call fails with a configuration error. */
  url: string | undefined;
  /** Used when a caller names no collection. */
  defaultCollection: string;
  apiKey?: string;
  /** Per-request timeout, ms. Default 60,000. */
  timeoutMs?: number;
  /** Points per upsert request. Default 256. */
  upsertBatch?: number;
}

type Filter = Schemas["Filter"];

// A delete by filter carries one clause per document; keep requests modest.
const DELETE_CLAUSES_PER_REQUEST = 200;

export class QdrantVectorStore implements VectorStore {
  readonly defaultCollection: string;
  readonly #options: QdrantVectorStoreOptions;
  #client: Promise<QdrantClient> | null = null;
  /** Collections known to exist with this vector size (saves a round trip per batch). */
  readonly #ensured = new Map<string, number>();

  constructor(options: QdrantVectorStoreOptions) {
    this.defaultCollection = options.defaultCollection;
    this.#options = options;
  }

  async ensureCollection(collection: string, options: { size: number; keywordIndexes?: string[]; integerIndexes?: string[] }): Promise<{ created: boolean }> {
    if (this.#ensured.get(collection) === options.size) return { created: false };
    const client = await this.#open();
    let created = false;
    const { exists } = await this.#call(() => client.collectionExists(collection));
    if (!exists) {
      try {
        await this.#call(() => client.createCollection(collection, { vectors: { size: options.size, distance: "Cosine" } }));
        created = true;
      } catch (error) {
        // Another worker created it a moment ago: check it like any existing one.
        if (!(error instanceof NonRetryableError && /already exists/i.test(error.message))) throw error;
      }
    }
    const info = await this.#call(() => client.getCollection(collection));
    const vectors = info.config.params.vectors as { size?: number } | Record<string, unknown> | undefined;
    const size = typeof vectors?.size === "number" ? vectors.size : undefined;
    if (size === undefined) throw new NonRetryableError(`collection ${collection} has named vectors; the sync writes one unnamed vector`);
    if (size !== options.size) throw new NonRetryableError(`collection ${collection} has vectors of size ${size}, the embedder makes ${options.size}`);
    const indexed = new Set(Object.keys(info.payload_schema ?? {}));
    const wanted = [
      ...(options.keywordIndexes ?? []).map((field) => [field, "keyword"] as const),
      ...(options.integerIndexes ?? []).map((field) => [field, "integer"] as const),
    ];
    for (const [field, schema] of wanted) {
      if (!indexed.has(field)) await this.#call(() => client.createPayloadIndex(collection, { field_name: field, field_schema: schema, wait: true }));
    }
    this.#ensured.set(collection, options.size);
    return { created };
  }

  async upsert(collection: string, points: VectorPoint[]): Promise<void> {
    const client = await this.#open();
    const size = this.#options.upsertBatch ?? 256;
    for (let start = 0; start < points.length; start += size) {
      const batch = points.slice(start, start + size);
      try {
        await this.#call(() => client.upsert(collection, { wait: true, points: batch }));
      } catch (error) {
        // Dropped behind our back: forget it, so the retry creates it again.
        this.#ensured.delete(collection);
        throw error;
      }
    }
  }

  async deleteWhere(collection: string, anyOf: VectorWhere[]): Promise<void> {
    if (anyOf.length === 0) return;
    const client = await this.#open();
    for (let start = 0; start < anyOf.length; start += DELETE_CLAUSES_PER_REQUEST) {
      const clauses = anyOf.slice(start, start + DELETE_CLAUSES_PER_REQUEST).map(toFilter);
      const filter: Filter = clauses.length === 1 ? clauses[0]! : { should: clauses };
      const done = await this.#call(() => client.delete(collection, { wait: true, filter }), { missingCollection: true });
      if (done === null) return; // no collection, nothing to delete
    }
  }

  async query(collection: string, vector: number[], options: { limit: number; where?: VectorWhere }): Promise<VectorMatch[]> {
    const client = await this.#open();
    const answer = await this.#call(
      () => client.query(collection, { query: vector, limit: options.limit, with_payload: true, ...(options.where ? { filter: toFilter(options.where) } : {}) }),
      { missingCollection: true },
    );
    return (answer?.points ?? []).map((p) => ({ id: String(p.id), score: p.score, payload: (p.payload ?? {}) as Record<string, unknown> }));
  }

  async count(collection: string, where?: VectorWhere): Promise<number> {
    const client = await this.#open();
    const answer = await this.#call(() => client.count(collection, { exact: true, ...(where ? { filter: toFilter(where) } : {}) }), { missingCollection: true });
    return answer?.count ?? 0;
  }

  #open(): Promise<QdrantClient> {
    const { url, apiKey, timeoutMs } = this.#options;
    if (!url) return Promise.reject(new NonRetryableError("QDRANT_URL is not configured"));
    this.#client ??= import("@qdrant/js-client-rest").then(
      // No version probe: it costs a request on every cold start and only warns.
      ({ QdrantClient }) => new QdrantClient({ url, ...(apiKey ? { apiKey } : {}), timeout: timeoutMs ?? 60_000, checkCompatibility: false }),
    );
    return this.#client;
  }

  /** Runs a client call, mapping Qdrant's answers to the runtime's errors; null for a missing collection when asked. */
  async #call<T>(run: () => Promise<T>): Promise<T>;
  async #call<T>(run: () => Promise<T>, options: { missingCollection: true }): Promise<T | null>;
  async #call<T>(run: () => Promise<T>, options: { missingCollection?: boolean } = {}): Promise<T | null> {
    try {
      return await run();
    } catch (error) {
      const { status, data, name, message } = error as { status?: number; data?: { status?: { error?: string } }; name?: string; message?: string };
      const detail = data?.status?.error ?? message ?? String(error);
      if (status === 404) {
        if (options.missingCollection) return null;
        // It existed a moment ago (ensureCollection): dropped meanwhile, a retry creates it again.
        throw new Error(`qdrant: ${detail}`);
      }
      if (name === "QdrantClientResourceExhaustedError") {
        throw new RetryAfterError(`qdrant is rate limiting: ${detail}`, Number((error as { retry_after?: number }).retry_after) || 1);
      }
      if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
        throw new NonRetryableError(`qdrant refused the request (${status}): ${detail}`);
      }
      throw new DependencyError("qdrant", detail, { cause: error });
    }
  }
}

function toFilter(where: VectorWhere): Filter {
  return {
    must: Object.entries(where).map(([key, value]) =>
      typeof value === "object" ? { key, range: { gte: value.gte } } : { key, match: { value } },
    ) as Schemas["Condition"][],
  };
}
