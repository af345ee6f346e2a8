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
  /** FAILURE → PENDING with a fresh attempt budget, carried by a new Cloud Task. */
  redrive(id: string, cloudTask: string): Promise<{ ok: true; summary: TaskSummary } | { ok: false; status: TaskStatus | null }>;
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

/** The ports a handler reaches through its context. */
export interface Ports {
  notifier: Notifier;
  usage: UsageCounters;
}
