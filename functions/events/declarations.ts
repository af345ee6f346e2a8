// Domain events and what each one starts ("after each query" hooks of the RAG core).
import { z } from "zod";
import { defineEvent, defineSubscription } from "../core/define-event.ts";

export const queryCompleted = defineEvent({
  name: "query.completed",
  description: "A RAG query was answered",
  schema: z.strictObject({
    user_id: z.string().min(1).max(200),
    conversation_id: z.string().min(1).max(200),
    message_id: z.string().min(1).max(200),
    query: z.string().min(1).max(20_000),
    answer: z.string().max(100_000),
    sources: z.array(z.union([z.string(), z.record(z.string(), z.unknown())])).max(200).default([]),
    tokens_used: z.number().int().min(0),
    processing_time_ms: z.number().min(0),
  }),
});

export const documentChanged = defineEvent({
  name: "document.changed",
  description: "The ingest system changed or deleted a document: it joins the set sync.process_queue drains",
  schema: z.strictObject({
    document_id: z.string().min(1).max(256),
    /** Qdrant collection; default QDRANT_COLLECTION. */
    collection: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/).optional(),
  }),
});

export const events = [queryCompleted, documentChanged];

export const subscriptions = [
  defineSubscription(queryCompleted, { name: "notify-query-result", task: "notify.query_result", toPayload: (e) => e }),
  defineSubscription(queryCompleted, {
    name: "update-user-statistics",
    task: "user.update_statistics",
    toPayload: (e) => ({ user_id: e.user_id, tokens_used: e.tokens_used, processing_time_ms: e.processing_time_ms, queries: 1 }),
  }),
  defineSubscription(documentChanged, { name: "queue-document-sync", task: "sync.queue_document", toPayload: (e) => e }),
];

/** Topics the platform itself publishes to. */
export const lifecycleTopics = {
  /** task.succeeded / task.failed / task.revoked for every task that ends. */
  lifecycle: "task-lifecycle",
  /** Tasks that failed for good. */
  deadLetter: "task-dead-letter",
  /** Event deliveries the events function could not process after all attempts. */
  eventsDeadLetter: "events-dead-letter",
};
