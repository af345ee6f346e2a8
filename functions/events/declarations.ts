// Domain events and what each one starts ("after each query" hooks of the RAG core).
import { z } from "zod";
import { defineEvent, defineSubscription } from "../core/define-event.ts";
import { notifyQueryResult } from "../tasks/notifications/query-result.ts";

const queryCompleted = defineEvent({
  name: "query.completed",
  description: "A RAG query was answered",
  // The event carries exactly what the notification sends on: one schema for both.
  schema: notifyQueryResult.input,
});

const documentChanged = defineEvent({
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
