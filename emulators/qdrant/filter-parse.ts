// Parses Qdrant's filter JSON (must / should / must_not / min_should over field,
// is_empty, is_null, has_id, has_vector, nested and sub-filter conditions) into
// typed conditions, rejecting shapes Qdrant's deserializer would reject.
import { formatError, unsupported, validationError } from "./errors.ts";
import { isPlainObject } from "./json.ts";
import { parseJsonPath, type JsonPath } from "./json-path.ts";
import { parsePointIds, pointKey } from "./point-id.ts";

export interface Filter {
  must?: Condition[];
  should?: Condition[];
  mustNot?: Condition[];
  minShould?: { conditions: Condition[]; minCount: number };
}

export type Condition =
  | ({ kind: "field"; key: JsonPath } & FieldTests)
  | { kind: "is_empty"; key: JsonPath }
  | { kind: "is_null"; key: JsonPath }
  | { kind: "has_id"; keys: Set<string> }
  | { kind: "has_vector"; name: string }
  | { kind: "nested"; key: JsonPath; filter: Filter }
  | { kind: "filter"; filter: Filter };

export interface FieldTests {
  match?: Match;
  range?: NumberRange | DateRange;
  geoRadius?: { lon: number; lat: number; radius: number };
  geoBox?: { topLeft: GeoPoint; bottomRight: GeoPoint };
  valuesCount?: Bounds;
}

export type Match =
  | { kind: "value"; value: string | bigint | boolean }
  | { kind: "any" | "except"; keywords?: Set<string>; integers?: Set<bigint> }
  | { kind: "text" | "text_any" | "phrase"; text: string };

export interface Bounds { gt?: number; gte?: number; lt?: number; lte?: number }
export interface NumberRange extends Bounds { kind: "number" }
export interface DateRange extends Bounds { kind: "datetime" } // bounds in epoch ms
export interface GeoPoint { lon: number; lat: number }

const FILTER_KEYS = new Set(["must", "should", "must_not", "min_should"]);

export function parseFilter(raw: unknown): Filter | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw)) throw formatError("invalid type: expected struct Filter");
  return parseFilterObject(raw);
}

function parseFilterObject(raw: Record<string, unknown>): Filter {
  for (const key of Object.keys(raw)) {
    if (!FILTER_KEYS.has(key)) throw formatError(`unknown field \`${key}\`, expected one of \`should\`, \`min_should\`, \`must\`, \`must_not\``);
  }
  const filter: Filter = {};
  const must = parseConditions(raw.must);
  const should = parseConditions(raw.should);
  const mustNot = parseConditions(raw.must_not);
  if (must) filter.must = must;
  if (should) filter.should = should;
  if (mustNot) filter.mustNot = mustNot;
  if (raw.min_should !== undefined && raw.min_should !== null) {
    const minShould = raw.min_should;
    if (!isPlainObject(minShould) || typeof minShould.min_count !== "number") {
      throw formatError("invalid type for `min_should`, expected struct MinShould");
    }
    filter.minShould = { conditions: parseConditions(minShould.conditions) ?? [], minCount: minShould.min_count };
  }
  return filter;
}

/** Each clause takes one condition or a list of them (Qdrant's MaybeOneOrMany). */
function parseConditions(raw: unknown): Condition[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  return (Array.isArray(raw) ? raw : [raw]).map(parseCondition);
}

function parseCondition(raw: unknown): Condition {
  const noMatch = formatError("data did not match any variant of untagged enum Condition");
  if (!isPlainObject(raw)) throw noMatch;
  if ("key" in raw) return parseFieldCondition(raw);
  if ("is_empty" in raw) return { kind: "is_empty", key: parsePayloadField(raw.is_empty) };
  if ("is_null" in raw) return { kind: "is_null", key: parsePayloadField(raw.is_null) };
  if ("has_id" in raw) return { kind: "has_id", keys: new Set(parsePointIds(raw.has_id, "has_id").map(pointKey)) };
  if ("has_vector" in raw) {
    if (typeof raw.has_vector !== "string") throw noMatch;
    return { kind: "has_vector", name: raw.has_vector };
  }
  if ("nested" in raw) {
    const nested = raw.nested;
    if (!isPlainObject(nested) || !isPlainObject(nested.filter)) throw noMatch;
    return { kind: "nested", key: parseJsonPath(nested.key), filter: parseFilterObject(nested.filter) };
  }
  if (Object.keys(raw).every((key) => FILTER_KEYS.has(key))) return { kind: "filter", filter: parseFilterObject(raw) };
  throw noMatch;
}

