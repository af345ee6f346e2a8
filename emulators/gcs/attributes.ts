// Applies the writable metadata of an object resource sent by a client: PATCH
// merges (null deletes a field or a custom metadata key), uploads and PUT replace.
import { badRequest } from "./errors.ts";
import { writableObjectFields, type ObjectAttributes } from "./records.ts";

export function patchAttributes(current: ObjectAttributes, patch: Record<string, unknown>): ObjectAttributes {
  const next: ObjectAttributes = { ...current, metadata: current.metadata ? { ...current.metadata } : undefined };
  for (const field of writableObjectFields) {
    if (!(field in patch)) continue;
    const value = patch[field];
    if (value === null || value === undefined) delete next[field];
    else if (typeof value === "string") next[field] = value;
    else throw badRequest(`${field} must be a string`);
  }
  if ("metadata" in patch) next.metadata = patchCustomMetadata(next.metadata, patch.metadata);
  if (next.metadata === undefined) delete next.metadata;
  return next;
}

export function replaceAttributes(resource: Record<string, unknown>): ObjectAttributes {
  return patchAttributes({}, resource);
}

function patchCustomMetadata(current: Record<string, string> | undefined, patch: unknown): Record<string, string> | undefined {
  if (patch === null || patch === undefined) return undefined;
  if (typeof patch !== "object" || Array.isArray(patch)) throw badRequest("metadata must be an object");
  const next = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    // The real service keeps custom metadata as strings; the client may send numbers or booleans.
    if (value === null) delete next[key];
    else next[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return Object.keys(next).length > 0 ? next : undefined;
}
