// Point reads and writes: upsert (list or batch form), retrieve, delete by ids
// or filter, scroll, count, and the payload updates. Each write validates the
// whole request before touching state, so a rejected request changes nothing.
import type { Collection, StoredPoint } from "./collection.ts";
import { badRequest, formatError, pointNotFound, validationError, wrongInput } from "./errors.ts";
import { parseFilter } from "./filter-parse.ts";
import { isPlainObject, optionalBoolean, optionalObject, optionalUint } from "./json.ts";
import { mergeAt, parseJsonPath, removePath } from "./json-path.ts";
import { comparePointIds, parsePointId, parsePointIds, pointKey, type PointId } from "./point-id.ts";
import { formatRecord, parseWithPayload, parseWithVector } from "./records.ts";
import { DEFAULT_VECTOR, paramsFor, toStoredVector } from "./vectors.ts";

export interface UpdateResult {
  operation_id: number;
  status: "completed" | "acknowledged";
}

/** Everything is applied before replying, so `wait` changes only the reported status. */
export function updateResult(operationId: number, wait: boolean): UpdateResult {
  return { operation_id: operationId, status: wait ? "completed" : "acknowledged" };
}

interface IncomingPoint {
  id: PointId;
  vectors: Map<string, Float32Array>;
  payload: Record<string, unknown>;
}

export function upsertPoints(collection: Collection, body: Record<string, unknown>): number {
  const incoming: IncomingPoint[] = [];
  if (Array.isArray(body.points)) {
    for (const raw of body.points) {
      if (!isPlainObject(raw)) throw formatError("invalid type: expected struct PointStruct");
      if (raw.id === undefined) throw formatError("missing field `id`");
      const vector = raw.vector ?? raw.vectors;
      if (vector === undefined) throw formatError("missing field `vector`");
      incoming.push({ id: parsePointId(raw.id), vectors: parseVectorStruct(collection, vector), payload: parsePayload(raw.payload) });
    }
  } else if (isPlainObject(body.batch)) {
    const { ids, vectors, payloads } = body.batch;
    const parsedIds = parsePointIds(ids, "ids");
    const perPoint = splitBatchVectors(vectors, parsedIds.length);
    if (payloads != null && (!Array.isArray(payloads) || payloads.length !== parsedIds.length)) {
      throw wrongInput("number of ids and payloads must be equal");
    }
    parsedIds.forEach((id, i) => {
      incoming.push({ id, vectors: parseVectorStruct(collection, perPoint[i]), payload: parsePayload(Array.isArray(payloads) ? payloads[i] : undefined) });
    });
  } else {
    throw formatError("data did not match any variant of untagged enum PointInsertOperations");
  }
  const operation = collection.beginOperation();
  for (const point of incoming) {
    const key = pointKey(point.id);
    collection.points.set(key, { ...point, key, version: operation });
  }
  return operation;
}

/** A point's vectors: a bare array for the unnamed vector, or a map of names. */
function parseVectorStruct(collection: Collection, raw: unknown): Map<string, Float32Array> {
  const vectors = new Map<string, Float32Array>();
  if (Array.isArray(raw)) {
    vectors.set(DEFAULT_VECTOR, toStoredVector(raw, paramsFor(collection.vectors, DEFAULT_VECTOR)));
  } else if (isPlainObject(raw)) {
    for (const [name, value] of Object.entries(raw)) {
      vectors.set(name, toStoredVector(value, paramsFor(collection.vectors, name)));
    }
  } else {
    throw formatError("data did not match any variant of untagged enum VectorStruct");
  }
  return vectors;
}

function splitBatchVectors(raw: unknown, count: number): unknown[] {
  const mismatch = () => wrongInput("number of ids and vectors must be equal");
  if (Array.isArray(raw)) {
    if (raw.length !== count) throw mismatch();
    return raw;
  }
  if (isPlainObject(raw)) {
    const perPoint: Record<string, unknown>[] = Array.from({ length: count }, () => ({}));
    for (const [name, list] of Object.entries(raw)) {
      if (!Array.isArray(list) || list.length !== count) throw mismatch();
      list.forEach((vector, i) => ((perPoint[i] as Record<string, unknown>)[name] = vector));
    }
    return perPoint;
  }
  throw formatError("data did not match any variant of untagged enum BatchVectorStruct");
}

function parsePayload(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (!isPlainObject(raw)) throw formatError("invalid type: expected a map for `payload`");
  return raw;
}

