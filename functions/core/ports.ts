// The platform's own ports: the task store, the queue, the scheduler, the event
// bus, blobs, small data, the logger, and what its own tasks (platform.*,
// cleanup of its records) use. A domain's outside systems are declared beside
// its tasks (functions/tasks/<domain>/ports.ts). Adapters implement both; only
// functions/composition.ts picks which.
import type { TaskDetail, NewTask, TaskSummary, TaskError } from "./task-record.ts";
import type { TaskStatus } from "./states.ts";
import type { Priority } from "./queues.ts";
import { port } from "./port.ts";
import type { RateCharge } from "./rate-limit.ts";

export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
  /** Whether a line at this level is written (pino's); lets a lazy child skip building itself for a disabled level. */
  isLevelEnabled?(level: "debug" | "info" | "warn" | "error"): boolean;
}

/** reused: the idempotency key named a task made by a different request (409, not a replay). */
export type CreateOutcome = { created: true } | { created: false; existing: TaskSummary; reused: boolean };

/** An idempotency key: per tenant and scope (the route, or a platform follow-up kind). */
export interface IdempotencyKey {
  scope: string;
  key: string;
  /** Digest of the request that used the key first; another request with the same key is a conflict. Absent: any request replays. */
  fingerprint?: string;
}

export type ClaimOutcome =
  | {
    kind: "claimed"; attempt: number; revokeRequested: boolean; priority: Priority; callbackUrl?: string; group?: { id: string; index: number };
    /** What runs is what the record holds (type, payload as stored, tenant), never what the delivery said. */
    type: string; tenant: string; payload: string;
  }
  /** Delivered before its ETA: comes back then. */
  | { kind: "early"; eta: number }
  /** The Cloud Task that wrote RETRY, delivered again: make sure the next attempt's exists; run nothing. */
  | { kind: "retry"; cloudTask: string; nextAttemptAt: number; type: string; priority: Priority }
  /** No record: expired long ago, or never written. */
  | { kind: "missing" }
  /** Already SUCCESS/FAILURE/REVOKED: a duplicate delivery; `pending`: follow-ups not yet carried out. */
  | { kind: "final"; status: TaskStatus; pending: FollowUpKind[] }
  /** The delivery is for an older Cloud Task than the record's current one. */
  | { kind: "stale" }
  /** Another delivery holds the lease until `leaseUntil`. */
  | { kind: "busy"; leaseUntil: number };

export type Outcome =
  | { status: "SUCCESS"; result: string }
  | { status: "FAILURE"; error: TaskError }
  | { status: "REVOKED"; error: TaskError }
  | { status: "RETRY"; error: TaskError; nextAttemptAt: number; cloudTask: string };

/**
 * owned: false when fenced off; group: the member count after this one, for group members reaching a final state;
 * followUps: those recorded with the final state (the caller's and the group's), to carry out now.
 */
export interface FinishOutcome {
  owned: boolean;
  group?: { done: number; total: number };
  followUps: FollowUpKind[];
  finishedAt: number;
}

export type RevokeOutcome =
  | { kind: "revoked"; cloudTask: string; queue: string; priority: Priority }
  | { kind: "signalled" }
  | { kind: "running" }
  | { kind: "final"; status: TaskStatus }
  | { kind: "missing" };

export interface ListFilter {
  status?: TaskStatus;
  queue?: string;
  type?: string;
  /** Whose tasks: these tenants', or every tenant's ("*"). */
  tenants: readonly string[] | "*";
}

export interface WorkerHeartbeat {
  instance: string;
  lastSeen: number;
  startedAt: number;
  running: string[];
  revision: string;
}

export interface QueueCounts {
  /** Cumulative outcomes. */
  totals: Record<"SUCCESS" | "FAILURE" | "REVOKED" | "RETRY", number>;
  /** Live tasks among the queue's recent ones, by state. */
  live: Record<"PENDING" | "SCHEDULED" | "STARTED" | "RETRY", number>;
  /** Over the recent tasks sampled: mean seconds from created to started, and started to finished. */
  meanWaitSeconds: number | null;
  meanRunSeconds: number | null;
  finishedLastMinute: number;
  sampled: number;
}

// The outbox (functions/core/follow-ups.ts): what follows a final state, recorded with it.
export const FollowUpKind = ["event", "callback", "chain", "chord"] as const;
export type FollowUpKind = (typeof FollowUpKind)[number];

export type FinalOutcome = Exclude<Outcome, { status: "RETRY" }>;

