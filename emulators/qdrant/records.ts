// How points leave the emulator: Qdrant's Record and ScoredPoint shapes, with
// `payload` and `vector` omitted unless asked for (with_payload / with_vector).
import type { Collection, StoredPoint } from "./collection.ts";
import { formatError } from "./errors.ts";
import { isPlainObject } from "./json.ts";
import { includePaths, parseJsonPath, removePath, type JsonPath } from "./json-path.ts";
import { DEFAULT_VECTOR, f32Json, vectorJson } from "./vectors.ts";

export type WithPayload =
  | { kind: "all" }
  | { kind: "none" }
  | { kind: "include"; paths: JsonPath[] }
  | { kind: "exclude"; paths: JsonPath[] };

/** true/false, or the vector names to return. */
export type WithVector = boolean | string[];

export function parseWithPayload(raw: unknown, byDefault: boolean): WithPayload {
  if (raw === undefined || raw === null) return { kind: byDefault ? "all" : "none" };
  if (typeof raw === "boolean") return { kind: raw ? "all" : "none" };
  const paths = (list: unknown) => {
    if (!Array.isArray(list)) throw formatError("data did not match any variant of untagged enum WithPayloadInterface");
    return list.map(parseJsonPath);
  };
  if (Array.isArray(raw)) return { kind: "include", paths: paths(raw) };
  if (isPlainObject(raw) && "include" in raw) return { kind: "include", paths: paths(raw.include) };
  if (isPlainObject(raw) && "exclude" in raw) return { kind: "exclude", paths: paths(raw.exclude) };
  throw formatError("data did not match any variant of untagged enum WithPayloadInterface");
}

export function parseWithVector(raw: unknown, byDefault: boolean): WithVector {
  if (raw === undefined || raw === null) return byDefault;
  if (typeof raw === "boolean") return raw;
  if (Array.isArray(raw) && raw.every((name) => typeof name === "string")) return raw;
  throw formatError("data did not match any variant of untagged enum WithVector");
}

export function formatRecord(
  point: StoredPoint,
  collection: Collection,
  withPayload: WithPayload,
  withVector: WithVector,
): Record<string, unknown> {
  const record: Record<string, unknown> = { id: point.id };
  const payload = selectPayload(point.payload, withPayload);
  if (payload) record.payload = payload;
  if (withVector !== false) record.vector = selectVectors(point, collection, withVector);
  return record;
}

export function formatScored(
  point: StoredPoint,
  score: number,
  collection: Collection,
  withPayload: WithPayload,
  withVector: WithVector,
): Record<string, unknown> {
  const { id, ...rest } = formatRecord(point, collection, withPayload, withVector);
  return { id, version: point.version, score: f32Json(score), ...rest };
}

function selectPayload(payload: Record<string, unknown>, selector: WithPayload): Record<string, unknown> | undefined {
  switch (selector.kind) {
    case "none":
      return undefined;
    case "all":
      return payload;
    case "include":
      return includePaths(payload, selector.paths);
    case "exclude": {
      const copy = structuredClone(payload);
      for (const path of selector.paths) removePath(copy, path);
      return copy;
    }
  }
}

function selectVectors(point: StoredPoint, collection: Collection, selector: true | string[]): unknown {
  if (!collection.vectors.named) {
    const vector = point.vectors.get(DEFAULT_VECTOR);
    const wanted = selector === true || selector.includes(DEFAULT_VECTOR);
    return vector && wanted ? vectorJson(vector) : {};
  }
  const out: Record<string, number[]> = {};
  for (const [name, vector] of point.vectors) {
    if (selector === true || selector.includes(name)) out[name] = vectorJson(vector);
  }
  return out;
}
