// Conformance of the Cloud Storage emulator: the real @google-cloud/storage
// client, unchanged, against emulators/gcs.
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CRC32C, Storage, type Bucket } from "@google-cloud/storage";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startGcsEmulator, type GcsEmulator } from "../../emulators/gcs/index.ts";

const { privateKey, publicKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const credentials = { client_email: "signer@local.iam.gserviceaccount.com", private_key: privateKey };

let emulator: GcsEmulator;
let storage: Storage;
const requestLog: string[] = [];
const buckets: Bucket[] = [];

beforeAll(async () => {
  emulator = await startGcsEmulator({ signers: { [credentials.client_email]: publicKey }, log: (line) => requestLog.push(line) });
  // `credentials` is only there to sign URLs: with a custom apiEndpoint and
  // useAuthWithCustomEndpoint unset, the client sends no token and looks none up.
  storage = new Storage({ apiEndpoint: emulator.url, projectId: "local", credentials });
});

afterAll(async () => {
  await emulator?.close();
});

afterEach(async () => {
  for (const bucket of buckets.splice(0)) {
    const [exists] = await bucket.exists();
    if (!exists) continue;
    await bucket.deleteFiles({ force: true });
    await bucket.delete();
  }
});

/** Each test owns a bucket, emptied and deleted after it. */
async function newBucket(client = storage): Promise<Bucket> {
  const [bucket] = await client.createBucket(`t-${randomUUID().slice(0, 12)}`);
  buckets.push(storage.bucket(bucket.name));
  return bucket;
}

function independentCrc32c(data: Buffer): string {
  const checksum = new CRC32C();
  checksum.update(data);
  return checksum.toString();
}

function md5(data: Buffer): string {
  return createHash("md5").update(data).digest("base64");
}

async function errorOf(promise: Promise<unknown>): Promise<{ code?: unknown; status?: unknown; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: unknown; message: string };
  }
  throw new Error("expected a rejection");
}

describe("buckets", () => {
  it("creates, gets, lists and deletes", async () => {
    const bucket = await newBucket();
    const [metadata] = await bucket.getMetadata();
    expect(metadata.name).toBe(bucket.name);
    expect(metadata.timeCreated).toBeTruthy();

    const [listed] = await storage.getBuckets();
    expect(listed.map((b) => b.name)).toContain(bucket.name);

    const conflict = await errorOf(storage.createBucket(bucket.name));
    expect(conflict.code).toBe(409);

    await bucket.file("keep").save("x", { resumable: false });
    expect((await errorOf(bucket.delete())).code).toBe(409);
    await bucket.file("keep").delete();

    await bucket.delete();
    expect(await bucket.exists()).toEqual([false]);
    expect((await errorOf(bucket.getMetadata())).code).toBe(404);
  });

  it("answers 404 to a write into a bucket nobody created, as Cloud Storage does; `buckets` creates them at start", async () => {
    const missing = await errorOf(storage.bucket(`never-${randomUUID().slice(0, 8)}`).file("a.txt").save("x", { resumable: false }));
    expect(missing.code).toBe(404);
    expect(missing.message).toContain("bucket does not exist");
    expect((await errorOf(storage.bucket(`never-${randomUUID().slice(0, 8)}`).file("a.txt").save("x", { resumable: true }))).code).toBe(404);
    const seeded = await startGcsEmulator({ buckets: ["ready-bucket"] });
    try {
      const client = new Storage({ apiEndpoint: seeded.url, projectId: "local" });
      await client.bucket("ready-bucket").file("a.txt").save("hello", { resumable: false });
      expect((await client.bucket("ready-bucket").file("a.txt").download())[0].toString()).toBe("hello");
    } finally {
      await seeded.close();
    }
  });
});

