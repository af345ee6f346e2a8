// What the emulator stores for a bucket and an object, and how each is
// rendered as a JSON API resource (sizes and generations are strings on the wire).
import { createHash } from "node:crypto";
import { CRC32C } from "@google-cloud/storage";

export interface BucketRecord {
  name: string;
  timeCreated: string;
  updated: string;
  metageneration: number;
  labels: Record<string, string>;
  /** Objects are readable without credentials (`predefinedAcl=publicRead`, or `allUsers` in the bucket ACL). */
  publicRead: boolean;
}

/** The metadata fields a client may set on upload, patch, update or rewrite. */
export const writableObjectFields = [
  "contentType",
  "contentEncoding",
  "contentDisposition",
  "contentLanguage",
  "cacheControl",
  "customTime",
] as const;
type WritableObjectField = (typeof writableObjectFields)[number];

export type ObjectAttributes = Partial<Record<WritableObjectField, string>> & {
  metadata?: Record<string, string>;
};

export interface ObjectRecord extends ObjectAttributes {
  bucket: string;
  name: string;
  size: number;
  generation: string;
  metageneration: number;
  timeCreated: string;
  updated: string;
  md5Hash: string;
  crc32c: string;
  publicRead: boolean;
}

/** The client-settable part of a record. */
export function attributesOf(source: ObjectAttributes): ObjectAttributes {
  const attributes: ObjectAttributes = {};
  for (const field of writableObjectFields) {
    if (source[field] !== undefined) attributes[field] = source[field];
  }
  if (source.metadata !== undefined) attributes.metadata = { ...source.metadata };
  return attributes;
}

function md5Base64(data: Uint8Array): string {
  return createHash("md5").update(data).digest("base64");
}

/** MD5 and CRC32C (Castagnoli, computed by the client library's own CRC32C), base64 as the wire carries them. */
export function hashesOf(data: Uint8Array): { md5Hash: string; crc32c: string } {
  const crc32c = new CRC32C();
  crc32c.update(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  return { md5Hash: md5Base64(data), crc32c: crc32c.toString() };
}

let lastGeneration = 0;

/** Microseconds since the epoch like the real service, strictly increasing within the process. */
export function nextGeneration(): string {
  lastGeneration = Math.max(lastGeneration + 1, Date.now() * 1000);
  return String(lastGeneration);
}

/** Opaque but changes with every generation and metageneration, as the real etag does. */
function etagOf(generation: string, metageneration: number): string {
  return createHash("sha1").update(`${generation}/${metageneration}`).digest("base64").slice(0, 12);
}

function objectEtag(record: ObjectRecord): string {
  return etagOf(record.generation, record.metageneration);
}

export function objectResource(record: ObjectRecord, baseUrl: string): Record<string, unknown> {
  const encodedName = encodeURIComponent(record.name);
  const resource: Record<string, unknown> = {
    kind: "storage#object",
    id: `${record.bucket}/${record.name}/${record.generation}`,
    selfLink: `${baseUrl}/storage/v1/b/${record.bucket}/o/${encodedName}`,
    mediaLink: `${baseUrl}/download/storage/v1/b/${record.bucket}/o/${encodedName}?generation=${record.generation}&alt=media`,
    name: record.name,
    bucket: record.bucket,
    generation: record.generation,
    metageneration: String(record.metageneration),
    contentType: record.contentType ?? "application/octet-stream",
    storageClass: "STANDARD",
    size: String(record.size),
    md5Hash: record.md5Hash,
    crc32c: record.crc32c,
    etag: objectEtag(record),
    timeCreated: record.timeCreated,
    updated: record.updated,
    timeStorageClassUpdated: record.timeCreated,
  };
  for (const field of writableObjectFields) {
    if (field !== "contentType" && record[field] !== undefined) resource[field] = record[field];
  }
  if (record.metadata && Object.keys(record.metadata).length > 0) resource.metadata = record.metadata;
  return resource;
}

export function bucketResource(record: BucketRecord, baseUrl: string): Record<string, unknown> {
  return {
    kind: "storage#bucket",
    id: record.name,
    selfLink: `${baseUrl}/storage/v1/b/${record.name}`,
    projectNumber: "0",
    name: record.name,
    timeCreated: record.timeCreated,
    updated: record.updated,
    metageneration: String(record.metageneration),
    location: "US",
    locationType: "multi-region",
    storageClass: "STANDARD",
    etag: etagOf(record.timeCreated, record.metageneration),
    ...(Object.keys(record.labels).length > 0 ? { labels: record.labels } : {}),
  };
}
