// The narrow interfaces the core depends on. Adapters implement them; only
// functions/composition.ts picks which.
import type { TaskDetail, NewTask, TaskSummary, TaskError } from "./task-record.ts";
import type { TaskStatus } from "./states.ts";
import type { Priority } from "./queues.ts";

export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export type CreateOutcome = { created: true } | { created: false; existing: TaskSummary };

export type ClaimOutcome =
  | { kind: "claimed"; attempt: number; revokeRequested: boolean; priority: Priority }
  /** No record: expired long ago, or never written. */
  | { kind: "missing" }
  /** Already SUCCESS/FAILURE/REVOKED: a duplicate delivery. */
  | { kind: "final"; status: TaskStatus }
  /** The delivery is for an older Cloud Task than the record's current one. */
  | { kind: "stale" }
  /** Another delivery holds the lease until `leaseUntil`. */
  | { kind: "busy"; leaseUntil: number };

export type Outcome =
  | { status: "SUCCESS"; result: string }
  | { status: "FAILURE"; error: TaskError }
  | { status: "REVOKED"; error: TaskError }
  | { status: "RETRY"; error: TaskError; nextAttemptAt: number; cloudTask: string };

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

/** Task records, atomically (Lua in Redis). Every write is fenced: see the adapter's scripts. */
export interface TaskStore {
  create(task: NewTask, idempotencyKey?: string): Promise<CreateOutcome>;
  /** Undoes create() when the task could not be enqueued. */
  remove(id: string, queue: string, idempotencyKey?: string): Promise<void>;
  summary(id: string): Promise<TaskSummary | null>;
  detail(id: string): Promise<TaskDetail | null>;
  claim(id: string, claim: { cloudTask: string; runId: string; leaseMs: number; workerId: string; heartbeat?: WorkerHeartbeat }): Promise<ClaimOutcome>;
  /**
   * Writes progress (a negative percent only reads) and returns whether a revoke
   * was requested, or null when the run no longer owns the task.
   */
  progress(id: string, runId: string, percent: number, message: string): Promise<{ revokeRequested: boolean } | null>;
  /** False when the run no longer owns the task (fenced). */
  finish(id: string, runId: string, queue: string, outcome: Outcome, ttlSeconds: number): Promise<boolean>;
  revoke(id: string, terminate: boolean, ttlSeconds: number): Promise<RevokeOutcome>;
  /** FAILURE → PENDING with a fresh attempt budget, carried by a new Cloud Task (enqueued after). */
  redrive(id: string, cloudTask: string): Promise<{ ok: true; summary: TaskSummary } | { ok: false; status: TaskStatus | null }>;
  /** Undoes redrive() when its Cloud Task could not be enqueued. */
  unredrive(id: string, cloudTask: string, error: TaskError, ttlSeconds: number): Promise<void>;
  list(filter: ListFilter, limit: number, cursor?: string): Promise<{ tasks: TaskSummary[]; nextCursor: string | null }>;
  queueCounts(queue: string): Promise<QueueCounts>;
  workers(): Promise<WorkerHeartbeat[]>;
  heartbeat(beat: WorkerHeartbeat): Promise<void>;
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

/** Where notification tasks deliver: the user system's signed webhook. */
export interface Notifier {
  send(event: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<{ status: number }>;
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

/** The ports a handler reaches through its context. Adapters are built on first use. */
export interface Ports {
  notifier: Notifier;
  usage: UsageCounters;
  blobs: BlobStore;
  kv: KeyValueStore;
}
