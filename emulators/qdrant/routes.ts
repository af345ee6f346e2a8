// The REST routes the stand-in serves, each mapped to Qdrant's path and method.
// Handlers return the `result` value; server.ts wraps it in Qdrant's envelope.
import { Collection, type CollectionStore } from "./collection.ts";
import { unsupported, validationError } from "./errors.ts";
import { isPlainObject, optionalObject } from "./json.ts";
import {
  clearPayload, countPoints, deletePayloadKeys, deletePoints, getPoint, retrievePoints, scrollPoints,
  updateResult, upsertPoints, writePayload,
} from "./points.ts";
import { queryBatch, queryPoints, searchPoints } from "./search.ts";
import { parseVectorsConfig } from "./vectors.ts";

export interface ApiRequest {
  /** Decoded path parameters, in the order they appear in the pattern. */
  params: string[];
  query: URLSearchParams;
  /** The JSON body as an object; throws Qdrant's format error when it is not one. */
  body(): Record<string, unknown>;
  store: CollectionStore;
}

export interface Route {
  method: "GET" | "PUT" | "POST" | "PATCH" | "DELETE";
  pattern: RegExp;
  handle(request: ApiRequest): unknown;
  /** Served as-is rather than inside `{result, status, time}` (the root and health probes). */
  bare?: "json" | "text";
}

/** Settings from a create-collection body that GET /collections/{name} echoes. */
const ECHOED_SETTINGS = [
  "shard_number", "sharding_method", "replication_factor", "write_consistency_factor", "on_disk_payload",
  "hnsw_config", "optimizers_config", "wal_config", "quantization_config", "metadata",
];

/** Qdrant's collection-name rule: no path or shell metacharacters, at most 255 bytes. */
const FORBIDDEN_NAME_CHARS = /[<>:"/\\|?*\0\u001f]/;

export function qdrantRoutes(version: string): Route[] {
  const collection = (r: ApiRequest) => r.store.get(r.params[0] as string);
  const wait = (r: ApiRequest) => r.query.get("wait") === "true";
  const route = (method: Route["method"], path: string, handle: Route["handle"], bare?: Route["bare"]): Route => ({
    method,
    pattern: new RegExp(`^${path.replaceAll("{}", "([^/]+)")}/?$`),
    handle,
    ...(bare ? { bare } : {}),
  });

  return [
    route("GET", "", () => ({ title: "qdrant - vector search engine", version, commit: null }), "json"),
    route("GET", "/healthz", () => "healthz check passed", "text"),
    route("GET", "/livez", () => "healthz check passed", "text"),
    route("GET", "/readyz", () => "all shards are ready", "text"),

    route("GET", "/collections", (r) => ({ collections: r.store.names().map((name) => ({ name })) })),
    route("GET", "/collections/{}", (r) => collection(r).info()),
    route("GET", "/collections/{}/exists", (r) => ({ exists: r.store.has(r.params[0] as string) })),
    route("PUT", "/collections/{}", (r) => createCollection(r)),
    route("PATCH", "/collections/{}", (r) => {
      const target = collection(r);
      const metadata = optionalObject(r.body(), "metadata");
      if (metadata) target.settings.metadata = { ...(isPlainObject(target.settings.metadata) ? target.settings.metadata : {}), ...metadata };
      return true;
    }),
    // Deleting a missing collection is not an error in Qdrant: it answers `false`.
    route("DELETE", "/collections/{}", (r) => r.store.delete(r.params[0] as string)),

    route("PUT", "/collections/{}/index", (r) => {
      const target = collection(r);
      const body = r.body();
      target.createPayloadIndex(body.field_name, body.field_schema);
      return updateResult(target.beginOperation(), wait(r));
    }),
    route("DELETE", "/collections/{}/index/{}", (r) => {
      const target = collection(r);
      target.payloadIndexes.delete(r.params[1] as string);
      return updateResult(target.beginOperation(), wait(r));
    }),

    route("PUT", "/collections/{}/points", (r) => updateResult(upsertPoints(collection(r), r.body()), wait(r))),
    route("POST", "/collections/{}/points", (r) => retrievePoints(collection(r), r.body())),
    route("GET", "/collections/{}/points/{}", (r) => getPoint(collection(r), r.params[1] as string)),
    route("POST", "/collections/{}/points/delete", (r) => updateResult(deletePoints(collection(r), r.body()), wait(r))),
    route("POST", "/collections/{}/points/scroll", (r) => scrollPoints(collection(r), r.body())),
    route("POST", "/collections/{}/points/count", (r) => countPoints(collection(r), r.body())),
    route("POST", "/collections/{}/points/query", (r) => queryPoints(collection(r), r.body())),
    route("POST", "/collections/{}/points/query/batch", (r) => queryBatch(collection(r), r.body())),
    route("POST", "/collections/{}/points/search", (r) => searchPoints(collection(r), r.body())),
    route("POST", "/collections/{}/points/payload", (r) => updateResult(writePayload(collection(r), r.body(), "set"), wait(r))),
    route("PUT", "/collections/{}/points/payload", (r) => updateResult(writePayload(collection(r), r.body(), "overwrite"), wait(r))),
    route("POST", "/collections/{}/points/payload/delete", (r) => updateResult(deletePayloadKeys(collection(r), r.body()), wait(r))),
    route("POST", "/collections/{}/points/payload/clear", (r) => updateResult(clearPayload(collection(r), r.body()), wait(r))),
  ];
}

function createCollection(r: ApiRequest): true {
  const name = r.params[0] as string;
  if (name.length === 0 || Buffer.byteLength(name) > 255 || FORBIDDEN_NAME_CHARS.test(name)) {
    throw validationError(`collection_name: Collection name must be 1 to 255 bytes without any of <>:"/\\|?* or control characters`);
  }
  const body = r.body();
  if (isPlainObject(body.sparse_vectors) && Object.keys(body.sparse_vectors).length > 0) throw unsupported("Sparse vectors");
  if (body.init_from !== undefined && body.init_from !== null) throw unsupported("init_from");
  const settings: Record<string, unknown> = {};
  for (const key of ECHOED_SETTINGS) if (body[key] !== undefined && body[key] !== null) settings[key] = body[key];
  // Parse before the existence check so a bad body is reported as such, then add (409 if taken).
  r.store.add(new Collection(name, parseVectorsConfig(body.vectors), settings));
  return true;
}
