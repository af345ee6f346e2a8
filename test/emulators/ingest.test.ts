// Conformance of the ingest API stand-in: paging by keyset cursor, `since`,
// tombstones, region filter, the control surface and its request counts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIngestEmulator, sampleCorpus, syntheticCorpus, type IngestEmulator } from "../../emulators/ingest/index.ts";

interface Page { documents: { id: string; region_id: string; title: string; text: string; updated_at: string; deleted?: boolean }[]; next_cursor: string | null; total: number }

let ingest: IngestEmulator;
const get = async (path: string, headers: Record<string, string> = {}) => {
  const answer = await fetch(`${ingest.url}${path}`, { headers });
  return { status: answer.status, body: (await answer.json()) as Page & { error?: string } };
};
const allPages = async (query: string) => {
  const seen: Page["documents"] = [];
  let cursor: string | null = null;
  do {
    const { body } = await get(`/documents?${query}${cursor ? `&cursor=${cursor}` : ""}`);
    seen.push(...body.documents);
    cursor = body.next_cursor;
  } while (cursor);
  return seen;
};

beforeAll(async () => {
  ingest = await startIngestEmulator();
});
afterAll(async () => ingest?.close());

describe("the sample corpus", () => {
  it("is a few hundred documents in Vietnamese, English, Persian and Chinese, the same on every start", () => {
    const corpus = sampleCorpus();
    expect(corpus.length).toBeGreaterThan(300);
    expect(new Set(corpus.map((d) => d.id)).size).toBe(corpus.length);
    expect(corpus).toEqual(sampleCorpus());
    const text = corpus.map((d) => d.text).join(" ");
    expect(text).toMatch(/Vịnh Hạ Long/);
    expect(text).toMatch(/Ha Long Bay/);
    expect(text).toMatch(/[\u0600-\u06FF]/);
    expect(text).toMatch(/[\u4E00-\u9FFF]/);
    expect(new Set(corpus.map((d) => d.region_id)).size).toBeGreaterThan(15);
    expect(syntheticCorpus(1000).map((d) => d.id)).toHaveLength(new Set(syntheticCorpus(1000).map((d) => d.id)).size);
  });
});

describe("GET /documents", () => {
  it("pages through every document once, oldest change first, with a total", async () => {
    const first = await get("/documents?limit=50");
    expect(first.status).toBe(200);
    expect(first.body.documents).toHaveLength(50);
    expect(first.body.total).toBe(sampleCorpus().length);
    const all = await allPages("limit=50");
    expect(all.map((d) => d.id).sort()).toEqual(sampleCorpus().map((d) => d.id).sort());
    const times = all.map((d) => Date.parse(d.updated_at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("serves only changes after `since`, and a region's documents with region_id", async () => {
    const corpus = sampleCorpus();
    const since = corpus[corpus.length - 6]!.updated_at;
    const { body } = await get(`/documents?since=${encodeURIComponent(since)}`);
    expect(body.documents.map((d) => d.id)).toEqual(corpus.slice(-5).map((d) => d.id));
    const region = await allPages("region_id=hai-phong&limit=7");
    expect(region.length).toBe(corpus.filter((d) => d.region_id === "hai-phong").length);
    expect(new Set(region.map((d) => d.region_id))).toEqual(new Set(["hai-phong"]));
  });

  it("still meets a document changed while a client pages (keyset cursor), and tombstones deletions", async () => {
    const { body: page } = await get("/documents?limit=10");
    const early = page.documents[2]!.id;
    const changed = await fetch(`${ingest.url}/__control/documents/${early}`, { method: "PUT", body: JSON.stringify({ text: "changed meanwhile" }) });
    expect(changed.status).toBe(200);
    const rest: Page["documents"] = [];
    let cursor = page.next_cursor;
    while (cursor) {
      const { body } = await get(`/documents?limit=100&cursor=${cursor}`);
      rest.push(...body.documents);
      cursor = body.next_cursor;
    }
    expect(rest.at(-1)).toMatchObject({ id: early, text: "changed meanwhile" });

    const removed = await fetch(`${ingest.url}/__control/documents/${early}`, { method: "DELETE" });
    expect(await removed.json()).toMatchObject({ id: early, deleted: true, text: "" });
    expect((await get(`/documents/${early}`)).body).toMatchObject({ id: early, deleted: true });
    expect((await get("/documents/never-was")).status).toBe(404);
  });

  it("creates documents through the control surface, and counts requests", async () => {
    ingest.resetCounters();
    const created = await fetch(`${ingest.url}/__control/documents/new-doc`, { method: "PUT", body: JSON.stringify({ region_id: "ha-noi", text: "new" }) });
    expect(created.status).toBe(200);
    const incomplete = await fetch(`${ingest.url}/__control/documents/other-new`, { method: "PUT", body: JSON.stringify({ text: "no region" }) });
    expect(incomplete.status).toBe(400);
    await get("/documents?limit=1");
    await get("/documents/new-doc");
    const stats = (await (await fetch(`${ingest.url}/__control/stats`)).json()) as { requests: { list: number; get: number }; documents: number; tombstones: number };
    expect(stats.requests).toEqual({ list: 1, get: 1 });
    expect(stats.documents + stats.tombstones).toBe(sampleCorpus().length + 1);
  });

  it("answers 400 to a bad limit, since or cursor", async () => {
    for (const query of ["limit=0", "limit=1001", "limit=x", "since=yesterday", "cursor=nonsense"]) {
      const { status, body } = await get(`/documents?${query}`);
      expect(status).toBe(400);
      expect(body.error).toBeTruthy();
    }
  });

  it("requires its API key when started with one", async () => {
    const guarded = await startIngestEmulator({ apiKey: "secret-key", documents: sampleCorpus().slice(0, 3) });
    try {
      expect((await fetch(`${guarded.url}/documents`)).status).toBe(401);
      const ok = await fetch(`${guarded.url}/documents`, { headers: { "X-API-Key": "secret-key" } });
      expect(((await ok.json()) as Page).documents).toHaveLength(3);
    } finally {
      await guarded.close();
    }
  });
});
