// The sync domain end to end, through the API like a user: the ingest stand-in
// is the source, the Qdrant stand-in the store, the hashing embedder the model.
// Each test writes to a collection of its own.
import { describe, expect, inject, it } from "vitest";
import { apiClient } from "../helpers/api-client.ts";
import { eventually } from "../helpers/eventually.ts";
import { READ_ONLY_KEY } from "./global-setup.ts";

const stack = inject("stack");
const api = apiClient(stack.apiUrl, stack.apiKey);
const run = Date.now().toString(36);
const collection = (name: string) => `it_${run}_${name}`;

interface SyncResult {
  collection: string;
  documents_synced: number;
  chunks_upserted: number;
  deleted: number;
  documents_total: number | null;
  batches: number;
  since: string | null;
  watermark: string | null;
  complete: boolean;
  continued_in: string | null;
  resumed_from_checkpoint: boolean;
  resumed_at_documents: number | null;
}
interface Hit { document_id: string; region_id: string; title: string; text: string; score: number }

async function resultOf<T = SyncResult>(taskId: string, timeoutMs = 30_000): Promise<T> {
  await api.waitFor(taskId, "SUCCESS", timeoutMs);
  const answer = await api.call<{ result: T }>("GET", `/v1/tasks/${taskId}/result`);
  return answer.body.result;
}

async function syncTask(type: string, payload: Record<string, unknown>): Promise<SyncResult> {
  const submitted = await api.submit(type, payload);
  expect(submitted.status).toBe(202);
  return resultOf(submitted.body.task_id);
}

async function search(params: Record<string, string>): Promise<Hit[]> {
  const answer = await api.call<{ results: Hit[] }>("GET", `/v1/search?${new URLSearchParams(params)}`);
  expect(answer.status).toBe(200);
  return answer.body.results;
}

/** Documents (tombstones included) the source serves now. */
async function sourceSize(): Promise<number> {
  const stats = (await (await fetch(`${stack.ingestUrl}/__control/stats`)).json()) as { documents: number; tombstones: number };
  return stats.documents + stats.tombstones;
}

async function changeAtSource(id: string, change: Record<string, string>) {
  const answer = await fetch(`${stack.ingestUrl}/__control/documents/${encodeURIComponent(id)}`, { method: "PUT", body: JSON.stringify(change) });
  expect(answer.status).toBe(200);
}

async function pointsOf(name: string, documentId?: string): Promise<number> {
  const filter = documentId ? { must: [{ key: "document_id", match: { value: documentId } }] } : undefined;
  const answer = await fetch(`${stack.qdrantUrl}/collections/${name}/points/count`, {
    method: "POST", headers: { "Content-Type": "application/json", "api-key": stack.qdrantApiKey }, body: JSON.stringify({ exact: true, ...(filter ? { filter } : {}) }),
  });
  return ((await answer.json()) as { result: { count: number } }).result.count;
}