/** A task in a final state, as its follow-ups need it (read back from the record by a redelivery or the sweep). */
export interface FinishedTask {
  taskId: string;
  /** Whose task: its callback and follow-up tasks are that tenant's too. */
  tenant: string;
  type: string;
  queue: string;
  outcome: FinalOutcome;
  attempt: number;
  /** The run that wrote the final state: follow-up ids derive from it. */
  runId: string;
  finishedAt: number;
  callbackUrl?: string;
  group?: { id: string; index: number };
}

export interface OutboxStore {
  /** Marks follow-ups done; answers those still pending. */
  followUpsDone(id: string, done: FollowUpKind[]): Promise<FollowUpKind[]>;
  /** A final task with the follow-ups still pending; null when its record is gone or not final. */
  finishedTask(id: string): Promise<{ task: FinishedTask; pending: FollowUpKind[] } | null>;
  /** Ids of tasks whose follow-ups were recorded before `before` (ms) and are not all done, oldest first. */
  outboxDue(before: number, limit: number): Promise<string[]>;
  /** Forgets an outbox entry whose record is gone. */
  outboxForget(id: string): Promise<void>;
}

/** One run of the index sweep (TaskStore.sweepIndexes). */
export interface IndexSweepReport {
  /** Index entries looked at. */
  examined: number;
  /** Entries removed: their record had expired (or was deleted). */
  removed: number;
  /** Entries left in the indexes swept: the tasks that live, and entries not yet old enough to look at. */
  entries: number;
}

export interface IndexSweepOptions {
  /** Entries younger than this (by their index's score: creation time, or finish time for the dead letters) are not looked at yet. */
  minAgeMs: number;
  /** Most entries looked at in this run, over all indexes. */
  budget: number;
  /** Entries found live stay behind the walk; it starts over from the oldest once per this long. Default one hour. */
  rewindMs?: number;
}

export interface OutboxSweepReport {
  examined: number;
  completed: number;
  failed: number;
  forgotten: number;
}

/** Task records, atomically (Lua in Redis). Every write is fenced: see the adapter's scripts. */
export interface TaskStore extends OutboxStore {
  /** rate: the caller's rate limit, counted in the same call; over it, RateLimitedError and nothing written. */
  create(task: NewTask, idempotency?: IdempotencyKey, rate?: RateCharge): Promise<CreateOutcome>;
  /**
   * Undoes create() when the task could not be enqueued; unless a replay (a create() that answered this task as
   * `existing`) came meanwhile: its caller holds the id, and it enqueues the task itself.
   */
  remove(task: Pick<NewTask, "id" | "queue" | "tenant">, idempotency?: IdempotencyKey): Promise<void>;
  /** rate: as create's (a status poll's count rides on its read). */
  summary(id: string, rate?: RateCharge): Promise<TaskSummary | null>;
  detail(id: string): Promise<TaskDetail | null>;
  claim(id: string, claim: { cloudTask: string; runId: string; leaseMs: number; workerId: string; heartbeat?: WorkerHeartbeat }): Promise<ClaimOutcome>;
  /**
   * Writes progress (a negative percent only reads), renews the run's lease for leaseMs, and returns whether a revoke
   * was requested, or null when the run no longer owns the task.
   */
  progress(id: string, runId: string, percent: number, message: string, leaseMs: number): Promise<{ revokeRequested: boolean } | null>;
  /** owned false when the run no longer owns the task (fenced); a final state records its follow-ups with it. */
  finish(id: string, runId: string, queue: string, outcome: Outcome, ttlSeconds: number, extra?: { groupId?: string; followUps?: FollowUpKind[] }): Promise<FinishOutcome>;
  /** Undoes the Cloud Task name a RETRY wrote when its Cloud Task could not be enqueued: the current one carries the next attempt. */
  unretry(id: string, nextCloudTask: string, currentCloudTask: string): Promise<boolean>;
  revoke(id: string, terminate: boolean, ttlSeconds: number): Promise<RevokeOutcome>;
  /** FAILURE → PENDING with a fresh attempt budget, carried by a new Cloud Task (enqueued after). */
  redrive(id: string, cloudTask: string): Promise<{ ok: true; summary: TaskSummary } | { ok: false; status: TaskStatus | null }>;
  /** Undoes redrive() when its Cloud Task could not be enqueued. */
  unredrive(id: string, cloudTask: string, error: TaskError, ttlSeconds: number): Promise<void>;
  /** Newest first; an index entry found without its record (expired) is removed as it is passed. */
  list(filter: ListFilter, limit: number, cursor?: string): Promise<{ tasks: TaskSummary[]; nextCursor: string | null }>;
  /**
   * Removes the entries of every tenant's queue indexes and of the dead-letter index whose record expired, a bounded
   * batch, so that the indexes hold what lives and not all history (run every minute by platform.outbox_sweep).
   */
  sweepIndexes(options: IndexSweepOptions): Promise<IndexSweepReport>;
  /** Counts over every tenant's recent tasks of the queue. */
  queueCounts(queue: string): Promise<QueueCounts>;
  workers(): Promise<WorkerHeartbeat[]>;
  /**
   * What the console shows on one refresh, in as few round trips as the store can: every queue's counts
   * (over its `sample` newest tasks), the page list() would answer, the live workers.
   */
  overview(filter: ListFilter, limit: number, cursor: string | undefined, sample: number): Promise<TaskOverview>;
  heartbeat(beat: WorkerHeartbeat): Promise<void>;
}

