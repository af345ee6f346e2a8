// Qdrant point ids: unsigned 64-bit integers or UUIDs. Numeric ids are kept as
// bigint so ids above 2^53 survive; UUIDs are normalised to lowercase hyphenated
// form, which is how Qdrant echoes them whatever form the client sent.
import { formatError } from "./errors.ts";

export type PointId = bigint | string;

const U64_MAX = (1n << 64n) - 1n;
const HEX32 = /^[0-9a-f]{32}$/;

export function parsePointId(raw: unknown): PointId {
  if (typeof raw === "number" && Number.isSafeInteger(raw) && raw >= 0) return BigInt(raw);
  if (typeof raw === "bigint" && raw >= 0n && raw <= U64_MAX) return raw;
  if (typeof raw === "string") {
    const uuid = normaliseUuid(raw);
    if (uuid) return uuid;
  }
  throw formatError(
    `value ${typeof raw === "string" ? raw : String(raw)} is not a valid point ID, valid values are either an unsigned integer or a UUID`,
  );
}

export function parsePointIds(raw: unknown, field: string): PointId[] {
  if (!Array.isArray(raw)) throw formatError(`invalid type for \`${field}\`, expected a sequence`);
  return raw.map(parsePointId);
}

/** Accepts the forms Rust's uuid crate parses: simple, hyphenated, urn and braced. */
function normaliseUuid(text: string): string | undefined {
  let s = text.trim().toLowerCase();
  if (s.startsWith("urn:uuid:")) s = s.slice("urn:uuid:".length);
  if (s.startsWith("{") && s.endsWith("}")) s = s.slice(1, -1);
  if (s.length === 36) {
    if (s[8] !== "-" || s[13] !== "-" || s[18] !== "-" || s[23] !== "-") return undefined;
    s = s.replaceAll("-", "");
  }
  if (!HEX32.test(s)) return undefined;
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Map key for a point: decimal digits or a UUID never collide. */
export function pointKey(id: PointId): string {
  return typeof id === "bigint" ? id.toString() : id;
}

/** Qdrant's id order: all numeric ids first (ascending), then UUIDs by their bytes. */
export function comparePointIds(a: PointId, b: PointId): number {
  if (typeof a === "bigint") {
    if (typeof b !== "bigint") return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof b === "bigint") return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
