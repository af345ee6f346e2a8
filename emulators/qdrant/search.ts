// Exact nearest-neighbour search: the universal query API (POST points/query,
// query/batch) and the older POST points/search, both scoring every candidate
// that passes the filter. Cosine and Dot rank high-to-low; Euclid and Manhattan
// report the distance itself and rank low-to-high, as Qdrant does.
import type { Collection, StoredPoint } from "./collection.ts";
import { badRequest, formatError, pointNotFound, unsupported, validationError } from "./errors.ts";
import { parseFilter, type Filter } from "./filter-parse.ts";
import { isPlainObject, optionalNumber, optionalUint, requireObjectBody } from "./json.ts";
import { parsePointId, pointKey } from "./point-id.ts";
import { formatScored, parseWithPayload, parseWithVector, type WithPayload, type WithVector } from "./records.ts";
import { DEFAULT_VECTOR, higherIsBetter, paramsFor, score, toStoredVector } from "./vectors.ts";

interface SearchPlan {
  using: string;
  /** Absent: no query, points come back in id order with score 0. */
  vector?: Float32Array;
  /** A point queried by id is left out of its own results. */
  excludeKey?: string;
  filter?: Filter;
  limit: number;
  offset: number;
  scoreThreshold?: number;
  withPayload: WithPayload;
  withVector: WithVector;
}

const UNSUPPORTED_QUERIES = ["recommend", "discover", "context", "order_by", "fusion", "rrf", "formula", "sample"];

export function queryPoints(collection: Collection, body: Record<string, unknown>): { points: unknown[] } {
  if (body.prefetch !== undefined && body.prefetch !== null) throw unsupported("prefetch");
  if (body.lookup_from !== undefined && body.lookup_from !== null) throw unsupported("lookup_from");
  const using = typeof body.using === "string" ? body.using : DEFAULT_VECTOR;
  const resolved = resolveQuery(collection, body.query, using);
  const scoreThreshold = optionalNumber(body, "score_threshold");
  if (scoreThreshold !== undefined && !resolved) {
    throw badRequest("A query is needed to use the score_threshold. Can't have score_threshold without defining a query.");
  }
  const plan: SearchPlan = {
    using,
    ...resolved,
    filter: parseFilter(body.filter),
    limit: limitOf(body, 10),
    offset: optionalUint(body, "offset") ?? 0,
    scoreThreshold,
    withPayload: parseWithPayload(body.with_payload, false),
    withVector: parseWithVector(body.with_vector ?? body.with_vectors, false),
  };
  return { points: runSearch(collection, plan) };
}

export function queryBatch(collection: Collection, body: Record<string, unknown>): { points: unknown[] }[] {
  if (!Array.isArray(body.searches)) throw formatError("missing field `searches`");
  return body.searches.map((search) => queryPoints(collection, requireObjectBody(search)));
}

/** The pre-1.10 search endpoint, still served by Qdrant: `vector` is required and so is `limit`. */
export function searchPoints(collection: Collection, body: Record<string, unknown>): unknown[] {
  let using = DEFAULT_VECTOR;
  let raw = body.vector;
  if (isPlainObject(raw)) {
    if (typeof raw.name !== "string") throw formatError("data did not match any variant of untagged enum NamedVectorStruct");
    using = raw.name;
    raw = raw.vector;
  }
  if (raw === undefined) throw formatError("missing field `vector`");
  if (body.limit === undefined) throw formatError("missing field `limit`");
  const plan: SearchPlan = {
    using,
    vector: queryVector(collection, raw, using),
    filter: parseFilter(body.filter),
    limit: limitOf(body, 10),
    offset: optionalUint(body, "offset") ?? 0,
    scoreThreshold: optionalNumber(body, "score_threshold"),
    withPayload: parseWithPayload(body.with_payload, false),
    withVector: parseWithVector(body.with_vector ?? body.with_vectors, false),
  };
  return runSearch(collection, plan);
}

function limitOf(body: Record<string, unknown>, byDefault: number): number {
  const limit = optionalUint(body, "limit") ?? byDefault;
  if (limit < 1) throw validationError("limit: value 0 invalid, must be 1 or larger");
  return limit;
}

function resolveQuery(collection: Collection, raw: unknown, using: string): Pick<SearchPlan, "vector" | "excludeKey"> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (isPlainObject(raw)) {
    if ("nearest" in raw) {
      if (raw.mmr !== undefined && raw.mmr !== null) throw unsupported("MMR re-ranking");
      return resolveVectorInput(collection, raw.nearest, using);
    }
    const kind = UNSUPPORTED_QUERIES.find((k) => k in raw);
    if (kind) throw unsupported(`The \`${kind}\` query`);
  }
  return resolveVectorInput(collection, raw, using);
}

/** A query vector is given inline or as the id of a stored point. */
function resolveVectorInput(collection: Collection, raw: unknown, using: string): Pick<SearchPlan, "vector" | "excludeKey"> {
  if (typeof raw === "number" || typeof raw === "bigint" || typeof raw === "string") {
    const key = pointKey(parsePointId(raw));
    const point = collection.points.get(key);
    if (!point) throw pointNotFound(String(raw));
    const vector = point.vectors.get(using);
    if (!vector) throw pointNotFound(String(raw));
    paramsFor(collection.vectors, using);
    return { vector, excludeKey: key };
  }
  return { vector: queryVector(collection, raw, using) };
}

function queryVector(collection: Collection, raw: unknown, using: string): Float32Array {
  if (Array.isArray(raw) && raw.some(Array.isArray)) throw unsupported("Multivector queries");
  // Same validation and Cosine normalisation as a stored vector.
  return toStoredVector(raw, paramsFor(collection.vectors, using));
}

function runSearch(collection: Collection, plan: SearchPlan): unknown[] {
  const candidates = collection.select(plan.filter);
  const format = (point: StoredPoint, s: number) => formatScored(point, s, collection, plan.withPayload, plan.withVector);
  if (!plan.vector) {
    return candidates.slice(plan.offset, plan.offset + plan.limit).map((point) => format(point, 0));
  }
  const { distance } = paramsFor(collection.vectors, plan.using);
  const descending = higherIsBetter(distance);
  const threshold = plan.scoreThreshold;
  const scored: { point: StoredPoint; score: number }[] = [];
  for (const point of candidates) {
    if (point.key === plan.excludeKey) continue;
    const vector = point.vectors.get(plan.using);
    if (!vector) continue;
    const s = score(distance, plan.vector, vector);
    if (threshold !== undefined && (descending ? s < threshold : s > threshold)) continue;
    scored.push({ point, score: s });
  }
  // `candidates` is in id order and the sort is stable, so ties stay in id order.
  scored.sort((a, b) => (descending ? b.score - a.score : a.score - b.score));
  return scored.slice(plan.offset, plan.offset + plan.limit).map(({ point, score: s }) => format(point, s));
}
