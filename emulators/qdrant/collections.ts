// The collections and points, all in memory, and the operations the vector
// store adapter calls: create, describe and delete a collection, create a
// payload index, upsert, delete by ids or filter, count, and the universal
// query. One unnamed Cosine vector per point, as the adapter creates them;
// everything else real Qdrant offers is refused by name (README.md).
import { collectionNotFound, formatError, isPlainObject, QdrantError, unsupported, wrongInput } from "./errors.ts";
import { parseFilter } from "./filter.ts";

interface Point {
  id: number | string;
  vector: Float32Array;
  payload: Record<string, unknown>;
  /** The operation that last wrote it (Qdrant's point version). */
  version: number;
}

interface Collection {
  size: number;
  points: Map<string, Point>;
  /** Field name → payload index type, reported in payload_schema. */
  indexes: Map<string, string>;
  operations: number;
}

const PAYLOAD_SCHEMA_TYPES = ["keyword", "integer", "float", "geo", "text", "bool", "datetime", "uuid"];
/** Qdrant's collection-name rule: no path or shell metacharacters, at most 255 bytes. */
const FORBIDDEN_NAME_CHARS = /[<>:"/\\|?*\0\u001f]/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Unsigned integers or UUIDs (echoed lowercase and hyphenated, as Qdrant does). */
function pointId(raw: unknown): number | string {
  if (typeof raw === "number" && Number.isSafeInteger(raw) && raw >= 0) return raw;
  if (typeof raw === "string" && UUID.test(raw)) {
    const hex = raw.replaceAll("-", "").toLowerCase();
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  throw formatError(`value ${String(raw)} is not a valid point ID, valid values are either an unsigned integer or a UUID`);
}

/** Qdrant's id order: numbers ascending, then UUIDs. */
const byId = (a: Point, b: Point) =>
  typeof a.id === typeof b.id ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : typeof a.id === "number" ? -1 : 1;

/** Validates a vector against the collection and normalises it, as Qdrant stores Cosine vectors. */
function cosineVector(raw: unknown, size: number): Float32Array {
  if (isPlainObject(raw)) throw unsupported("Named, sparse or inferred vectors");
  if (!Array.isArray(raw) || !raw.every((x) => typeof x === "number")) throw formatError("data did not match any variant of untagged enum VectorStruct");
  if (raw.length !== size) throw wrongInput(`Vector dimension error: expected dim: ${size}, got ${raw.length}`);
  const vector = Float32Array.from(raw as number[]);
  let squares = 0;
  for (const x of vector) squares += x * x;
  const length = Math.sqrt(squares);
  if (length >= 1.1920929e-7) for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) / length;
  return vector;
}

const update = (collection: Collection) => ({ operation_id: collection.operations++, status: "completed" });

export class Collections {
  readonly #collections = new Map<string, Collection>();

  get(name: string): Collection {
    const collection = this.#collections.get(name);
    if (!collection) throw collectionNotFound(name);
    return collection;
  }

  names = () => ({ collections: [...this.#collections.keys()].map((name) => ({ name })) });
  exists = (name: string) => ({ exists: this.#collections.has(name) });
  /** Deleting a missing collection is not an error in Qdrant: it answers `false`. */
  delete = (name: string) => this.#collections.delete(name);

  create(name: string, body: Record<string, unknown>): true {
    if (name.length === 0 || Buffer.byteLength(name) > 255 || FORBIDDEN_NAME_CHARS.test(name)) {
      throw new QdrantError(400, `Validation error in JSON body: [collection_name: Collection name must be 1 to 255 bytes without any of <>:"/\\|?* or control characters]`);
    }
    const vectors = body.vectors;
    if (!isPlainObject(vectors) || !("size" in vectors)) throw unsupported("A collection without one unnamed vector");
    const { size, distance, ...rest } = vectors;
    if (typeof size !== "number" || !Number.isInteger(size) || size < 1 || size > 65536) throw formatError(`size: value ${String(size)} invalid, must be from 1 to 65536`);
    if (distance !== "Cosine") throw unsupported(`Distance ${String(distance)} (only Cosine)`);
    const extra = Object.keys(rest).concat(Object.keys(body).filter((key) => key !== "vectors"))[0];
    if (extra !== undefined) throw unsupported(`The collection setting \`${extra}\``);
    if (this.#collections.has(name)) throw new QdrantError(409, `Wrong input: Collection \`${name}\` already exists!`);
    this.#collections.set(name, { size, points: new Map(), indexes: new Map(), operations: 0 });
    return true;
  }

  info(name: string) {
    const { size, points, indexes } = this.get(name);
    const payloadSchema = Object.fromEntries([...indexes].map(([field, type]) => [
      field, { data_type: type, points: [...points.values()].filter((p) => p.payload[field] !== undefined && p.payload[field] !== null).length },
    ]));
    return {
      status: "green", optimizer_status: "ok", indexed_vectors_count: 0, points_count: points.size, segments_count: 1,
      config: { params: { vectors: { size, distance: "Cosine" }, shard_number: 1, replication_factor: 1, write_consistency_factor: 1, on_disk_payload: true } },
      payload_schema: payloadSchema,
    };
  }

  createIndex(name: string, body: Record<string, unknown>) {
    const collection = this.get(name);
    const type = isPlainObject(body.field_schema) ? body.field_schema.type : body.field_schema;
    if (typeof body.field_name !== "string") throw formatError("missing field `field_name`");
    if (typeof type !== "string" || !PAYLOAD_SCHEMA_TYPES.includes(type)) throw formatError(`unknown variant \`${String(type)}\`, expected one of ${PAYLOAD_SCHEMA_TYPES.map((t) => `\`${t}\``).join(", ")}`);
    collection.indexes.set(body.field_name, type);
    return update(collection);
  }

  upsert(name: string, body: Record<string, unknown>) {
    const collection = this.get(name);
    if (!Array.isArray(body.points)) throw body.batch === undefined ? formatError("data did not match any variant of untagged enum PointInsertOperations") : unsupported("The batch form of upsert");
    // Validate every point before storing any: a refused request changes nothing.
    const incoming = body.points.map((raw: unknown) => {
      if (!isPlainObject(raw)) throw formatError("invalid type: expected struct PointStruct");
      if (raw.payload !== undefined && raw.payload !== null && !isPlainObject(raw.payload)) throw formatError("invalid type: expected a map for `payload`");
      return { id: pointId(raw.id), vector: cosineVector(raw.vector, collection.size), payload: (raw.payload ?? {}) as Record<string, unknown> };
    });
    const result = update(collection);
    for (const point of incoming) collection.points.set(String(point.id), { ...point, version: result.operation_id });
    return result;
  }

  deletePoints(name: string, body: Record<string, unknown>) {
    const collection = this.get(name);
    let doomed: string[];
    if (Array.isArray(body.points)) doomed = body.points.map((id) => String(pointId(id)));
    else if (isPlainObject(body.filter)) {
      const filter = parseFilter(body.filter);
      doomed = [...collection.points.values()].filter((p) => filter(p.payload)).map((p) => String(p.id));
    } else throw formatError("data did not match any variant of untagged enum PointsSelector");
    for (const key of doomed) collection.points.delete(key);
    return update(collection);
  }

  count(name: string, body: Record<string, unknown>) {
    const filter = parseFilter(body.filter);
    return { count: [...this.get(name).points.values()].filter((p) => filter(p.payload)).length };
  }

  /** The universal query: exact nearest neighbours by Cosine, or points in id order when there is no query. */
  query(name: string, body: Record<string, unknown>) {
    const collection = this.get(name);
    const known = ["query", "filter", "limit", "offset", "with_payload", "score_threshold"];
    const extra = Object.keys(body).find((key) => !known.includes(key) && body[key] !== undefined && body[key] !== null && !(key === "with_vector" && body[key] === false));
    if (extra !== undefined) throw unsupported(`The query parameter \`${extra}\``);
    const { query, limit = 10, offset = 0, with_payload: withPayload = false, score_threshold: threshold } = body;
    if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1) throw new QdrantError(400, "Validation error in JSON body: [limit: value 0 invalid, must be 1 or larger]");
    if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0) throw formatError(`invalid value: ${JSON.stringify(offset)} for \`offset\`, expected usize`);
    if (typeof withPayload !== "boolean") throw unsupported("Selecting payload fields");
    if (query !== undefined && query !== null && !Array.isArray(query)) throw unsupported("A query other than a vector");
    const filter = parseFilter(body.filter);
    const candidates = [...collection.points.values()].filter((p) => filter(p.payload)).sort(byId);
    let scored = candidates.map((point) => ({ point, score: 0 }));
    if (Array.isArray(query)) {
      const vector = cosineVector(query, collection.size);
      scored = candidates.map((point) => ({ point, score: Math.fround(point.vector.reduce((sum, x, i) => sum + x * (vector[i] as number), 0)) }));
      if (typeof threshold === "number") scored = scored.filter((s) => s.score >= threshold);
      scored.sort((a, b) => b.score - a.score); // stable: ties stay in id order
    } else if (threshold !== undefined && threshold !== null) {
      throw new QdrantError(400, "Bad request: A query is needed to use the score_threshold. Can't have score_threshold without defining a query.");
    }
    return {
      points: scored.slice(offset, offset + limit).map(({ point, score }) => ({ id: point.id, version: point.version, score, ...(withPayload ? { payload: point.payload } : {}) })),
    };
  }
}