export interface TaskOverview {
  /** By queue name. */
  queues: Record<string, QueueCounts>;
  page: { tasks: TaskSummary[]; nextCursor: string | null };
  workers: WorkerHeartbeat[];
}

export interface EnqueueRequest {
  /** Cloud Tasks queue id (a declared queue or its -high twin). */
  queue: string;
  /** Cloud Tasks task id, unique per attempt chain: de-duplicates. */
  name: string;
  body: string;
  scheduleTime?: number;
  dispatchDeadlineSeconds: number;
  /** Which worker function the queue dispatches to. */
  worker: string;
  /** Extra HTTP headers of the delivery (the trace it continues: `traceparent`). */
  headers?: Record<string, string>;
}

/** Cloud Tasks. */
export interface TaskQueue {
  /** Creating a task whose name exists already succeeds (it is the same task). */
  enqueue(request: EnqueueRequest): Promise<void>;
  /** False when the Cloud Task was not there (dispatched already). */
  delete(queue: string, name: string): Promise<boolean>;
  pause(queue: string): Promise<void>;
  resume(queue: string): Promise<void>;
  state(queue: string): Promise<"RUNNING" | "PAUSED" | "DISABLED" | "UNKNOWN">;
}

/** Counters the platform keeps (Redis): usage statistics read them. */
export interface UsageCounters {
  snapshot(): Promise<{ queues: Record<string, Record<string, number>> }>;
}

export interface BlobInfo {
  /** Object path inside the bucket, e.g. "tts/abc.mp3". */
  path: string;
  bytes: number;
  contentType: string;
  updated: Date;
  metadata: Record<string, string>;
}

/** Cloud Storage: large data lives here and travels as a gs:// URI, never through Redis or a task body. */
export interface BlobStore {
  readonly bucket: string;
  put(path: string, data: Buffer, options: { contentType: string; metadata?: Record<string, string>; signal?: AbortSignal }): Promise<{ uri: string; bytes: number }>;
  /** Reads an object by path or gs://bucket/path URI; null when it does not exist. */
  get(pathOrUri: string, options?: { maxBytes?: number }): Promise<Buffer | null>;
  stat(path: string): Promise<BlobInfo | null>;
  /** One page of objects under a prefix, oldest-first order not guaranteed. */
  list(prefix: string, options?: { pageToken?: string; pageSize?: number }): Promise<{ items: BlobInfo[]; nextPageToken: string | null }>;
  delete(path: string): Promise<boolean>;
  /** A URL to read the object: V4-signed with an expiry, or public when the bucket is public. */
  readUrl(path: string, expiresSeconds?: number): Promise<string>;
  /** A V4-signed URL to PUT an object with this content type. */
  writeUrl(path: string, contentType: string, expiresSeconds?: number): Promise<string>;
  uri(path: string): string;
}

/**
 * Small data in Redis for tasks (caches, watermarks, checkpoints, work sets),
 * JSON values, every key under the deployment's prefix. Large data goes to BlobStore.
 */
