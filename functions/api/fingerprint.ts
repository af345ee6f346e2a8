// A request's digest for idempotency: the same request (whatever its key order)
// gives the same digest; any other request, another one.
import { createHash } from "node:crypto";

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
  }
  return value;
}

export const requestFingerprint = (request: unknown): string =>
  createHash("sha256").update(JSON.stringify(canonical(request))).digest("base64url");