describe("uploads and downloads", () => {
  it("stores a multipart upload with checksums the client agrees with", async () => {
    const bucket = await newBucket();
    const data = randomBytes(50_000);
    const file = bucket.file("dir/small.bin");
    await file.save(data, { resumable: false, contentType: "application/x-test", metadata: { metadata: { owner: "test" } } });
    expect(requestLog.some((line) => line.includes("uploadType=multipart") && line.includes(" 200 "))).toBe(true);

    const [metadata] = await file.getMetadata();
    expect(metadata).toMatchObject({
      name: "dir/small.bin",
      bucket: bucket.name,
      size: "50000",
      contentType: "application/x-test",
      md5Hash: md5(data),
      crc32c: independentCrc32c(data),
      metageneration: "1",
      metadata: { owner: "test" },
    });
    expect(metadata.generation).toMatch(/^\d+$/);
    expect(metadata.etag).toBeTruthy();
    expect(metadata.updated).toBeTruthy();

    const [contents] = await file.download();
    expect(contents.equals(data)).toBe(true);
    const viaMediaLink = await fetch(String(metadata.mediaLink));
    expect(Buffer.from(await viaMediaLink.arrayBuffer()).equals(data)).toBe(true);
  });

  it("stores gzip-encoded uploads and serves them back decompressed", async () => {
    const bucket = await newBucket();
    const text = "compressible ".repeat(5_000);
    const file = bucket.file("page.html");
    await file.save(text, { resumable: false, gzip: true, contentType: "text/html" });
    const [metadata] = await file.getMetadata();
    expect(metadata.contentEncoding).toBe("gzip");
    expect(Number(metadata.size)).toBeLessThan(text.length);
    expect((await file.download())[0].toString()).toBe(text);
  });

  it("uploads in several resumable chunks", async () => {
    const bucket = await newBucket();
    const chunkSize = 256 * 1024; // the client's minimum
    const data = randomBytes(chunkSize * 4 + 1234);
    const file = bucket.file("large.bin");
    await file.save(data, { resumable: true, chunkSize, validation: "md5" });

    const chunkPuts = requestLog.filter((line) => line.startsWith("gcs PUT /upload/") && line.includes(`name=large.bin`));
    expect(chunkPuts.filter((line) => line.includes(" 308 "))).toHaveLength(4);
    expect(chunkPuts.filter((line) => line.includes(" 200 "))).toHaveLength(1);

    const [metadata] = await file.getMetadata();
    expect(metadata.size).toBe(String(data.length));
    expect(metadata.md5Hash).toBe(md5(data));
    expect(metadata.crc32c).toBe(independentCrc32c(data));
    const [contents] = await file.download();
    expect(contents.equals(data)).toBe(true);
  });

  it("uploads in one resumable request when no chunk size is set", async () => {
    const bucket = await newBucket();
    const data = randomBytes(300_000);
    await bucket.file("one-shot.bin").save(data);
    const [contents] = await bucket.file("one-shot.bin").download();
    expect(contents.equals(data)).toBe(true);
  });

  it("refuses an upload whose declared checksum does not match", async () => {
    const bucket = await newBucket();
    const file = bucket.file("bad.bin");
    const error = await errorOf(file.save(Buffer.from("actual bytes"), { resumable: false, metadata: { md5Hash: md5(Buffer.from("other")) } }));
    expect(error.code).toBe(400);
    expect(await file.exists()).toEqual([false]);
  });

  it("downloads byte ranges", async () => {
    const bucket = await newBucket();
    const data = Buffer.from("0123456789abcdefghij");
    const file = bucket.file("range.txt");
    await file.save(data, { resumable: false });
    expect((await file.download({ start: 5, end: 9 }))[0].toString()).toBe("56789");
    expect((await file.download({ start: 15 }))[0].toString()).toBe("fghij");
    expect((await file.download({ end: 2 }))[0].toString()).toBe("012");

    const response = await fetch(`${emulator.url}/storage/v1/b/${bucket.name}/o/range.txt?alt=media`, { headers: { Range: "bytes=-3" } });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe("bytes 17-19/20");
    expect(await response.text()).toBe("hij");
    const beyond = await fetch(`${emulator.url}/storage/v1/b/${bucket.name}/o/range.txt?alt=media`, { headers: { Range: "bytes=20-" } });
    expect(beyond.status).toBe(416);
  });

  it("streams with createWriteStream and createReadStream", async () => {
    const bucket = await newBucket();
    const pieces = Array.from({ length: 20 }, () => randomBytes(10_000));
    const file = bucket.file("streamed.bin");
    await pipeline(Readable.from(pieces), file.createWriteStream({ contentType: "application/octet-stream" }));

    const received: Buffer[] = [];
    await pipeline(file.createReadStream(), async function* (source) {
      for await (const chunk of source) received.push(chunk as Buffer);
    });
    expect(Buffer.concat(received).equals(Buffer.concat(pieces))).toBe(true);
  });

  it("fails an ifGenerationMatch=0 write over an existing object with 412", async () => {
    const bucket = await newBucket();
    const file = bucket.file("once.txt");
    await file.save("first", { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });

    const multipart = await errorOf(file.save("second", { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }));
    expect(multipart.code).toBe(412);
    const resumable = await errorOf(file.save("second", { resumable: true, preconditionOpts: { ifGenerationMatch: 0 } }));
    expect(resumable.code).toBe(412);
    expect((await file.download())[0].toString()).toBe("first");

    const [{ generation }] = await file.getMetadata();
    await file.save("third", { resumable: false, preconditionOpts: { ifGenerationMatch: Number(generation) } });
    expect((await file.download())[0].toString()).toBe("third");
  });
});