export interface KeyValueStore {
  get<T = unknown>(key: string): Promise<T | null>;
  /** Returns false when onlyIfAbsent and the key exists. */
  set(key: string, value: unknown, options?: { ttlSeconds?: number; onlyIfAbsent?: boolean }): Promise<boolean>;
  delete(...keys: string[]): Promise<number>;
  increment(key: string, by?: number, ttlSeconds?: number): Promise<number>;
  /** Set semantics: adding a member twice keeps one. */
  addToSet(key: string, ...members: string[]): Promise<number>;
  /** Removes and returns up to `count` members. */
  popFromSet(key: string, count: number): Promise<string[]>;
  setSize(key: string): Promise<number>;
  /** One SCAN page over keys matching a glob (without the prefix); cursor "0" starts and ends. */
  scan(match: string, cursor: string, count?: number): Promise<{ cursor: string; keys: string[] }>;
  /** Seconds to live; -1 no expiry, -2 missing. */
  ttl(key: string): Promise<number>;
}

/** One callback: where, what, whose secret signs it, and its delivery id. */
export interface CallbackDelivery {
  /** A caller's URL: the sender judges it again (outbound guard) before connecting. */
  url: string;
  body: unknown;
  /** The tenant whose callback secret signs it. */
  tenant: string;
  /** The same on every retry of this delivery (webhook-id), so receivers drop duplicates. */
  id: string;
}

/** Signed POSTs to URLs that callers gave (callback_url). */
export interface CallbackSender {
  post(delivery: CallbackDelivery, signal?: AbortSignal): Promise<{ status: number }>;
}

/** Where a schedule came from: declared in code (functions/schedules.ts) or created through the API. */
type ScheduleOrigin = "code" | "api";

export interface ScheduledJob {
  name: string;
  origin: ScheduleOrigin;
  cron: string;
  timeZone: string;
  task: string;
  payload: Record<string, unknown>;
  description: string;
  state: "ENABLED" | "PAUSED" | "UNKNOWN";
  lastAttemptTime: Date | null;
  /** gRPC status code of the last attempt (0 OK), null before the first. */
  lastStatus: { code: number; message: string } | null;
}

export type ScheduledJobSpec = Pick<ScheduledJob, "name" | "origin" | "cron" | "timeZone" | "task" | "payload" | "description">;

/** Cloud Scheduler: the scheduler of record. Only jobs under the platform's name prefix are seen or touched. */
export interface Scheduler {
  list(): Promise<ScheduledJob[]>;
  get(name: string): Promise<ScheduledJob | null>;
  /** Rejects with ScheduleConflict when the job exists. */
  create(spec: ScheduledJobSpec): Promise<ScheduledJob>;
  update(spec: ScheduledJobSpec): Promise<ScheduledJob>;
  delete(name: string): Promise<boolean>;
  pause(name: string): Promise<ScheduledJob>;
  resume(name: string): Promise<ScheduledJob>;
  run(name: string): Promise<void>;
}

/** Pub/Sub: domain events and the platform's lifecycle events. */
export interface EventBus {
  /** Returns the message id. */
  publish(topic: string, data: unknown, attributes?: Record<string, string>): Promise<string>;
}

/** The task records' history, for cleanup. */
export interface TaskHistory {
  /**
   * Removes up to `batch` entries of the dead-letter index that finished before `beforeMs`, oldest first,
   * with their FAILURE records (and queue index entries). Entries whose record is no longer FAILURE
   * (redriven) lose only the index entry.
   */
  purgeFailed(beforeMs: number, batch: number): Promise<{ examined: number; recordsDeleted: number }>;
  /** The index sweep (TaskStore.sweepIndexes): entries whose record expired leave the indexes. */
  sweepIndexes(options: IndexSweepOptions): Promise<IndexSweepReport>;
}

/** The outbox sweep (platform.outbox_sweep): follow-ups a dead worker left. */
export interface Outbox {
  /** graceMs: only entries older than this (default: the deployment's OUTBOX_GRACE_SECONDS). */
  sweep(options: { graceMs?: number; limit: number }): Promise<OutboxSweepReport>;
}

// The platform's ports that tasks may declare in defineTask({ uses }).
export const blobs = port<BlobStore>("blobs");
export const kv = port<KeyValueStore>("kv");
/** Signed POSTs to callers' callback_url (platform.callback). */
export const callbacks = port<CallbackSender>("callbacks");
/** The platform's queue counters (notify.usage_statistics). */
export const usage = port<UsageCounters>("usage");
/** The dead-letter index and FAILURE records (cleanup.failed_tasks), the index sweep (platform.outbox_sweep). */
export const taskHistory = port<TaskHistory>("taskHistory");
/** Follow-ups left pending (platform.outbox_sweep). */
export const outbox = port<Outbox>("outbox");