function parsePayloadField(raw: unknown): JsonPath {
  if (!isPlainObject(raw)) throw formatError("invalid type: expected struct PayloadField");
  return parseJsonPath(raw.key);
}

function parseFieldCondition(raw: Record<string, unknown>): Condition {
  const condition: Condition = { kind: "field", key: parseJsonPath(raw.key) };
  if (raw.match != null) condition.match = parseMatch(raw.match);
  if (raw.range != null) condition.range = parseRange(raw.range);
  if (raw.geo_radius != null) {
    const geo = raw.geo_radius;
    if (!isPlainObject(geo) || typeof geo.radius !== "number") throw formatError("invalid type for `geo_radius`");
    condition.geoRadius = { ...parseGeoPoint(geo.center), radius: geo.radius };
  }
  if (raw.geo_bounding_box != null) {
    const box = raw.geo_bounding_box;
    if (!isPlainObject(box)) throw formatError("invalid type for `geo_bounding_box`");
    condition.geoBox = { topLeft: parseGeoPoint(box.top_left), bottomRight: parseGeoPoint(box.bottom_right) };
  }
  if (raw.geo_polygon != null) throw unsupported("geo_polygon");
  if (raw.values_count != null) condition.valuesCount = parseBounds(raw.values_count, "values_count");
  if (!condition.match && !condition.range && !condition.geoRadius && !condition.geoBox && !condition.valuesCount) {
    throw validationError("At least one field condition must be specified");
  }
  return condition;
}

function parseMatch(raw: unknown): Match {
  const noMatch = formatError("data did not match any variant of untagged enum Match");
  if (!isPlainObject(raw)) throw noMatch;
  if ("value" in raw) {
    const value = raw.value;
    if (typeof value === "string" || typeof value === "boolean") return { kind: "value", value };
    if (typeof value === "bigint") return { kind: "value", value };
    if (typeof value === "number" && Number.isInteger(value)) return { kind: "value", value: BigInt(value) };
    throw formatError("data did not match any variant of untagged enum ValueVariants");
  }
  for (const kind of ["text", "text_any", "phrase"] as const) {
    if (kind in raw) {
      if (typeof raw[kind] !== "string") throw noMatch;
      return { kind, text: raw[kind] };
    }
  }
  for (const kind of ["any", "except"] as const) {
    if (kind in raw) {
      const list = raw[kind];
      if (!Array.isArray(list)) throw noMatch;
      if (list.every((v) => typeof v === "string")) return { kind, keywords: new Set(list) };
      if (list.every((v) => typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v)))) {
        return { kind, integers: new Set(list.map((v: number | bigint) => BigInt(v))) };
      }
      throw formatError("data did not match any variant of untagged enum AnyVariants");
    }
  }
  throw noMatch;
}

function parseRange(raw: unknown): NumberRange | DateRange {
  if (!isPlainObject(raw)) throw formatError("data did not match any variant of untagged enum RangeInterface");
  const isDate = ["gt", "gte", "lt", "lte"].some((k) => typeof raw[k] === "string");
  if (!isDate) return { kind: "number", ...parseBounds(raw, "range") };
  const range: DateRange = { kind: "datetime" };
  for (const k of ["gt", "gte", "lt", "lte"] as const) {
    const value = raw[k];
    if (value === undefined || value === null) continue;
    const ms = typeof value === "string" ? Date.parse(value) : NaN;
    if (Number.isNaN(ms)) throw formatError(`'${String(value)}' is not in a supported date/time format`);
    range[k] = ms;
  }
  return range;
}

function parseBounds(raw: unknown, field: string): Bounds {
  if (!isPlainObject(raw)) throw formatError(`invalid type for \`${field}\``);
  const bounds: Bounds = {};
  for (const k of ["gt", "gte", "lt", "lte"] as const) {
    const value = raw[k];
    if (value === undefined || value === null) continue;
    if (typeof value !== "number" && typeof value !== "bigint") throw formatError(`invalid type for \`${field}.${k}\`, expected a number`);
    bounds[k] = Number(value);
  }
  return bounds;
}

function parseGeoPoint(raw: unknown): GeoPoint {
  if (!isPlainObject(raw) || typeof raw.lon !== "number" || typeof raw.lat !== "number") {
    throw formatError("invalid type: expected struct GeoPoint");
  }
  return { lon: raw.lon, lat: raw.lat };
}
