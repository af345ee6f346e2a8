// What the platform keeps about a task, independent of where it is kept.
import type { Priority } from "./queues.ts";
import type { TaskStatus } from "./states.ts";

export interface TaskError {
  /** The error's name: NonRetryableError, TimeLimitExceeded, ValidationError, … */
  type: string;
  message: string;
}

export interface NewTask {
  id: string;
  type: string;
  queue: string;
  priority: Priority;
  status: "PENDING" | "SCHEDULED";
  createdAt: number;
  eta?: number;
  maxAttempts: number;
  resultTtlSeconds: number;
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
