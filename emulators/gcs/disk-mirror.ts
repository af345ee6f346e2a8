// Keeps a copy of the store under a directory so `npm run dev` survives a
// restart. Layout: <dir>/<bucket>/bucket.json and, per object,
// <dir>/<bucket>/objects/<sha256(name)>.json (record) and .bin (bytes); hashed
// file names because object names may hold slashes or be longer than a file name.
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { BucketRecord, ObjectRecord } from "./records.ts";
import type { ObjectStore, StoreMirror, StoredObject } from "./store.ts";

function objectFileBase(dir: string, bucket: string, name: string): string {
  return path.join(dir, bucket, "objects", createHash("sha256").update(name).digest("hex"));
}

/** Write-then-rename, so a crash never leaves half a record behind. */
async function writeAtomically(file: string, data: string | Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}

export class DiskMirror implements StoreMirror {
  readonly #dir: string;
  readonly #log: (line: string) => void;
  // Writes run one after another in the order the changes happened.
  #queue: Promise<void> = Promise.resolve();

  constructor(dir: string, log: (line: string) => void) {
    this.#dir = dir;
    this.#log = log;
  }

  bucketSaved(record: BucketRecord): void {
    this.#enqueue(() => writeAtomically(path.join(this.#dir, record.name, "bucket.json"), JSON.stringify(record)));
  }

  bucketDeleted(name: string): void {
    this.#enqueue(() => rm(path.join(this.#dir, name), { recursive: true, force: true }));
  }

  objectSaved({ record, data }: StoredObject): void {
    const base = objectFileBase(this.#dir, record.bucket, record.name);
    this.#enqueue(async () => {
      await writeAtomically(`${base}.bin`, data);
      await writeAtomically(`${base}.json`, JSON.stringify(record));
    });
  }

  objectDeleted(bucket: string, name: string): void {
    const base = objectFileBase(this.#dir, bucket, name);
    this.#enqueue(async () => {
      await rm(`${base}.json`, { force: true });
      await rm(`${base}.bin`, { force: true });
    });
  }

  /** Resolves once every change so far is on disk. */
  flush(): Promise<void> {
    return this.#queue;
  }

  /** Loads what an earlier run left in the directory into the store. */
  async load(store: ObjectStore): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    for (const entry of await readdir(this.#dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const bucketDir = path.join(this.#dir, entry.name);
      let bucket: BucketRecord;
      try {
        bucket = JSON.parse(await readFile(path.join(bucketDir, "bucket.json"), "utf8")) as BucketRecord;
      } catch {
        continue; // not a bucket directory
      }
      const objects: StoredObject[] = [];
      const objectDir = path.join(bucketDir, "objects");
      const files = await readdir(objectDir).catch(() => [] as string[]);
      for (const file of files.filter((name) => name.endsWith(".json"))) {
        const base = path.join(objectDir, file.slice(0, -".json".length));
        const record = JSON.parse(await readFile(`${base}.json`, "utf8")) as ObjectRecord;
        objects.push({ record, data: await readFile(`${base}.bin`) });
      }
      store.restore(bucket, objects);
    }
  }

  #enqueue(write: () => Promise<void>): void {
    this.#queue = this.#queue.then(write).catch((error: unknown) => {
      this.#log(`gcs: could not persist to ${this.#dir}: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
}
