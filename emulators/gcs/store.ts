// The emulator's state: buckets and the live generation of each object, in memory.
import { GcsError, badRequest, noSuchBucket, noSuchObject } from "./errors.ts";
import { checkPreconditions, type Preconditions } from "./preconditions.ts";
import { attributesOf, hashesOf, nextGeneration, type BucketRecord, type ObjectAttributes, type ObjectRecord } from "./records.ts";

export interface StoredObject {
  record: ObjectRecord;
  data: Buffer;
}

export interface NewObject {
  bucket: string;
  name: string;
  data: Buffer;
  attributes: ObjectAttributes;
  publicRead?: boolean;
  preconditions?: Preconditions;
}

interface BucketState {
  record: BucketRecord;
  objects: Map<string, StoredObject>;
}

const bucketNamePattern = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;

function validateObjectName(name: string): void {
  if (name === "" || Buffer.byteLength(name) > 1024 || name === "." || name === ".." || /[\r\n]/.test(name)) {
    throw badRequest(`Invalid object name: ${JSON.stringify(name)}`);
  }
}

/** Cloud Storage orders names by their UTF-8 bytes, not by UTF-16 code units. */
export function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export class ObjectStore {
  readonly #buckets = new Map<string, BucketState>();
  createBucket(name: string, options: { labels?: Record<string, string>; publicRead?: boolean } = {}): BucketRecord {
    if (!bucketNamePattern.test(name)) throw badRequest(`Invalid bucket name: ${JSON.stringify(name)}`);
    if (this.#buckets.has(name)) {
      throw new GcsError(409, "conflict", "Your previous request to create the named bucket succeeded and you already own it.", "BucketAlreadyOwnedByYou");
    }
    const now = new Date().toISOString();
    const record: BucketRecord = {
      name,
      timeCreated: now,
      updated: now,
      metageneration: 1,
      labels: options.labels ?? {},
      publicRead: options.publicRead ?? false,
    };
    this.#buckets.set(name, { record, objects: new Map() });
    return record;
  }

  hasBucket(name: string): boolean {
    return this.#buckets.has(name);
  }

  getBucket(name: string): BucketRecord {
    return this.#bucket(name).record;
  }

  listBuckets(): BucketRecord[] {
    return [...this.#buckets.values()].map((state) => state.record).sort((a, b) => compareNames(a.name, b.name));
  }

  updateBucket(name: string, change: (record: BucketRecord) => Partial<Pick<BucketRecord, "labels" | "publicRead">>): BucketRecord {
    const state = this.#bucket(name);
    state.record = { ...state.record, ...change(state.record), metageneration: state.record.metageneration + 1, updated: new Date().toISOString() };
    return state.record;
  }

  deleteBucket(name: string): void {
    const state = this.#buckets.get(name);
    if (!state) throw noSuchBucket(name);
    if (state.objects.size > 0) throw new GcsError(409, "conflict", "The bucket you tried to delete is not empty.", "BucketNotEmpty");
    this.#buckets.delete(name);
  }

  /** The live object; with `generation`, only if that generation is still the live one (no versioning). */
  getObject(bucket: string, name: string, generation?: string | null): StoredObject {
    const stored = this.#bucket(bucket).objects.get(name);
    if (!stored || (generation && generation !== stored.record.generation)) throw noSuchObject(bucket, name);
    return stored;
  }

  findObject(bucket: string, name: string): StoredObject | undefined {
    return this.#bucket(bucket).objects.get(name);
  }

  /** Live objects ordered by name, as listings return them. */
  listObjects(bucket: string): ObjectRecord[] {
    return [...this.#bucket(bucket).objects.values()].map((stored) => stored.record).sort((a, b) => compareNames(a.name, b.name));
  }

  /** Writes a new generation; preconditions are checked against the live one in the same step. */
  writeObject(object: NewObject): ObjectRecord {
    validateObjectName(object.name);
    const state = this.#bucket(object.bucket);
    const existing = state.objects.get(object.name);
    checkPreconditions(existing?.record, object.preconditions ?? {});
    const now = new Date().toISOString();
    const record: ObjectRecord = {
      ...attributesOf(object.attributes),
      bucket: object.bucket,
      name: object.name,
      size: object.data.length,
      generation: nextGeneration(),
      metageneration: 1,
      timeCreated: now,
      updated: now,
      ...hashesOf(object.data),
      publicRead: object.publicRead ?? false,
    };
    const stored = { record, data: object.data };
    state.objects.set(object.name, stored);
    return record;
  }

  /** Changes metadata only: same generation, next metageneration. */
  updateObject(
    bucket: string,
    name: string,
    change: (record: ObjectRecord) => ObjectAttributes & { publicRead?: boolean },
    preconditions: Preconditions = {},
  ): ObjectRecord {
    const stored = this.getObject(bucket, name);
    checkPreconditions(stored.record, preconditions);
    const next = change(stored.record);
    const { size, generation, metageneration, timeCreated, md5Hash, crc32c } = stored.record;
    stored.record = {
      ...attributesOf(next),
      bucket,
      name,
      size,
      generation,
      metageneration: metageneration + 1,
      timeCreated,
      updated: new Date().toISOString(),
      md5Hash,
      crc32c,
      publicRead: next.publicRead ?? stored.record.publicRead,
    };
    return stored.record;
  }

  deleteObject(bucket: string, name: string, preconditions: Preconditions = {}, generation?: string | null): void {
    const stored = this.getObject(bucket, name, generation);
    checkPreconditions(stored.record, preconditions);
    this.#bucket(bucket).objects.delete(name);
  }

  #bucket(name: string): BucketState {
    const state = this.#buckets.get(name);
    if (!state) throw noSuchBucket(name);
    return state;
  }
}
