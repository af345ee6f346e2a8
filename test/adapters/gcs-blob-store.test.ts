// The BlobStore adapter on the real @google-cloud/storage client, against the emulator.
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGcsEmulator, type GcsEmulator } from "../../emulators/gcs/index.ts";
import { GcsBlobStore } from "../../functions/adapters/gcs/blob-store.ts";

let emulator: GcsEmulator;
let store: GcsBlobStore;
const prefix = `t${Date.now()}/`;

beforeAll(async () => {
  const keys = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
  emulator = await startGcsEmulator({ buckets: ["blob-test"], signers: { "s@local.iam.gserviceaccount.com": keys.publicKey } });
  store = new GcsBlobStore({ bucket: "blob-test", project: "local", endpoint: emulator.url, signingCredentials: { client_email: "s@local.iam.gserviceaccount.com", private_key: keys.privateKey } });
});
afterAll(async () => emulator?.close());

describe("GcsBlobStore", () => {
  it("puts, stats, gets by path and by URI, lists in pages and deletes", async () => {
    const put = await store.put(`${prefix}a.txt`, Buffer.from("hello"), { contentType: "text/plain", metadata: { k: "v" } });
    expect(put).toEqual({ uri: `gs://blob-test/${prefix}a.txt`, bytes: 5 });
    await store.put(`${prefix}b.txt`, Buffer.from("world!"), { contentType: "text/plain" });
    await store.put(`${prefix}c.txt`, Buffer.from("third"), { contentType: "text/plain" });
    const info = await store.stat(`${prefix}a.txt`);
    expect(info).toMatchObject({ bytes: 5, contentType: "text/plain", metadata: { k: "v" } });
    expect((await store.get(put.uri))?.toString()).toBe("hello");
    expect(await store.get(`${prefix}missing`)).toBeNull();
    await expect(store.get(`${prefix}b.txt`, { maxBytes: 3 })).rejects.toThrow(/limit is 3/);
    await expect(store.get("gs://other-bucket/x")).rejects.toThrow(/not in bucket/);
    const first = await store.list(prefix, { pageSize: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextPageToken).toBeTruthy();
    const second = await store.list(prefix, { pageSize: 2, pageToken: first.nextPageToken! });
    expect([...first.items, ...second.items].map((i) => i.path).sort()).toEqual([`${prefix}a.txt`, `${prefix}b.txt`, `${prefix}c.txt`]);
    expect(await store.delete(`${prefix}a.txt`)).toBe(true);
    expect(await store.delete(`${prefix}a.txt`)).toBe(false);
    expect(await store.stat(`${prefix}a.txt`)).toBeNull();
  });

  it("hands out signed read and write URLs that work with plain fetch", async () => {
    const path = `${prefix}signed.bin`;
    const writeUrl = await store.writeUrl(path, "application/octet-stream");
    const put = await fetch(writeUrl, { method: "PUT", headers: { "Content-Type": "application/octet-stream" }, body: Buffer.from([1, 2, 3]) });
    expect(put.status).toBe(200);
    const readUrl = await store.readUrl(path, 60);
    expect(readUrl).toContain("X-Goog-Signature=");
    const got = await fetch(readUrl);
    expect(got.status).toBe(200);
    expect([...new Uint8Array(await got.arrayBuffer())]).toEqual([1, 2, 3]);
  });
});