/** The points a `{points: [...]}` or `{filter: {...}}` selector names, in id order. */
export function selectPoints(collection: Collection, body: Record<string, unknown>): StoredPoint[] {
  if (body.points !== undefined && body.points !== null) {
    const keys = new Set(parsePointIds(body.points, "points").map(pointKey));
    return collection.sorted().filter((point) => keys.has(point.key));
  }
  if (isPlainObject(body.filter)) return collection.select(parseFilter(body.filter));
  throw formatError("data did not match any variant of untagged enum PointsSelector");
}

export function deletePoints(collection: Collection, body: Record<string, unknown>): number {
  const doomed = selectPoints(collection, body);
  const operation = collection.beginOperation();
  for (const point of doomed) collection.points.delete(point.key);
  return operation;
}

export function retrievePoints(collection: Collection, body: Record<string, unknown>): unknown[] {
  const ids = parsePointIds(body.ids, "ids");
  const withPayload = parseWithPayload(body.with_payload, true);
  const withVector = parseWithVector(body.with_vector, false);
  const seen = new Set<string>();
  const records: unknown[] = [];
  for (const id of ids) {
    const key = pointKey(id);
    const point = collection.points.get(key);
    if (!point || seen.has(key)) continue;
    seen.add(key);
    records.push(formatRecord(point, collection, withPayload, withVector));
  }
  return records;
}

export function getPoint(collection: Collection, rawId: string): unknown {
  const id = parsePointId(/^\d+$/.test(rawId) ? BigInt(rawId) : rawId);
  const point = collection.points.get(pointKey(id));
  if (!point) throw pointNotFound(rawId);
  return formatRecord(point, collection, { kind: "all" }, true);
}

export function scrollPoints(collection: Collection, body: Record<string, unknown>): unknown {
  if (body.order_by !== undefined && body.order_by !== null) throw badRequest("order_by in scroll is not supported by the local Qdrant stand-in");
  const limit = optionalUint(body, "limit") ?? 10;
  if (limit < 1) throw validationError("limit: value 0 invalid, must be 1 or larger");
  const withPayload = parseWithPayload(body.with_payload, true);
  const withVector = parseWithVector(body.with_vector, false);
  const offset = body.offset === undefined || body.offset === null ? undefined : parsePointId(body.offset);
  let matching = collection.select(parseFilter(body.filter));
  if (offset !== undefined) {
    const start = matching.findIndex((point) => comparePointIds(point.id, offset) >= 0);
    matching = start < 0 ? [] : matching.slice(start);
  }
  const page = matching.slice(0, limit);
  const next = matching[limit];
  return {
    points: page.map((point) => formatRecord(point, collection, withPayload, withVector)),
    next_page_offset: next ? next.id : null,
  };
}

export function countPoints(collection: Collection, body: Record<string, unknown>): { count: number } {
  optionalBoolean(body, "exact"); // exact or not, an in-memory count is exact
  return { count: collection.select(parseFilter(body.filter)).length };
}

/** Set payload (merge) or overwrite payload (replace) on the selected points. */
export function writePayload(collection: Collection, body: Record<string, unknown>, mode: "set" | "overwrite"): number {
  const payload = optionalObject(body, "payload");
  if (!payload) throw formatError("missing field `payload`");
  const key = body.key === undefined || body.key === null ? undefined : parseJsonPath(body.key);
  const targets = selectPoints(collection, body);
  const operation = collection.beginOperation();
  for (const point of targets) {
    if (mode === "overwrite") point.payload = structuredClone(payload);
    else mergeAt(point.payload, key, structuredClone(payload));
    point.version = operation;
  }
  return operation;
}

export function deletePayloadKeys(collection: Collection, body: Record<string, unknown>): number {
  if (!Array.isArray(body.keys)) throw formatError("missing field `keys`");
  const paths = body.keys.map(parseJsonPath);
  const targets = selectPoints(collection, body);
  const operation = collection.beginOperation();
  for (const point of targets) {
    for (const path of paths) removePath(point.payload, path);
    point.version = operation;
  }
  return operation;
}

export function clearPayload(collection: Collection, body: Record<string, unknown>): number {
  const targets = selectPoints(collection, body);
  const operation = collection.beginOperation();
  for (const point of targets) {
    point.payload = {};
    point.version = operation;
  }
  return operation;
}
