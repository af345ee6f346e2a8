// What the platform keeps about a task, independent of where it is kept.
import type { Priority } from "./queues.ts";
import type { TaskStatus } from "./states.ts";

/** The tenant of the platform's own tasks (declared schedules, events from outside publishers, maintenance). */
export const SYSTEM_TENANT = "_system";

/** A tenant an API key may name: never the platform's own ("_…"). */
export const TENANT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export interface TaskError {
  /** The error's name: NonRetryableError, TimeLimitExceeded, ValidationError, … */
  type: string;
  message: string;
  /** The error's stack, its first lines (recorded by the executor; absent on older records and non-Error throws). */
  traceback?: string;
}

/** The error as it leaves the platform (API views, events, callbacks): the traceback is the operators', shown by the console only. */
export const publicError = (error: TaskError): TaskError => ({ type: error.type, message: error.message });

export interface NewTask {
  id: string;
  /** Whose task it is: the submitter's tenant, or SYSTEM_TENANT for the platform's own. */
  tenant: string;
  type: string;
  queue: string;
  priority: Priority;
  status: "PENDING" | "SCHEDULED";
  createdAt: number;
  eta?: number;
  maxAttempts: number;
  resultTtlSeconds: number;
  /** How long a claim holds the task before another delivery may take it over (its worker died). */
  leaseMs: number;
  /** Name of the Cloud Task that carries the next attempt. */
  cloudTask: string;
  /** JSON of the (partly encrypted) payload. */
  payload: string;
  callbackUrl?: string;
  groupId?: string;
  /** Position in its group (member order), or step in its chain. */
  groupIndex?: number;
}

export interface TaskSummary {
  id: string;
  tenant: string;
  type: string;
  queue: string;
  priority: Priority;
  status: TaskStatus;
  progress: number;
  message: string;
  attempts: number;
  maxAttempts: number;
  createdAt: number;
  eta?: number;
  startedAt?: number;
  finishedAt?: number;
  nextAttemptAt?: number;
  resultAvailable: boolean;
  error?: TaskError;
  cloudTask: string;
  callbackUrl?: string;
  groupId?: string;
}

export interface TaskDetail extends TaskSummary {
  /** JSON strings as stored (sensitive fields still encrypted). */
  payload?: string;
  result?: string;
}