describe("object metadata and listing", () => {
  it("patches metadata and bumps the metageneration", async () => {
    const bucket = await newBucket();
    const file = bucket.file("meta.json");
    await file.save("{}", { resumable: false, metadata: { metadata: { keep: "1", drop: "2" } } });
    const [patched] = await file.setMetadata({ contentType: "application/json", cacheControl: "no-store", metadata: { drop: null, added: "3" } });
    expect(patched).toMatchObject({ contentType: "application/json", cacheControl: "no-store", metageneration: "2", metadata: { keep: "1", added: "3" } });
    const [fetched] = await file.getMetadata();
    expect(fetched.metadata).toEqual({ keep: "1", added: "3" });
    expect(fetched.metageneration).toBe("2");
  });

  it("pages with prefix and maxResults, and groups by delimiter", async () => {
    const bucket = await newBucket();
    const names = ["p/1", "p/2", "p/3", "p/4", "p/5", "p/sub/6", "q/7", "root.txt"];
    await Promise.all(names.map((name) => bucket.file(name).save(name, { resumable: false })));

    const seen: string[] = [];
    let query: object | null = { prefix: "p/", maxResults: 2, autoPaginate: false };
    let pages = 0;
    while (query) {
      const [files, nextQuery]: [{ name: string }[], object | null, unknown] = await bucket.getFiles(query);
      expect(files.length).toBeLessThanOrEqual(2);
      seen.push(...files.map((f) => f.name));
      query = nextQuery;
      pages++;
    }
    expect(seen).toEqual(["p/1", "p/2", "p/3", "p/4", "p/5", "p/sub/6"]);
    expect(pages).toBe(3);

    const [rootFiles, , rootResponse] = await bucket.getFiles({ delimiter: "/", autoPaginate: false });
    expect(rootFiles.map((f) => f.name)).toEqual(["root.txt"]);
    expect((rootResponse as { prefixes?: string[] }).prefixes).toEqual(["p/", "q/"]);

    const [underP, , underPResponse] = await bucket.getFiles({ prefix: "p/", delimiter: "/", autoPaginate: false });
    expect(underP.map((f) => f.name)).toEqual(["p/1", "p/2", "p/3", "p/4", "p/5"]);
    expect((underPResponse as { prefixes?: string[] }).prefixes).toEqual(["p/sub/"]);
  });

  it("lists only the names matchGlob matches, and refuses it with a delimiter other than /", async () => {
    const bucket = await newBucket();
    const names = ["a.txt", "a.json", "dir/b.txt", "dir/sub/c.txt", "dir/sub/d.csv", "e1.txt", "e22.txt", "other/x.txt"];
    for (const name of names) await bucket.file(name).save("x", { resumable: false });
    const glob = async (matchGlob: string, options: { delimiter?: string } = {}) =>
      (await bucket.getFiles({ matchGlob, ...options }))[0].map((f) => f.name).sort();
    expect(await glob("*.txt")).toEqual(["a.txt", "e1.txt", "e22.txt"]);
    expect(await glob("**.txt")).toEqual(["a.txt", "dir/b.txt", "dir/sub/c.txt", "e1.txt", "e22.txt", "other/x.txt"]);
    expect(await glob("dir/**/*.txt")).toEqual(["dir/b.txt", "dir/sub/c.txt"]);
    expect(await glob("e?.txt")).toEqual(["e1.txt"]);
    expect(await glob("a.{txt,json}")).toEqual(["a.json", "a.txt"]);
    expect(await glob("[!ae]*/*.txt")).toEqual(["dir/b.txt", "other/x.txt"]);
    const [, , withDelimiter] = await bucket.getFiles({ matchGlob: "**.txt", delimiter: "/", autoPaginate: false });
    expect((withDelimiter as { prefixes?: string[] }).prefixes).toEqual(["dir/", "other/"]);
    expect((await errorOf(bucket.getFiles({ matchGlob: "*.txt", delimiter: "-" }))).code).toBe(400);
  });

  it("deletes, and exists() follows", async () => {
    const bucket = await newBucket();
    const file = bucket.file("gone.txt");
    await file.save("x", { resumable: false });
    expect(await file.exists()).toEqual([true]);
    await file.delete();
    expect(await file.exists()).toEqual([false]);
    expect((await errorOf(file.delete())).code).toBe(404);
  });

  it("refuses copy, rewrite and compose with 501 rather than pretending (the platform uses none of them)", async () => {
    const bucket = await newBucket();
    await bucket.file("a").save("left", { resumable: false });
    expect((await errorOf(bucket.file("a").copy(bucket.file("b")))).code).toBe(501);
    expect((await errorOf(bucket.combine(["a"], "ab"))).code).toBe(501);
  });
});

