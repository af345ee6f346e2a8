// In-memory BlobStore and KeyValueStore for unit tests of handlers: the same
// contracts as the Cloud Storage and Redis adapters, nothing outside the process.
import type { BlobInfo, BlobStore, KeyValueStore } from "../../functions/core/ports.ts";

interface StoredBlob {
  data: Buffer;
  info: BlobInfo;
}

export class MemoryBlobStore implements BlobStore {
  readonly bucket = "memory";
  readonly objects = new Map<string, StoredBlob>();
  now: () => number = Date.now;

  uri(path: string): string {
    return `gs://${this.bucket}/${path}`;
  }

  async put(path: string, data: Buffer, options: { contentType: string; metadata?: Record<string, string> }) {
    const info = { path, bytes: data.length, contentType: options.contentType, updated: new Date(this.now()), metadata: { ...options.metadata } };
    this.objects.set(path, { data: Buffer.from(data), info });
    return { uri: this.uri(path), bytes: data.length };
  }

  async get(pathOrUri: string): Promise<Buffer | null> {
    return this.objects.get(pathOrUri.replace(`gs://${this.bucket}/`, ""))?.data ?? null;
  }

  async stat(path: string): Promise<BlobInfo | null> {
    return this.objects.get(path)?.info ?? null;
  }

  async list(prefix: string, options: { pageToken?: string; pageSize?: number } = {}) {
    const names = [...this.objects.keys()].filter((name) => name.startsWith(prefix)).sort();
    const after = options.pageToken ? names.filter((name) => name > options.pageToken!) : names;
    const page = after.slice(0, options.pageSize ?? 500);
    const more = after.length > page.length;
    return { items: page.map((name) => this.objects.get(name)!.info), nextPageToken: more ? page.at(-1)! : null };
  }

  async delete(path: string): Promise<boolean> {
    return this.objects.delete(path);
  }

  async readUrl(path: string, expiresSeconds = 3600): Promise<string> {
    return `https://memory.invalid/${path}?expires=${expiresSeconds}&at=${this.now()}`;
  }

  async writeUrl(path: string): Promise<string> {
    return `https://memory.invalid/${path}?write`;
  }

  /** Backdates an object, as if it had been written `ageMs` ago. */
  age(path: string, ageMs: number): void {
    const stored = this.objects.get(path);
    if (stored) stored.info = { ...stored.info, updated: new Date(this.now() - ageMs) };
  }
}

export class MemoryKeyValueStore implements KeyValueStore {
  readonly values = new Map<string, { json: string; ttlSeconds?: number }>();
  readonly sets = new Map<string, Set<string>>();

  async get<T = unknown>(key: string): Promise<T | null> {
    const entry = this.values.get(key);
    return entry ? (JSON.parse(entry.json) as T) : null;
  }

  async set(key: string, value: unknown, options: { ttlSeconds?: number; onlyIfAbsent?: boolean } = {}): Promise<boolean> {
    if (options.onlyIfAbsent && this.values.has(key)) return false;
    this.values.set(key, { json: JSON.stringify(value), ...(options.ttlSeconds ? { ttlSeconds: options.ttlSeconds } : {}) });
    return true;
  }

  async delete(...keys: string[]): Promise<number> {
    return keys.filter((key) => this.values.delete(key) || this.sets.delete(key)).length;
  }

  async increment(key: string, by = 1): Promise<number> {
    const value = Number((await this.get<number>(key)) ?? 0) + by;
    await this.set(key, value);
    return value;
  }

  async addToSet(key: string, ...members: string[]): Promise<number> {
    const set = this.sets.get(key) ?? new Set<string>();
    this.sets.set(key, set);
    const before = set.size;
    for (const member of members) set.add(member);
    return set.size - before;
  }

  async popFromSet(key: string, count: number): Promise<string[]> {
    const set = this.sets.get(key);
    if (!set) return [];
    const popped = [...set].slice(0, count);
    for (const member of popped) set.delete(member);
    return popped;
  }

  async setSize(key: string): Promise<number> {
    return this.sets.get(key)?.size ?? 0;
  }

  async scan(match: string): Promise<{ cursor: string; keys: string[] }> {
    const pattern = new RegExp(`^${match.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
    return { cursor: "0", keys: [...this.values.keys(), ...this.sets.keys()].filter((key) => pattern.test(key)) };
  }

  async ttl(key: string): Promise<number> {
    const entry = this.values.get(key);
    if (!entry) return this.sets.has(key) ? -1 : -2;
    return entry.ttlSeconds ?? -1;
  }
}
