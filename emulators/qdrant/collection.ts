// One collection's state, all in memory: its vector config, points keyed by id,
// payload indexes (recorded for payload_schema and for full-text matching) and
// the operation counter that gives update results and point versions.
import { collectionExists, collectionNotFound, formatError } from "./errors.ts";
import type { FilterContext } from "./filter-match.ts";
import { matchesFilter } from "./filter-match.ts";
import type { Filter } from "./filter-parse.ts";
import { valuesAt, parseJsonPath } from "./json-path.ts";
import { isPlainObject } from "./json.ts";
import { comparePointIds, type PointId } from "./point-id.ts";
import { vectorsConfigJson, type VectorsConfig } from "./vectors.ts";

export interface StoredPoint {
  id: PointId;
  key: string;
  vectors: Map<string, Float32Array>;
  payload: Record<string, unknown>;
  /** The operation that last wrote this point (Qdrant's point version). */
  version: number;
}

export const PayloadSchemaType = ["keyword", "integer", "float", "geo", "text", "bool", "datetime", "uuid"] as const;
export type PayloadSchemaType = (typeof PayloadSchemaType)[number];

export interface PayloadIndex {
  dataType: PayloadSchemaType;
  /** Present when the index was created with an object schema ({type, …}). */
  params?: Record<string, unknown>;
}

export class Collection {
  readonly name: string;
  readonly vectors: VectorsConfig;
  readonly points = new Map<string, StoredPoint>();
  readonly payloadIndexes = new Map<string, PayloadIndex>();
  /** Create-time settings echoed by GET /collections/{name} (shard_number, metadata, …). */
  readonly settings: Record<string, unknown>;
  private lastOperation = -1;
  private sortedCache: StoredPoint[] | undefined;

  constructor(name: string, vectors: VectorsConfig, settings: Record<string, unknown>) {
    this.name = name;
    this.vectors = vectors;
    this.settings = settings;
  }

  /** Starts an update operation and returns its id; every write takes one. */
  beginOperation(): number {
    this.lastOperation += 1;
    this.sortedCache = undefined;
    return this.lastOperation;
  }

  /** All points in Qdrant's id order, cached between writes for paging. */
  sorted(): StoredPoint[] {
    this.sortedCache ??= [...this.points.values()].sort((a, b) => comparePointIds(a.id, b.id));
    return this.sortedCache;
  }

  filterContext(): FilterContext {
    const textIndexed = new Set<string>();
    for (const [field, index] of this.payloadIndexes) if (index.dataType === "text") textIndexed.add(field);
    return { textIndexed };
  }

  /** Points passing the filter, in id order. */
  select(filter: Filter | undefined): StoredPoint[] {
    const all = this.sorted();
    if (!filter) return all;
    const context = this.filterContext();
    return all.filter((point) => matchesFilter(filter, targetOf(point), context));
  }

  createPayloadIndex(fieldName: unknown, schema: unknown): void {
    const path = parseJsonPath(fieldName);
    let dataType: unknown = schema;
    let params: Record<string, unknown> | undefined;
    if (isPlainObject(schema)) {
      dataType = schema.type;
      params = schema;
    }
    if (!PayloadSchemaType.includes(dataType as PayloadSchemaType)) {
      throw formatError(`unknown variant \`${String(dataType)}\`, expected one of ${PayloadSchemaType.map((t) => `\`${t}\``).join(", ")}`);
    }
    this.payloadIndexes.set(path.text, params ? { dataType: dataType as PayloadSchemaType, params } : { dataType: dataType as PayloadSchemaType });
  }

  info(): Record<string, unknown> {
    const payloadSchema: Record<string, unknown> = {};
    for (const [field, index] of this.payloadIndexes) {
      const path = parseJsonPath(field);
      let points = 0;
      for (const point of this.points.values()) {
        if (valuesAt(point.payload, path).some((v) => v !== null)) points += 1;
      }
      payloadSchema[field] = { data_type: index.dataType, ...(index.params ? { params: index.params } : {}), points };
    }
    const { metadata, hnsw_config, optimizers_config, wal_config, quantization_config, ...params } = this.settings;
    return {
      status: "green",
      optimizer_status: "ok",
      indexed_vectors_count: 0, // below Qdrant's indexing threshold every search is a full scan anyway
      points_count: this.points.size,
      segments_count: 1,
      config: {
        params: {
          vectors: vectorsConfigJson(this.vectors),
          shard_number: 1,
          replication_factor: 1,
          write_consistency_factor: 1,
          on_disk_payload: true,
          ...params,
        },
        hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000, max_indexing_threads: 0, on_disk: false, ...asObject(hnsw_config) },
        optimizer_config: {
          deleted_threshold: 0.2, vacuum_min_vector_number: 1000, default_segment_number: 0, max_segment_size: null,
          memmap_threshold: null, indexing_threshold: 10000, flush_interval_sec: 5, max_optimization_threads: null,
          ...asObject(optimizers_config),
        },
        wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0, ...asObject(wal_config) },
        quantization_config: quantization_config ?? null,
        strict_mode_config: { enabled: false },
        ...(metadata !== undefined ? { metadata } : {}),
      },
      payload_schema: payloadSchema,
      update_queue: { length: 0 },
    };
  }
}

export function targetOf(point: StoredPoint) {
  return { key: point.key, payload: point.payload, hasVector: (name: string) => point.vectors.has(name) };
}

function asObject(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

/** All collections of one emulator instance. */
export class CollectionStore {
  private readonly collections = new Map<string, Collection>();

  get(name: string): Collection {
    const collection = this.collections.get(name);
    if (!collection) throw collectionNotFound(name);
    return collection;
  }

  has(name: string): boolean {
    return this.collections.has(name);
  }

  add(collection: Collection): void {
    if (this.collections.has(collection.name)) throw collectionExists(collection.name);
    this.collections.set(collection.name, collection);
  }

  delete(name: string): boolean {
    return this.collections.delete(name);
  }

  names(): string[] {
    return [...this.collections.keys()];
  }
}