describe("full sync and search", () => {
  const c = collection("full");

  it("POST /v1/sync/trigger-full-sync runs to SUCCESS with progress moving, and /v1/search finds the documents", async () => {
    const total = await sourceSize();
    const triggered = await api.call<{ task_id: string; status: string; poll_url: string }>("POST", "/v1/sync/trigger-full-sync", { collection: c, batch_size: 10 });
    expect(triggered.status).toBe(202);
    expect(triggered.body).toMatchObject({ status: "PENDING", poll_url: `${stack.apiUrl}/v1/tasks/${triggered.body.task_id}` });

    const samples: { status: string; progress: number; message: string }[] = [];
    await eventually(async () => {
      const s = await api.call<{ status: string; progress: number; message: string }>("GET", `/v1/tasks/${triggered.body.task_id}`);
      samples.push(s.body);
      expect(s.body.status).toBe("SUCCESS");
    }, { timeoutMs: 45_000, intervalMs: 20 });
    const midway = samples.filter((s) => s.status === "STARTED" && s.progress > 0 && s.progress < 100);
    expect(midway.length).toBeGreaterThan(0);
    expect(midway[0]!.message).toMatch(new RegExp(`^\\d+/${total} documents$`));

    const result = await resultOf(triggered.body.task_id);
    expect(result).toMatchObject({ collection: c, documents_synced: total, documents_total: total, complete: true, resumed_from_checkpoint: false });
    expect(result.batches).toBe(Math.ceil(total / 10));
    expect(await pointsOf(c)).toBe(result.chunks_upserted);

    const halong = await search({ q: "Vịnh Hạ Long", collection: c, limit: "5" });
    expect(halong).toHaveLength(5);
    expect(halong[0]).toMatchObject({ region_id: "quang-ninh" });
    expect(halong[0]!.title).toContain("Hạ Long");
    expect(halong[0]!.score).toBeGreaterThan(halong[4]!.score);
    expect((await search({ q: "Ha Long Bay", collection: c, limit: "1" }))[0]).toMatchObject({ document_id: "quang-ninh-sight-1-en" });
    expect((await search({ q: "下龙湾", collection: c, limit: "1" }))[0]).toMatchObject({ document_id: "quang-ninh-overview-zh" });
    expect((await search({ q: "خلیج هالونگ", collection: c, limit: "1" }))[0]).toMatchObject({ document_id: "quang-ninh-overview-fa" });
    const inHue = await search({ q: "bún bò", region_id: "thua-thien-hue", collection: c, limit: "10" });
    expect(inHue).toHaveLength(10);
    expect(new Set(inHue.map((h) => h.region_id))).toEqual(new Set(["thua-thien-hue"]));
  }, 60_000);

  it("DELETE /v1/sync/document/{id} removes a document's vectors from search", async () => {
    const id = "ha-giang-sight-2-vi";
    expect((await search({ q: "Đèo Mã Pí Lèng", collection: c, limit: "3" }))[0]?.document_id).toBe(id);
    const deleted = await api.call<{ task_id: string; status: string; poll_url: string }>("DELETE", `/v1/sync/document/${id}?collection=${c}`);
    expect(deleted.status).toBe(202);
    expect(deleted.body.poll_url).toContain(deleted.body.task_id);
    expect(await resultOf(deleted.body.task_id)).toEqual({ document_id: id, collection: c, deleted: true });
    const after = await search({ q: "Đèo Mã Pí Lèng", collection: c, limit: "10" });
    expect(after.map((h) => h.document_id)).not.toContain(id);
    expect(after.length).toBeGreaterThan(0);
    expect(await pointsOf(c, id)).toBe(0);
  });

  it("answers 400 naming the field for a bad search, and 403 to a read-only key that triggers a sync", async () => {
    const missing = await api.call<{ error: { code: string; message: string } }>("GET", "/v1/search?limit=3");
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/^q: /);
    for (const limit of ["0", "101", "abc", "2.5"]) {
      const bad = await api.call<{ error: { details: { fields: { path: string }[] } } }>("GET", `/v1/search?q=hanoi&limit=${limit}`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.fields[0]!.path).toBe("limit");
    }
    const badCollection = await api.call("GET", "/v1/search?q=hanoi&collection=../x");
    expect(badCollection.status).toBe(400);
    const reader = apiClient(stack.apiUrl, READ_ONLY_KEY);
    expect((await reader.call("GET", `/v1/search?q=hanoi&collection=${c}`)).status).toBe(200);
    expect((await reader.call("POST", "/v1/sync/trigger-full-sync", {})).status).toBe(403);
    expect((await reader.call("POST", "/v1/sync/documents/x")).status).toBe(403);
    const badBatch = await api.call<{ error: { details: { fields: { path: string }[] } } }>("POST", "/v1/sync/trigger-full-sync", { batch_size: 5000 });
    expect(badBatch.status).toBe(400);
    expect(badBatch.body.error.details.fields[0]!.path).toBe("batch_size");
  });
});

describe("incremental sync", () => {
  it("re-embeds only the document changed at the source, drops stale chunks when it shrinks, and deletes it on a tombstone", async () => {
    const c = collection("incremental");
    const full = await syncTask("sync.full", { collection: c });
    expect(full.watermark).not.toBeNull();
    const id = "da-nang-food-en";

    await changeAtSource(id, { text: "Da Nang street food now includes the famous zebracake pastry." });
    const changed = await syncTask("sync.embeddings", { collection: c });
    expect(changed).toMatchObject({ documents_synced: 1, chunks_upserted: 1, deleted: 0, since: full.watermark });
    expect(changed.watermark! > full.watermark!).toBe(true);
    expect((await search({ q: "zebracake pastry", collection: c, limit: "1" }))[0]).toMatchObject({ document_id: id, region_id: "da-nang" });

    const paragraph = "Da Nang has many markets where the zebracake is sold along with noodles, grilled pork and fresh seafood from the coast.";
    await changeAtSource(id, { text: Array.from({ length: 12 }, () => paragraph).join("\n\n") });
    const grown = await syncTask("sync.embeddings", { collection: c });
    expect(grown.documents_synced).toBe(1);
    expect(grown.chunks_upserted).toBeGreaterThan(1);
    expect(await pointsOf(c, id)).toBe(grown.chunks_upserted);

    await changeAtSource(id, { text: "Short again." });
    expect(await syncTask("sync.embeddings", { collection: c })).toMatchObject({ documents_synced: 1, chunks_upserted: 1 });
    expect(await pointsOf(c, id)).toBe(1);

    const removed = await fetch(`${stack.ingestUrl}/__control/documents/${id}`, { method: "DELETE" });
    expect(removed.status).toBe(200);
    expect(await syncTask("sync.embeddings", { collection: c })).toMatchObject({ documents_synced: 1, chunks_upserted: 0, deleted: 1 });
    expect(await pointsOf(c, id)).toBe(0);
    expect(await syncTask("sync.embeddings", { collection: c })).toMatchObject({ documents_synced: 0 });
  }, 60_000);
});

