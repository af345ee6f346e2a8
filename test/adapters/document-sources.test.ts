// The DocumentSource adapters: the ingest HTTP API (against its stand-in) and
// JSON-lines files in Cloud Storage (through GcsBlobStore, against the GCS emulator).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIngestEmulator, sampleCorpus, type IngestEmulator } from "../../emulators/ingest/index.ts";
import { startGcsEmulator, type GcsEmulator } from "../../emulators/gcs/index.ts";
import { HttpDocumentSource } from "../../functions/adapters/ingest/http-document-source.ts";
import { JsonLinesDocumentSource } from "../../functions/adapters/gcs-documents/jsonl-document-source.ts";
import { GcsBlobStore } from "../../functions/adapters/gcs/blob-store.ts";
import type { DocumentSource, SourceDocument } from "../../functions/tasks/sync/ports.ts";

let ingest: IngestEmulator;
let gcs: GcsEmulator;

beforeAll(async () => {
  ingest = await startIngestEmulator({ apiKey: "k1", documents: sampleCorpus().slice(0, 30) });
  gcs = await startGcsEmulator({ buckets: ["docs-test"] });
});
afterAll(async () => {
  await ingest?.close();
  await gcs?.close();
});

async function everything(source: DocumentSource, query: { since?: string; regionId?: string } = {}, limit = 7): Promise<SourceDocument[]> {
  const all: SourceDocument[] = [];
  let cursor: string | undefined;
  do {
    const page = await source.changes({ ...query, limit, ...(cursor ? { cursor } : {}) });
    expect(page.documents.length).toBeLessThanOrEqual(limit);
    all.push(...page.documents);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

describe("HttpDocumentSource", () => {
  const source = () => new HttpDocumentSource({ url: ingest.url, apiKey: "k1", timeoutMs: 5000 });

  it("pages through the API with its key, mapping wire names, with the total", async () => {
    const first = await source().changes({ limit: 10 });
    expect(first.total).toBe(30);
    expect(first.documents[0]).toEqual({
      id: sampleCorpus()[0]!.id, regionId: sampleCorpus()[0]!.region_id, title: sampleCorpus()[0]!.title,
      text: sampleCorpus()[0]!.text, updatedAt: sampleCorpus()[0]!.updated_at, deleted: false,
    });
    expect((await everything(source())).map((d) => d.id)).toEqual(sampleCorpus().slice(0, 30).map((d) => d.id));
    const since = sampleCorpus()[24]!.updated_at;
    expect((await everything(source(), { since })).map((d) => d.id)).toEqual(sampleCorpus().slice(25, 30).map((d) => d.id));
  });

  it("reads one document, a tombstone, or null for one never seen", async () => {
    const id = sampleCorpus()[3]!.id;
    expect(await source().get(id)).toMatchObject({ id, deleted: false });
    ingest.remove(id);
    expect(await source().get(id)).toMatchObject({ id, deleted: true, text: "" });
    expect(await source().get("no-such-id")).toBeNull();
  });

  it("fails for good on a refused key or a missing URL, and retryably when the API is down", async () => {
    await expect(new HttpDocumentSource({ url: ingest.url, apiKey: "wrong", timeoutMs: 5000 }).changes({ limit: 1 })).rejects.toMatchObject({ name: "NonRetryableError", message: expect.stringContaining("401") });
    await expect(new HttpDocumentSource({ url: undefined, timeoutMs: 5000 }).changes({ limit: 1 })).rejects.toMatchObject({ name: "NonRetryableError", message: expect.stringContaining("INGEST_URL") });
    const down = new HttpDocumentSource({ url: "http://127.0.0.1:9", timeoutMs: 2000 });
    await expect(down.changes({ limit: 1 })).rejects.toMatchObject({ name: "Error", message: expect.stringContaining("unreachable") });
  });
});

describe("JsonLinesDocumentSource", () => {
  it("reads documents from JSON-lines files in path order, across files, with since and region filters", async () => {
    const blobs = new GcsBlobStore({ bucket: "docs-test", project: "local", endpoint: gcs.url });
    const prefix = `export-${Date.now()}/`;
    const corpus = sampleCorpus().slice(0, 20);
    const lines = (docs: object[]) => Buffer.from(docs.map((d) => JSON.stringify(d)).join("\n") + "\n");
    await blobs.put(`${prefix}2025-01-01.jsonl`, lines(corpus.slice(0, 12)), { contentType: "application/x-ndjson" });
    await blobs.put(`${prefix}2025-01-02.jsonl`, lines([...corpus.slice(12), { ...corpus[0]!, updated_at: "2025-06-01T00:00:00.000Z", deleted: true }]), { contentType: "application/x-ndjson" });
    await blobs.put(`${prefix}notes.txt`, Buffer.from("not documents"), { contentType: "text/plain" });
    const source = new JsonLinesDocumentSource(blobs, prefix);

    const all = await everything(source, {}, 5);
    expect(all.map((d) => d.id)).toEqual([...corpus.map((d) => d.id), corpus[0]!.id]);
    expect(all.at(-1)).toMatchObject({ id: corpus[0]!.id, deleted: true });
    const since = await everything(source, { since: corpus[15]!.updated_at });
    expect(since.map((d) => d.id)).toEqual([...corpus.slice(16).map((d) => d.id), corpus[0]!.id]);
    const region = await everything(source, { regionId: corpus[0]!.region_id });
    expect(region.every((d) => d.regionId === corpus[0]!.region_id)).toBe(true);
    // The latest line about a document wins.
    expect(await source.get(corpus[0]!.id)).toMatchObject({ deleted: true });
    expect(await source.get(corpus[5]!.id)).toMatchObject({ id: corpus[5]!.id, deleted: false });
    expect(await source.get("absent")).toBeNull();

    await blobs.put(`${prefix}2025-01-03.jsonl`, Buffer.from('{"id": "x"}\n'), { contentType: "application/x-ndjson" });
    await expect(everything(source)).rejects.toMatchObject({ name: "NonRetryableError", message: expect.stringContaining("2025-01-03.jsonl line 1") });
  });
});
