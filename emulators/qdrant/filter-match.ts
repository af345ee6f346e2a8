// Evaluates parsed filters against a point the way Qdrant's condition checker
// does: a condition on a path holds if any value there satisfies it, a leaf
// array matches if any element does, and a missing field satisfies only a
// values_count that admits zero.
import type { Bounds, Condition, FieldTests, Filter, GeoPoint, Match } from "./filter-parse.ts";
import { isPlainObject } from "./json.ts";
import { valuesAt } from "./json-path.ts";

export interface FilterTarget {
  /** pointKey() of the point; absent inside nested objects, where has_id never holds. */
  key?: string;
  payload: Record<string, unknown>;
  hasVector?: (name: string) => boolean;
}

export interface FilterContext {
  /** Paths with a full-text index: text matching is then by tokens, not substring. */
  textIndexed: ReadonlySet<string>;
}

export function matchesFilter(filter: Filter | undefined, target: FilterTarget, context: FilterContext): boolean {
  if (!filter) return true;
  const check = (condition: Condition) => matchesCondition(condition, target, context);
  if (filter.should && !filter.should.some(check)) return false;
  if (filter.minShould) {
    const { conditions, minCount } = filter.minShould;
    if (conditions.filter(check).length < minCount) return false;
  }
  if (filter.must && !filter.must.every(check)) return false;
  if (filter.mustNot && filter.mustNot.some(check)) return false;
  return true;
}

function matchesCondition(condition: Condition, target: FilterTarget, context: FilterContext): boolean {
  switch (condition.kind) {
    case "filter":
      return matchesFilter(condition.filter, target, context);
    case "has_id":
      return target.key !== undefined && condition.keys.has(target.key);
    case "has_vector":
      return target.hasVector?.(condition.name) ?? false;
    case "is_empty":
      return valuesAt(target.payload, condition.key).every((v) => v === null || (Array.isArray(v) && v.length === 0));
    case "is_null":
      return valuesAt(target.payload, condition.key).some((v) => v === null);
    case "nested": {
      const elements = valuesAt(target.payload, { text: `${condition.key.text}[]`, items: [...condition.key.items, { wildcard: true }] });
      return elements.some((element) => isPlainObject(element) && matchesFilter(condition.filter, { payload: element }, context));
    }
    case "field": {
      const values = valuesAt(target.payload, condition.key);
      if (values.length === 0) return condition.valuesCount ? inBounds(0, condition.valuesCount) : false;
      const textIndexed = context.textIndexed.has(condition.key.text);
      return values.some((value) => checkField(condition, value, textIndexed));
    }
  }
}

function checkField(tests: FieldTests, value: unknown, textIndexed: boolean): boolean {
  if (tests.valuesCount) return inBounds(countValues(value), tests.valuesCount);
  if (Array.isArray(value)) return value.some((element) => checkOne(tests, element, textIndexed));
  return checkOne(tests, value, textIndexed);
}

/** Qdrant ORs the tests present on one field condition. */
function checkOne(tests: FieldTests, value: unknown, textIndexed: boolean): boolean {
  if (tests.match && checkMatch(tests.match, value, textIndexed)) return true;
  if (tests.range) {
    if (tests.range.kind === "number") {
      if ((typeof value === "number" || typeof value === "bigint") && inBounds(Number(value), tests.range)) return true;
    } else if (typeof value === "string") {
      const ms = Date.parse(value);
      if (!Number.isNaN(ms) && inBounds(ms, tests.range)) return true;
    }
  }
  const point = asGeoPoint(value);
  if (point && tests.geoRadius && haversineMeters(point, tests.geoRadius) < tests.geoRadius.radius) return true;
  if (point && tests.geoBox && inBox(point, tests.geoBox.topLeft, tests.geoBox.bottomRight)) return true;
  return false;
}

function checkMatch(match: Match, value: unknown, textIndexed: boolean): boolean {
  switch (match.kind) {
    case "value":
      if (typeof match.value === "bigint") return asInteger(value) === match.value;
      return value === match.value;
    case "any":
      if (typeof value === "string") return match.keywords?.has(value) ?? false;
      return match.integers !== undefined && isIntegerIn(value, match.integers);
    case "except":
      // Mirrors Qdrant's table: only a same-typed value in the list, or null, fails.
      if (value === null) return false;
      if (typeof value === "string" && match.keywords) return !match.keywords.has(value);
      if ((typeof value === "number" || typeof value === "bigint") && match.integers) {
        const integer = asInteger(value);
        return integer === undefined || !match.integers.has(integer);
      }
      return true;
    case "text":
    case "text_any":
    case "phrase":
      return typeof value === "string" && matchText(match.kind, match.text, value, textIndexed);
  }
}

function matchText(kind: "text" | "text_any" | "phrase", query: string, stored: string, textIndexed: boolean): boolean {
  if (kind === "text_any") {
    const words = new Set(tokens(stored));
    return tokens(query).some((t) => words.has(t));
  }
  if (!textIndexed) return stored.includes(query);
  const storedTokens = tokens(stored);
  const queryTokens = tokens(query);
  if (kind === "text") {
    const words = new Set(storedTokens);
    return queryTokens.every((t) => words.has(t));
  }
  const joined = ` ${storedTokens.join(" ")} `;
  return joined.includes(` ${queryTokens.join(" ")} `);
}

function tokens(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter(Boolean);
}

function asInteger(value: unknown): bigint | undefined {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  return undefined;
}

function isIntegerIn(value: unknown, set: ReadonlySet<bigint>): boolean {
  const integer = asInteger(value);
  return integer !== undefined && set.has(integer);
}

function inBounds(n: number, b: Bounds): boolean {
  return (b.gt === undefined || n > b.gt) && (b.gte === undefined || n >= b.gte)
    && (b.lt === undefined || n < b.lt) && (b.lte === undefined || n <= b.lte);
}

function countValues(value: unknown): number {
  if (value === null) return 0;
  return Array.isArray(value) ? value.length : 1;
}

function asGeoPoint(value: unknown): GeoPoint | undefined {
  if (isPlainObject(value) && typeof value.lon === "number" && typeof value.lat === "number") {
    return { lon: value.lon, lat: value.lat };
  }
  return undefined;
}

const EARTH_RADIUS_M = 6371008.8; // the mean radius the `geo` crate uses

function haversineMeters(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(h));
}

function inBox(p: GeoPoint, topLeft: GeoPoint, bottomRight: GeoPoint): boolean {
  if (p.lat > topLeft.lat || p.lat < bottomRight.lat) return false;
  // A box whose left edge is east of its right edge crosses the antimeridian.
  if (topLeft.lon <= bottomRight.lon) return p.lon >= topLeft.lon && p.lon <= bottomRight.lon;
  return p.lon >= topLeft.lon || p.lon <= bottomRight.lon;
}
