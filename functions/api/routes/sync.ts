// The sync domain's endpoints (the RAG core's /api/v1/sync/... under /v1):
// trigger a full sync, delete a document's vectors, queue a document for the
// next sync.process_queue, and search the synced vectors to see it worked.
import { z } from "zod";
import { ApiError, jsonBody, sendJson } from "../../http/json.ts";
import { taskLinks } from "../present.ts";
import { callerOf, parseOrThrow } from "./tasks.ts";
import { isRetryAfter } from "../../core/errors.ts";
import { usePorts } from "../../core/port.ts";
import { batchSize, collectionName, documentId, queueDocument, searchDocuments, syncServiceUses } from "../../tasks/sync/index.ts";
import type { ApiDeps } from "../deps.ts";
import type { Route, RouteContext } from "../router.ts";
import { documentQueued, searchResults, taskAccepted } from "../answers.ts";

const fullSyncBody = z.strictObject({ batch_size: batchSize.optional(), collection: collectionName.optional() }).optional();
const collectionQuery = z.strictObject({ collection: collectionName.optional() });
const searchQuery = z.strictObject({
  q: z.string({ error: "q is required" }).trim().min(1, "q must not be empty").max(2000),
  region_id: z.string().min(1).max(200).optional(),
  limit: z.coerce.number({ error: "limit must be a number" }).int().min(1).max(100).default(10),
  collection: collectionName.optional(),
});

export function syncRoutes(deps: ApiDeps): Route[] {
  const ports = usePorts(syncServiceUses, deps.ports);
  const submitted = async (ctx: RouteContext, type: string, payload: Record<string, unknown>) => {
    const task = await deps.submit({ type, payload, tenant: callerOf(ctx).tenant });
    return { task_id: task.taskId, status: task.status, ...taskLinks(deps.publicBaseUrl, task.taskId) };
  };
  return [
    {
      method: "POST", path: "/v1/sync/trigger-full-sync", scope: "submit", summary: "Start a full sync into Qdrant (sync.full)", operationId: "triggerFullSync",
      doc: { body: fullSyncBody, responses: { 202: taskAccepted } },
      async handle(ctx) {
        const body = parseOrThrow(fullSyncBody, jsonBody(ctx.req)) ?? {};
        sendJson(ctx.res, 202, await submitted(ctx, "sync.full", body));
      },
    },
    {
      method: "DELETE", path: "/v1/sync/document/{document_id}", scope: "submit", summary: "Delete a document's vectors (sync.delete_document)", operationId: "deleteSyncedDocument",
      doc: { params: z.object({ document_id: documentId }), query: collectionQuery, responses: { 202: taskAccepted } },
      async handle(ctx) {
        const { res, params, query } = ctx;
        const id = parseOrThrow(documentId, params.document_id, "document_id");
        const { collection } = parseOrThrow(collectionQuery, Object.fromEntries(query));
        sendJson(res, 202, await submitted(ctx, "sync.delete_document", { document_id: id, ...(collection ? { collection } : {}) }));
      },
    },
    {
      method: "POST", path: "/v1/sync/documents/{document_id}", scope: "submit", summary: "Queue a document for the next sync.process_queue", operationId: "queueSyncDocument",
      doc: { params: z.object({ document_id: documentId }), query: collectionQuery, responses: { 202: documentQueued } },
      async handle({ res, params, query }) {
        const id = parseOrThrow(documentId, params.document_id, "document_id");
        const { collection } = parseOrThrow(collectionQuery, Object.fromEntries(query));
        const queued = await queueDocument(ports, id, collection);
        sendJson(res, 202, { queued: true, document_id: id, collection: queued.collection, already_queued: queued.alreadyQueued });
      },
    },
    {
      method: "GET", path: "/v1/search", scope: "read", summary: "Nearest synced chunks to a query (?q=&region_id=&limit=)", operationId: "searchDocuments",
      doc: { query: searchQuery, responses: { 200: searchResults } },
      async handle({ res, query }) {
        const q = parseOrThrow(searchQuery, Object.fromEntries(query));
        const { collection, matches } = await unavailableOnFailure(() =>
          searchDocuments(ports, { text: q.q, limit: q.limit, ...(q.region_id ? { regionId: q.region_id } : {}), ...(q.collection ? { collection: q.collection } : {}) }));
        sendJson(res, 200, {
          query: q.q,
          collection,
          results: matches.map((m) => ({
            document_id: m.payload.document_id ?? null,
            region_id: m.payload.region_id ?? null,
            title: m.payload.title ?? null,
            text: m.payload.text ?? null,
            chunk_index: m.payload.chunk_index ?? null,
            score: m.score,
          })),
        });
      },
    },
  ];
}

/** The embedder or Qdrant failing (down, refusing, misconfigured) is a 503 that names it, not a 500. */
async function unavailableOnFailure<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ApiError || (error as Error).name === "DependencyError") throw error;
    const headers: Record<string, string> = isRetryAfter(error) ? { "Retry-After": String(Math.max(1, Math.ceil(error.retryAfterSeconds))) } : {};
    throw new ApiError(503, "unavailable", `search is unavailable: ${(error as Error).message}`, undefined, headers);
  }
}
