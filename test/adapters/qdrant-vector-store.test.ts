// The VectorStore adapter on @qdrant/js-client-rest, against the Qdrant stand-in,
// or a real Qdrant when QDRANT_URL is set (collections get a random prefix and are deleted after).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startQdrantEmulator, type QdrantEmulator } from "../../emulators/qdrant/index.ts";
import { QdrantVectorStore } from "../../functions/adapters/qdrant/vector-store.ts";
import { chunkPointId } from "../../functions/tasks/sync/point-ids.ts";

const realQdrant = process.env.QDRANT_URL;
const prefix = `vs_${randomUUID().slice(0, 8)}_`;
let emulator: QdrantEmulator | undefined;
let url: string;
const store = () => new QdrantVectorStore({ url, defaultCollection: `${prefix}default`, ...(process.env.QDRANT_API_KEY ? { apiKey: process.env.QDRANT_API_KEY } : {}) });
const qdrant = (path: string, init: RequestInit = {}) =>
  fetch(`${url}${path}`, { ...init, headers: { "Content-Type": "application/json", ...(process.env.QDRANT_API_KEY ? { "api-key": process.env.QDRANT_API_KEY } : {}) } });

beforeAll(async () => {
  if (!realQdrant) emulator = await startQdrantEmulator();
  url = realQdrant ?? emulator!.url;
});
afterAll(async () => {
  const { result } = (await (await qdrant("/collections")).json()) as { result: { collections: { name: string }[] } };
  for (const { name } of result.collections) if (name.startsWith(prefix)) await qdrant(`/collections/${name}`, { method: "DELETE" });
  await emulator?.close();
});

const unit = (i: number, size = 8) => Array.from({ length: size }, (_, k) => (k === i % size ? 1 : 0.1));
const point = (doc: string, chunk: number, region = "ha-noi", direction = chunk) => ({ id: chunkPointId(doc, chunk), vector: unit(direction), payload: { document_id: doc, region_id: region, chunk_index: chunk } });

describe("QdrantVectorStore", () => {
  it("creates a collection with payload indexes once, and refuses one of another vector size", async () => {
    const name = `${prefix}create`;
    expect(await store().ensureCollection(name, { size: 4, keywordIndexes: ["document_id", "region_id"], integerIndexes: ["chunk_index"] })).toEqual({ created: true });
    const info = (await (await qdrant(`/collections/${name}`)).json()) as { result: { config: { params: { vectors: { size: number; distance: string } } }; payload_schema: Record<string, { data_type: string }> } };
    expect(info.result.config.params.vectors).toMatchObject({ size: 4, distance: "Cosine" });
    expect(info.result.payload_schema).toMatchObject({ document_id: { data_type: "keyword" }, region_id: { data_type: "keyword" }, chunk_index: { data_type: "integer" } });
    expect(await store().ensureCollection(name, { size: 4 })).toEqual({ created: false });
    await expect(store().ensureCollection(name, { size: 8 })).rejects.toMatchObject({ name: "NonRetryableError", message: `collection ${name} has vectors of size 4, the embedder makes 8` });
  });

  it("upserts in batches, queries with a filter, deletes by conditions with a lower bound, counts", async () => {
    const name = `${prefix}points`;
    const vectors = new QdrantVectorStore({ url, defaultCollection: name, upsertBatch: 3, ...(process.env.QDRANT_API_KEY ? { apiKey: process.env.QDRANT_API_KEY } : {}) });
    await vectors.ensureCollection(name, { size: 8, keywordIndexes: ["document_id", "region_id"], integerIndexes: ["chunk_index"] });
    await vectors.upsert(name, [point("a", 0), point("a", 1), point("a", 2), point("a", 3), point("b", 0, "hue", 5), point("b", 1, "hue", 6)]);
    expect(await vectors.count(name)).toBe(6);
    expect(await vectors.count(name, { region_id: "hue" })).toBe(2);

    const nearest = await vectors.query(name, unit(1), { limit: 2 });
    expect(nearest[0]).toMatchObject({ id: chunkPointId("a", 1), payload: { document_id: "a", chunk_index: 1 } });
    expect(nearest[0]!.score).toBeGreaterThan(nearest[1]!.score);
    const inHue = await vectors.query(name, unit(6), { limit: 10, where: { region_id: "hue" } });
    expect(inHue.map((m) => [m.payload.document_id, m.payload.chunk_index])).toEqual([["b", 1], ["b", 0]]);

    await vectors.deleteWhere(name, [{ document_id: "a", chunk_index: { gte: 2 } }, { document_id: "b", chunk_index: { gte: 0 } }]);
    expect(await vectors.count(name, { document_id: "a" })).toBe(2);
    expect(await vectors.count(name, { document_id: "b" })).toBe(0);
  });

  it("treats a missing collection as empty for reads and deletes", async () => {
    const name = `${prefix}missing`;
    expect(await store().query(name, unit(0, 4), { limit: 3 })).toEqual([]);
    expect(await store().count(name)).toBe(0);
    await expect(store().deleteWhere(name, [{ document_id: "x" }])).resolves.toBeUndefined();
  });

  it("fails with a configuration error without QDRANT_URL, and retryably when Qdrant is down", async () => {
    await expect(new QdrantVectorStore({ url: undefined, defaultCollection: "x" }).count("x")).rejects.toMatchObject({ name: "NonRetryableError", message: "QDRANT_URL is not configured" });
    await expect(new QdrantVectorStore({ url: "http://127.0.0.1:9", defaultCollection: "x", timeoutMs: 2000 }).count("x")).rejects.toMatchObject({ name: "DependencyError" });
  });
});
