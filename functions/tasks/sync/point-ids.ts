// Qdrant takes UUIDs or unsigned integers as point ids, so a chunk's id is a
// UUIDv5 (SHA-1, RFC 9562) of its document id and chunk number: the same chunk
// always lands on the same point, and re-syncing overwrites instead of adding.
import { createHash } from "node:crypto";

/** This project's UUIDv5 namespace for chunk points (random, fixed forever: changing it re-keys every point). */
const CHUNK_NAMESPACE = "3b7c9e2a-6f41-4d8b-a5c0-91e2f4d7b613";

export function uuidV5(name: string, namespace: string): string {
  const hex = namespace.replaceAll("-", "");
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`namespace "${namespace}" is not a UUID`);
  const digest = createHash("sha1").update(Buffer.from(hex, "hex")).update(name, "utf8").digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const h = bytes.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The point id of one chunk of one document. */
export function chunkPointId(documentId: string, chunkIndex: number): string {
  if (!Number.isInteger(chunkIndex) || chunkIndex < 0) throw new Error(`chunk index ${chunkIndex} must be a whole number, 0 or more`);
  // The separator cannot be confused: the index after the last "#" is always digits.
  return uuidV5(`${documentId}#${chunkIndex}`, CHUNK_NAMESPACE);
}
