// Qdrant's filter, the part the vector store adapter sends: must / should /
// must_not (one condition or a list, sub-filters as conditions) over field
// conditions with `match` (value, any, except) and `range`. Other conditions
// (has_id, is_empty, is_null, nested, geo_*, values_count, min_should, text
// match…) are refused by name rather than matched wrongly.
import { formatError, isPlainObject, unsupported } from "./errors.ts";

export type Filter = (payload: Record<string, unknown>) => boolean;

const CLAUSES = ["must", "should", "must_not"];
const RANGE_KEYS = ["gt", "gte", "lt", "lte"];

export function parseFilter(raw: unknown): Filter {
  if (raw === undefined || raw === null) return () => true;
  if (!isPlainObject(raw)) throw formatError("invalid type: expected struct Filter");
  for (const key of Object.keys(raw)) {
    if (key === "min_should") throw unsupported("The `min_should` filter clause");
    if (!CLAUSES.includes(key)) throw formatError(`unknown field \`${key}\`, expected one of \`should\`, \`min_should\`, \`must\`, \`must_not\``);
  }
  const list = (clause: unknown) => (clause === undefined || clause === null ? undefined : (Array.isArray(clause) ? clause : [clause]).map(parseCondition));
  const must = list(raw.must);
  const should = list(raw.should);
  const mustNot = list(raw.must_not);
  return (payload) =>
    (must?.every((c) => c(payload)) ?? true) &&
    (should === undefined || should.length === 0 || should.some((c) => c(payload))) &&
    !(mustNot?.some((c) => c(payload)) ?? false);
}

function parseCondition(raw: unknown): Filter {
  if (!isPlainObject(raw)) throw formatError("data did not match any variant of untagged enum Condition");
  if (CLAUSES.some((clause) => clause in raw)) return parseFilter(raw);
  if (typeof raw.key !== "string") {
    const kind = Object.keys(raw)[0] ?? "an empty";
    throw unsupported(`The \`${kind}\` condition`);
  }
  const { key, match, range, ...rest } = raw;
  const other = Object.keys(rest)[0];
  if (other !== undefined) throw unsupported(`The \`${other}\` field condition`);
  if (key.includes("[")) throw unsupported("Array paths (`[]`) in a key");
  const tests: ((value: unknown) => boolean)[] = [];
  if (match !== undefined) tests.push(parseMatch(match));
  if (range !== undefined) tests.push(parseRange(range));
  if (tests.length === 0) throw formatError("data did not match any variant of untagged enum Condition");
  const path = key.split(".");
  return (payload) => valuesAt(payload, path).some((value) => tests.every((test) => test(value)));
}

type Scalar = string | number | boolean;
const isScalar = (v: unknown): v is Scalar => typeof v === "string" || typeof v === "number" || typeof v === "boolean";

function parseMatch(raw: unknown): (value: unknown) => boolean {
  if (isPlainObject(raw) && isScalar(raw.value)) return (value) => value === raw.value;
  if (isPlainObject(raw) && Array.isArray(raw.any) && raw.any.every(isScalar)) return (value) => (raw.any as unknown[]).includes(value);
  if (isPlainObject(raw) && Array.isArray(raw.except) && raw.except.every(isScalar)) return (value) => isScalar(value) && !(raw.except as unknown[]).includes(value);
  if (isPlainObject(raw) && ("text" in raw || "phrase" in raw || "text_any" in raw)) throw unsupported("Full-text match");
  throw formatError("data did not match any variant of untagged enum Match");
}

function parseRange(raw: unknown): (value: unknown) => boolean {
  if (!isPlainObject(raw) || !Object.entries(raw).every(([k, v]) => RANGE_KEYS.includes(k) && (v === null || typeof v === "number"))) {
    throw isPlainObject(raw) && Object.values(raw).some((v) => typeof v === "string") ? unsupported("A datetime range") : formatError("data did not match any variant of untagged enum RangeInterface");
  }
  const { gt, gte, lt, lte } = raw as Record<string, number | null | undefined>;
  return (value) =>
    typeof value === "number" && (gt == null || value > gt) && (gte == null || value >= gte) && (lt == null || value < lt) && (lte == null || value <= lte);
}

/** The values a dotted key reaches; arrays on the way are flattened, as Qdrant does. */
function valuesAt(payload: Record<string, unknown>, path: readonly string[]): unknown[] {
  if (path.length === 1) {
    const value = payload[path[0] as string];
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
  }
  let values: unknown[] = [payload];
  for (const part of path) {
    values = values.flatMap((v) => (isPlainObject(v) && part in v ? [v[part]] : [])).flatMap((v) => (Array.isArray(v) ? v : [v]));
  }
  return values;
}