describe("signed and public URLs", () => {
  const soon = () => Date.now() + 10 * 60 * 1000;

  it("serves a v4 signed read URL to plain fetch", async () => {
    const bucket = await newBucket();
    const file = bucket.file("dir/signed file.txt");
    await file.save("signed bytes", { resumable: false, contentType: "text/plain" });
    const [url] = await file.getSignedUrl({ version: "v4", action: "read", expires: soon() });
    expect(url.startsWith(`${emulator.url}/${bucket.name}/`)).toBe(true);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("signed bytes");
    expect((await fetch(`${emulator.url}/${bucket.name}/dir/signed%20file.txt`)).status).toBe(403);
  });

  it("serves a v2 signed URL (the client's default version)", async () => {
    const bucket = await newBucket();
    const file = bucket.file("v2.txt");
    await file.save("v2 bytes", { resumable: false });
    const [url] = await file.getSignedUrl({ action: "read", expires: soon() });
    expect(url).toContain("GoogleAccessId=");
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("v2 bytes");
  });

  it("refuses an expired signed URL", async () => {
    const bucket = await newBucket();
    const file = bucket.file("expired.txt");
    await file.save("old", { resumable: false });
    // Sign under a clock two hours back: a genuine URL whose hour of validity has passed.
    vi.useFakeTimers({ toFake: ["Date"] });
    let url: string;
    try {
      vi.setSystemTime(Date.now() - 2 * 60 * 60 * 1000);
      [url] = await file.getSignedUrl({ version: "v4", action: "read", expires: Date.now() + 60 * 60 * 1000 });
    } finally {
      vi.useRealTimers();
    }
    const response = await fetch(url);
    // Cloud Storage answers 400 ExpiredToken here, not 403.
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<Code>ExpiredToken</Code>");
  });

  it("refuses a signed URL altered after signing", async () => {
    const bucket = await newBucket();
    await bucket.file("allowed.txt").save("allowed", { resumable: false });
    await bucket.file("secret.txt").save("secret", { resumable: false });
    const [url] = await bucket.file("allowed.txt").getSignedUrl({ version: "v4", action: "read", expires: soon() });
    const retargeted = await fetch(url.replace("/allowed.txt?", "/secret.txt?"));
    expect(retargeted.status).toBe(403);
    expect(await retargeted.text()).toContain("SignatureDoesNotMatch");
    const lengthened = new URL(url);
    lengthened.searchParams.set("X-Goog-Expires", "604800");
    expect((await fetch(lengthened)).status).toBe(403);
    expect((await fetch(url)).status).toBe(200);
  });

  it("checks the signer: a URL is good only under the key of the account it names", async () => {
    const pair = () => generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const [a, b, stranger] = [pair(), pair(), pair()];
    const own = await startGcsEmulator({ buckets: ["signed"], signers: { "a@local.iam.gserviceaccount.com": a.publicKey, "b@local.iam.gserviceaccount.com": b.publicKey } });
    try {
      const signedBy = async (client_email: string, private_key: string, version: "v2" | "v4") => {
        const client = new Storage({ apiEndpoint: own.url, projectId: "local", credentials: { client_email, private_key } });
        const [url] = await client.bucket("signed").file("f.txt").getSignedUrl({ version, action: "read", expires: soon() });
        const response = await fetch(url);
        return { status: response.status, text: await response.text() };
      };
      await new Storage({ apiEndpoint: own.url, projectId: "local" }).bucket("signed").file("f.txt").save("ok", { resumable: false });
      for (const version of ["v2", "v4"] as const) {
        expect(await signedBy("a@local.iam.gserviceaccount.com", a.privateKey, version)).toEqual({ status: 200, text: "ok" });
        expect(await signedBy("b@local.iam.gserviceaccount.com", b.privateKey, version)).toEqual({ status: 200, text: "ok" });
        // Another known account's key, an unknown account, an unknown key: all refused.
        for (const [email, key] of [["b@local.iam.gserviceaccount.com", a.privateKey], ["c@local.iam.gserviceaccount.com", a.privateKey], ["a@local.iam.gserviceaccount.com", stranger.privateKey]] as const) {
          const refused = await signedBy(email, key, version);
          expect(refused.status, `${version} ${email}`).toBe(403);
          expect(refused.text).toContain("SignatureDoesNotMatch");
        }
      }
    } finally {
      await own.close();
    }
  });

  it("always verifies signatures: without signers it generates an account and hands out its key", async () => {
    const own = await startGcsEmulator({ buckets: ["signed"] });
    try {
      const client = new Storage({ apiEndpoint: own.url, projectId: "local", credentials: own.signingCredentials });
      await client.bucket("signed").file("f.txt").save("ok", { resumable: false });
      const [url] = await client.bucket("signed").file("f.txt").getSignedUrl({ version: "v4", action: "read", expires: soon() });
      expect(await (await fetch(url)).text()).toBe("ok");
      const [foreign] = await storage.bucket("signed").file("f.txt").getSignedUrl({ version: "v4", action: "read", expires: soon() });
      expect((await fetch(foreign.replace(emulator.url, own.url))).status).toBe(403);
    } finally {
      await own.close();
    }
  });

  it("uploads through a v4 signed write URL", async () => {
    const bucket = await newBucket();
    const file = bucket.file("uploads/from-browser.txt");
    const [url] = await file.getSignedUrl({ version: "v4", action: "write", expires: soon(), contentType: "text/plain" });
    const response = await fetch(url, { method: "PUT", body: "written by URL", headers: { "Content-Type": "text/plain" } });
    expect(response.status).toBe(200);
    expect((await file.download())[0].toString()).toBe("written by URL");
    expect((await file.getMetadata())[0].contentType).toBe("text/plain");
    // The content type is part of what was signed.
    const wrongType = await fetch(url, { method: "PUT", body: "x", headers: { "Content-Type": "text/html" } });
    expect(wrongType.status).toBe(403);
  });

  it("serves public objects at their public URL and nothing else", async () => {
    const bucket = await newBucket();
    const open = bucket.file("open.txt");
    const closed = bucket.file("closed.txt");
    await open.save("for everyone", { resumable: false, predefinedAcl: "publicRead" });
    await closed.save("private", { resumable: false });
    const response = await fetch(open.publicUrl());
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("for everyone");
    expect((await fetch(closed.publicUrl())).status).toBe(403);

    await closed.makePublic();
    expect(await closed.isPublic()).toEqual([true]);
    expect(await (await fetch(closed.publicUrl())).text()).toBe("private");
  });

  it("serves every object of a bucket created publicRead", async () => {
    const [bucket] = await storage.createBucket(`t-${randomUUID().slice(0, 12)}`, { predefinedAcl: "publicRead" });
    buckets.push(bucket);
    const file = bucket.file("any/object.txt");
    await file.save("in a public bucket", { resumable: false });
    const response = await fetch(file.publicUrl());
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("in a public bucket");
  });
});

describe("configuration routes", () => {
  it("works through STORAGE_EMULATOR_HOST", async () => {
    const previous = process.env.STORAGE_EMULATOR_HOST;
    process.env.STORAGE_EMULATOR_HOST = emulator.url;
    let client: Storage;
    try {
      // projectId still matters: without it createBucket goes looking for one (metadata server included).
      client = new Storage({ projectId: "local" });
    } finally {
      if (previous === undefined) delete process.env.STORAGE_EMULATOR_HOST;
      else process.env.STORAGE_EMULATOR_HOST = previous;
    }
    const bucket = await newBucket(client);
    await bucket.file("env.txt").save("via env", { resumable: false });
    await bucket.file("env-resumable.txt").save("via env, resumable");
    expect((await bucket.file("env.txt").download())[0].toString()).toBe("via env");
    expect((await bucket.file("env-resumable.txt").download())[0].toString()).toBe("via env, resumable");
  });
});
