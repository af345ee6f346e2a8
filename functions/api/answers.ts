// The shapes of the API's successful answers, as zod schemas: OpenAPI renders
// them, the presenters are typed by them, and the typed client (client/) takes
// its response types from them through type-only imports.
import { z } from "zod";
import { TaskStatus } from "../core/states.ts";
import { Priority } from "../core/queues.ts";
import { GroupState } from "../core/groups.ts";

const isoTime = z.iso.datetime({ offset: true });

/** Marks a field that holds a task's output: OpenAPI renders it as any of the task types' output schemas. */
export const TASK_OUTPUT = "x-task-output";

export const errorEnvelope = z.object({
  error: z.object({
    code: z.string().describe("stable, machine-readable: validation_failed, not_found, conflict, rate_limited, unavailable, …"),
    message: z.string().describe("for people: names the problem"),
    details: z.record(z.string(), z.unknown()).optional().describe("e.g. fields: [{path, message}] on validation_failed"),
  }),
});

export const taskError = z.object({ type: z.string().describe("the error's name: NonRetryableError, TimeLimitExceeded, …"), message: z.string() });

export const taskView = z.object({
  task_id: z.string(),
  tenant: z.string().describe("whose task: the submitting key's tenant, or _system for the platform's own"),
  type: z.string(),
  queue: z.string(),
  priority: z.enum(Priority),
  status: z.enum(TaskStatus),
  progress: z.number().min(0).max(100),
  message: z.string(),
  attempts: z.number().int(),
  max_attempts: z.number().int(),
  created_at: isoTime.nullable(),
  eta: isoTime.nullable(),
  started_at: isoTime.nullable(),
  finished_at: isoTime.nullable(),
  next_attempt_at: isoTime.nullable(),
  result_available: z.boolean(),
  error: taskError.nullable(),
  group_id: z.string().optional(),
});
export type TaskView = z.infer<typeof taskView>;

export const taskAccepted = z.object({
  task_id: z.string(),
  status: z.enum(TaskStatus),
  poll_url: z.url(),
  result_url: z.url(),
});
export type TaskAccepted = z.infer<typeof taskAccepted>;

export const taskList = z.object({ tasks: z.array(taskView), next_cursor: z.string().nullable() });
export type TaskList = z.infer<typeof taskList>;

export const taskResult = z.object({
  task_id: z.string(),
  status: z.literal("SUCCESS"),
  result: z.unknown().meta({ [TASK_OUTPUT]: true }).describe("the task type's output"),
});

export const taskCancelled = z.object({
  task_id: z.string(),
  status: z.enum(["REVOKED", "STARTED"]),
  cloud_task_deleted: z.boolean().optional().describe("REVOKED: whether the queued Cloud Task was deleted"),
  revoke: z.literal("requested").optional().describe("STARTED: the running handler's signal aborts; the task ends REVOKED"),
  message: z.string().optional(),
});
export type TaskCancelled = z.infer<typeof taskCancelled>;

const queueView = z.object({
  name: z.string(),
  description: z.string(),
  state: z.string().describe("RUNNING, PAUSED, DISABLED or UNKNOWN (Cloud Tasks unreachable)"),
  priority_queue: z.string().nullable(),
  worker: z.string(),
  rate_limits: z.object({ max_dispatches_per_second: z.number(), max_concurrent_dispatches: z.number() }),
  retry: z.object({ max_attempts: z.number(), min_backoff_seconds: z.number(), max_backoff_seconds: z.number() }),
  tasks: z.record(z.string(), z.string()).describe("task type → description"),
  counts: z.object({
    PENDING: z.number().int(), SCHEDULED: z.number().int(), STARTED: z.number().int(), RETRY: z.number().int(),
    totals: z.object({ SUCCESS: z.number().int(), FAILURE: z.number().int(), REVOKED: z.number().int(), RETRY: z.number().int() }).describe("cumulative outcomes"),
  }).describe("live tasks among the queue's recent ones, by state"),
  finished_last_minute: z.number(),
  latency: z.object({ mean_wait_seconds: z.number().nullable(), mean_run_seconds: z.number().nullable() }),
  sampled_tasks: z.number(),
});
export type QueueView = z.infer<typeof queueView>;
export const queueList = z.object({ queues: z.array(queueView) });
export const queueState = z.object({ name: z.string(), state: z.enum(["PAUSED", "RUNNING"]) });

