// BlobStore on Cloud Storage (@google-cloud/storage), imported on first use.
// Locally the same client talks to the emulator (GCS_ENDPOINT).
import type { Bucket, Storage } from "@google-cloud/storage";
import { DependencyError, isDependencyError, NonRetryableError } from "../../core/errors.ts";
import { withDeadline } from "../../core/deadline.ts";
import type { BlobInfo, BlobStore } from "../../core/ports.ts";

export interface GcsOptions {
  bucket: string;
  project: string;
  /** Emulator base URL; unset for the real service. */
  endpoint?: string;
  /** Serve public URLs instead of signed ones (the bucket is public). Default false. */
  publicBucket?: boolean;
  /** Signed URL lifetime, seconds. Default 3600. */
  signedUrlSeconds?: number;
  /** {client_email, private_key} to sign URLs with; unset: Application Default Credentials (IAM signBlob). */
  signingCredentials?: { client_email: string; private_key: string };
  /** Deadline of one request to Cloud Storage, ms; its retries stay within twice that. Default 10,000. */
  timeoutMs?: number;
}

export class GcsBlobStore implements BlobStore {
  readonly bucket: string;
  readonly #options: GcsOptions;
  #bucket: Promise<Bucket> | null = null;

  constructor(options: GcsOptions) {
    this.bucket = options.bucket;
    this.#options = options;
  }

  uri(path: string): string {
    return `gs://${this.bucket}/${path}`;
  }

  async put(path: string, data: Buffer, options: { contentType: string; metadata?: Record<string, string>; signal?: AbortSignal }) {
    const bucket = await this.#open();
    await this.#call(() => bucket.file(path).save(data, { contentType: options.contentType, resumable: data.length > 8 * 1024 * 1024, metadata: { metadata: options.metadata ?? {} } }));
    return { uri: this.uri(path), bytes: data.length };
  }

  async get(pathOrUri: string, options: { maxBytes?: number } = {}): Promise<Buffer | null> {
    const path = this.#pathOf(pathOrUri);
    const bucket = await this.#open();
    const file = bucket.file(path);
    if (options.maxBytes !== undefined) {
      const info = await this.stat(path);
      if (!info) return null;
      if (info.bytes > options.maxBytes) throw new NonRetryableError(`${this.uri(path)} is ${info.bytes} bytes; the limit is ${options.maxBytes}`);
    }
    try {
      const [data] = await this.#bounded(file.download());
      return data;
    } catch (error) {
      if (statusOf(error) === 404) return null;
      if (isDependencyError(error)) throw error;
      throw new DependencyError("cloud-storage", (error as Error).message, { cause: error });
    }
  }

  async stat(path: string): Promise<BlobInfo | null> {
    const bucket = await this.#open();
    try {
      const [metadata] = await this.#bounded(bucket.file(path).getMetadata());
      return toInfo(path, metadata);
    } catch (error) {
      if (statusOf(error) === 404) return null;
      if (isDependencyError(error)) throw error;
      throw new DependencyError("cloud-storage", (error as Error).message, { cause: error });
    }
  }

  async list(prefix: string, options: { pageToken?: string; pageSize?: number } = {}) {
    const bucket = await this.#open();
    const [files, next] = await this.#call(() =>
      bucket.getFiles({ prefix, autoPaginate: false, maxResults: options.pageSize ?? 500, ...(options.pageToken ? { pageToken: options.pageToken } : {}) }),
    );
    const token = (next as { pageToken?: string } | null | undefined)?.pageToken ?? null;
    return { items: files.map((f) => toInfo(f.name, f.metadata)), nextPageToken: token };
  }

  async delete(path: string): Promise<boolean> {
    const bucket = await this.#open();
    try {
      await this.#bounded(bucket.file(path).delete());
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      if (isDependencyError(error)) throw error;
      throw new DependencyError("cloud-storage", (error as Error).message, { cause: error });
    }
  }

  async readUrl(path: string, expiresSeconds = this.#options.signedUrlSeconds ?? 3600): Promise<string> {
    const bucket = await this.#open();
    if (this.#options.publicBucket) return bucket.file(path).publicUrl();
    const [url] = await this.#call(() => bucket.file(path).getSignedUrl({ version: "v4", action: "read", expires: Date.now() + expiresSeconds * 1000 }));
    return url;
  }

  async writeUrl(path: string, contentType: string, expiresSeconds = 900): Promise<string> {
    const bucket = await this.#open();
    const [url] = await this.#call(() => bucket.file(path).getSignedUrl({ version: "v4", action: "write", contentType, expires: Date.now() + expiresSeconds * 1000 }));
    return url;
  }

  #pathOf(pathOrUri: string): string {
    if (!pathOrUri.startsWith("gs://")) return pathOrUri;
    const rest = pathOrUri.slice(5);
    const slash = rest.indexOf("/");
    const bucket = rest.slice(0, slash);
    if (slash < 0 || bucket !== this.bucket) throw new NonRetryableError(`${pathOrUri} is not in bucket ${this.bucket}`);
    return rest.slice(slash + 1);
  }

  #open(): Promise<Bucket> {
    this.#bucket ??= (async () => {
      const { Storage } = await import("@google-cloud/storage");
      const o = this.#options;
      const storage: Storage = new Storage({
        projectId: o.project,
        ...(o.endpoint ? { apiEndpoint: o.endpoint } : {}),
        ...(o.signingCredentials ? { credentials: o.signingCredentials } : {}),
        timeout: o.timeoutMs ?? 10_000,
        retryOptions: { maxRetries: 1, totalTimeout: Math.ceil((2 * (o.timeoutMs ?? 10_000)) / 1000) },
      });
      return storage.bucket(o.bucket);
    })();
    return this.#bucket;
  }

  async #call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await this.#bounded(fn());
    } catch (error) {
      if (isDependencyError(error)) throw error;
      throw new DependencyError("cloud-storage", (error as Error).message, { cause: error });
    }
  }

  /** The client's own timeout does not cover every stage (an upload stream waits on): a bound of our own too. */
  #bounded<T>(work: Promise<T>): Promise<T> {
    return withDeadline(work, this.#options.timeoutMs ?? 10_000, "cloud-storage");
  }
}

function statusOf(error: unknown): number | undefined {
  return error && typeof error === "object" && "code" in error ? Number((error as { code: unknown }).code) : undefined;
}

function toInfo(path: string, metadata: { size?: string | number; contentType?: string; updated?: string; metadata?: Record<string, unknown> | null }): BlobInfo {
  return {
    path,
    bytes: Number(metadata.size ?? 0),
    contentType: metadata.contentType ?? "application/octet-stream",
    updated: new Date(metadata.updated ?? 0),
    metadata: Object.fromEntries(Object.entries(metadata.metadata ?? {}).map(([k, v]) => [k, String(v)])),
  };
}