describe("resumable full sync", () => {
  it("resumes from its checkpoint when an attempt dies half way, and counts every document once", async () => {
    const c = collection("resume");
    const total = await sourceSize();
    const { body } = await api.submit("sync.full", { collection: c, batch_size: 50, stop_after_batches: 2 });
    const done = await api.waitFor(body.task_id, "SUCCESS", 45_000);
    expect(done.attempts).toBe(2);
    expect(done.seen).toContain("RETRY");
    const result = await resultOf(body.task_id);
    expect(result).toMatchObject({ resumed_from_checkpoint: true, resumed_at_documents: 100, documents_synced: total, documents_total: total, complete: true });
    expect(result.batches).toBe(Math.ceil(total / 50));
    // Nothing written twice or missed: every chunk upserted once is one point.
    expect(await pointsOf(c)).toBe(result.chunks_upserted);
  }, 60_000);

  it("continues itself in a new task, with the same checkpoint, when its time budget runs out", async () => {
    const c = collection("chain");
    const total = await sourceSize();
    const first = await syncTask("sync.full", { collection: c, batch_size: 150, time_budget_seconds: 0 });
    expect(first).toMatchObject({ complete: false, documents_synced: 150 });
    const chain = [first];
    while (!chain.at(-1)!.complete) chain.push(await resultOf(chain.at(-1)!.continued_in!));
    expect(chain).toHaveLength(Math.ceil(total / 150));
    expect(chain.at(-1)).toMatchObject({ complete: true, resumed_from_checkpoint: true, documents_synced: total, continued_in: null });
  }, 60_000);
});

describe("failures and the sync queue", () => {
  it("fails at once, not retryable, when the collection's vector size differs from the embedder's", async () => {
    const c = collection("mismatch");
    const created = await fetch(`${stack.qdrantUrl}/collections/${c}`, {
      method: "PUT", headers: { "Content-Type": "application/json", "api-key": stack.qdrantApiKey }, body: JSON.stringify({ vectors: { size: 8, distance: "Cosine" } }),
    });
    expect(created.status).toBe(200);
    const { body } = await api.submit("sync.full", { collection: c });
    const failed = await api.waitFor(body.task_id, "FAILURE");
    expect(failed.attempts).toBe(1);
    expect(failed.error).toEqual({ type: "NonRetryableError", message: `collection ${c} has vectors of size 8, the embedder makes 384` });
  });

  it("queues a document twice with POST /v1/sync/documents/{id}, and sync.process_queue syncs it once", async () => {
    const c = collection("queue");
    const id = "thua-thien-hue-food-vi";
    const first = await api.call("POST", `/v1/sync/documents/${id}?collection=${c}`);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ queued: true, document_id: id, already_queued: false });
    const second = await api.call("POST", `/v1/sync/documents/${id}?collection=${c}`);
    expect(second.body).toMatchObject({ queued: true, document_id: id, already_queued: true });
    const result = await syncTask("sync.process_queue", { collection: c });
    expect(result).toEqual({ collection: c, drained: 1, documents_synced: 1, chunks_upserted: 1, deleted: 0, remaining: 0 });
    expect(await pointsOf(c)).toBe(1);
    expect((await search({ q: "bún bò Huế", collection: c, limit: "5" })).map((h) => h.document_id)).toEqual([id]);
    expect(await syncTask("sync.process_queue", { collection: c })).toMatchObject({ drained: 0 });
  });

  it("queues a document from a document.changed event, for sync.process_queue", async () => {
    const c = collection("event");
    const published = await api.call("POST", "/v1/events/document.changed", { document_id: "hai-phong-food-en", collection: c });
    expect(published.status).toBe(202);
    await eventually(async () => {
      const listed = await api.call<{ tasks: { task_id: string; status: string }[] }>("GET", "/v1/tasks?type=sync.queue_document&status=SUCCESS&limit=100");
      const results = await Promise.all(listed.body.tasks.map((t) => api.call<{ result: { document_id: string } }>("GET", `/v1/tasks/${t.task_id}/result`)));
      expect(results.map((r) => r.body.result.document_id)).toContain("hai-phong-food-en");
    }, { timeoutMs: 20_000, intervalMs: 200 });
    expect(await syncTask("sync.process_queue", { collection: c })).toMatchObject({ drained: 1, documents_synced: 1 });
    expect((await search({ q: "crab noodle soup", collection: c, limit: "1" }))[0]).toMatchObject({ document_id: "hai-phong-food-en" });
  });

  it("re-indexes one region with sync.region", async () => {
    const c = collection("region");
    const result = await syncTask("sync.region", { region_id: "can-tho", collection: c });
    expect(result).toMatchObject({ region_id: "can-tho", complete: true, documents_total: 18, documents_synced: 18 });
    const hits = await search({ q: "Chợ nổi Cái Răng", collection: c, limit: "50" });
    expect(hits).toHaveLength(result.chunks_upserted);
    expect(new Set(hits.map((h) => h.document_id)).size).toBe(18);
    expect(new Set(hits.map((h) => h.region_id))).toEqual(new Set(["can-tho"]));
  });
});