export const workerList = z.object({
  workers: z.array(z.object({ instance: z.string(), revision: z.string(), last_seen: isoTime.nullable(), started_at: isoTime.nullable(), running: z.array(z.string()).describe("task ids it runs") })),
  total_workers: z.number().int(),
});

export const scheduleView = z.object({
  name: z.string(),
  origin: z.enum(["code", "api"]),
  cron: z.string(),
  time_zone: z.string(),
  task: z.string(),
  payload: z.record(z.string(), z.unknown()),
  description: z.string(),
  state: z.enum(["ENABLED", "PAUSED", "UNKNOWN", "NOT_APPLIED"]),
  next_run: isoTime.nullable(),
  last_attempt_time: isoTime.nullable(),
  last_status: z.string().nullable().describe('"OK", or "error <code>: <message>"'),
  last_task_id: z.string().nullable(),
});
export type ScheduleView = z.infer<typeof scheduleView>;
export const scheduleList = z.object({ schedules: z.array(scheduleView) });
export const scheduleDeleted = z.object({ name: z.string(), deleted: z.literal(true) });
export const scheduleTriggered = z.object({ schedule: z.string(), slot: z.string(), task_id: z.string(), status: z.enum(TaskStatus), duplicate: z.boolean() });
export type ScheduleTriggered = z.infer<typeof scheduleTriggered>;

export const groupAccepted = z.object({
  group_id: z.string(),
  kind: z.enum(["group", "chain", "chord"]),
  total: z.number().int(),
  submitted: z.number().int(),
  submit_errors: z.number().int(),
  poll_url: z.url(),
});
export type GroupAccepted = z.infer<typeof groupAccepted>;

const groupMember = taskView.partial().extend({
  index: z.number().int(),
  task_id: z.string(),
  status: z.union([z.enum(TaskStatus), z.literal("EXPIRED")]),
  result: z.unknown().meta({ [TASK_OUTPUT]: true }).optional(),
});
export const groupView = z.object({
  group_id: z.string(),
  kind: z.enum(["group", "chain", "chord"]),
  state: z.enum(GroupState),
  done: z.number().int(),
  total: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  revoked: z.number().int(),
  submitted: z.number().int(),
  submit_errors: z.number().int(),
  error: z.string().nullable().describe("why the chain or chord stopped"),
  created_at: isoTime.nullable(),
  callback: taskView.nullable(),
  members: z.array(groupMember),
  next_offset: z.number().int().nullable(),
});
export type GroupView = z.infer<typeof groupView>;
export const groupCancelled = z.object({ group_id: z.string(), state: z.literal("REVOKED"), revoked: z.number().int(), signalled: z.number().int(), finished: z.number().int() });
export type GroupCancelled = z.infer<typeof groupCancelled>;

export const eventPublished = z.object({ event: z.string(), event_id: z.string(), message_id: z.string(), topic: z.string() });
export type EventPublished = z.infer<typeof eventPublished>;

export const health = z.object({ status: z.literal("ok") });
export const openApiJson = z.record(z.string(), z.unknown()).describe("this document");
export const dashboardHtml = z.string().describe("the dashboard page");

export const ttsStatus = z.object({
  task_id: z.string(),
  status: z.enum(TaskStatus),
  progress: z.number(),
  message: z.string(),
  result: z.unknown().optional(),
  error: taskError.nullable().optional(),
});
export const ttsAccepted = z.object({ task_id: z.string(), status: z.enum(TaskStatus), poll_url: z.url() });

export const documentQueued = z.object({ queued: z.literal(true), document_id: z.string(), collection: z.string(), already_queued: z.boolean() });
export const searchResults = z.object({
  query: z.string(),
  collection: z.string(),
  results: z.array(z.object({
    document_id: z.unknown(), region_id: z.unknown(), title: z.unknown(), text: z.unknown(), chunk_index: z.unknown(), score: z.number(),
  })),
});

export const signedUpload = z.object({
  upload_url: z.url(),
  method: z.literal("PUT"),
  headers: z.record(z.string(), z.string()),
  gs_uri: z.string(),
  expires_at: isoTime,
  max_bytes: z.number().int(),
});
export const callbackSecret = z.object({
  tenant: z.string(),
  secret: z.string().describe("whsec_…: verifies this tenant's callbacks (Standard Webhooks)"),
  scheme: z.literal("standard-webhooks"),
  headers: z.array(z.string()),
});
export const uploadStored = z.object({ gs_uri: z.string(), bytes: z.number().int(), content_type: z.string() });
