// A task record as the Redis hash holds it (functions/adapters/redis/scripts.ts), typed: MemoryTaskStore
// changes it the way each script changes the hash, and reads it back as the adapter does.
import type { FollowUpKind } from "../ports.ts";
import type { TaskStatus } from "../states.ts";
import type { NewTask, TaskDetail, TaskError, TaskSummary } from "../task-record.ts";

export interface MemoryTaskRecord {
  id: string;
  tenant: string;
  type: string;
  queue: string;
  priority: NewTask["priority"];
  status: TaskStatus;
  progress: number;
  message: string;
  attempts: number;
  maxAttempts: number;
  createdAt: number;
  /** resultTtlSeconds: how long a revoked record stays. */
  ttl: number;
  /** The longest lease a claim hands out (the task's hard limit and a margin). */
  leaseMs: number;
  cloudTask: string;
  payload: string;
  eta?: number;
  callbackUrl?: string;
  groupId?: string;
  groupIndex?: number;
  /** A replay answered this task's id: remove() leaves it (see TaskStore.remove). */
  replayed?: boolean;
  /** The run id of the latest claim. */
  run?: string;
  /** Until when (ms) the run holds the task; 0 when nobody does. */
  lease: number;
  revoke: boolean;
  startedAt?: number;
  worker?: string;
  finishedAt?: number;
  nextAttemptAt?: number;
  /** The Cloud Task that wrote RETRY (the Redis field rct). */
  retryFrom?: string;
  result?: string;
  resultAvailable: boolean;
  error?: TaskError;
  /** Follow-ups recorded with the final state and not yet done. */
  outbox?: FollowUpKind[];
  redrives: number;
  /** When the record is gone (ms); undefined: it stays. */
  expiresAt?: number;
}

export function newRecord(task: NewTask): MemoryTaskRecord {
  return {
    id: task.id, tenant: task.tenant, type: task.type, queue: task.queue, priority: task.priority, status: task.status,
    progress: 0, message: "", attempts: 0, maxAttempts: task.maxAttempts, createdAt: task.createdAt, ttl: task.resultTtlSeconds,
    leaseMs: task.leaseMs, cloudTask: task.cloudTask, payload: task.payload, lease: 0, revoke: false, resultAvailable: false, redrives: 0,
    ...(task.eta ? { eta: task.eta } : {}),
    ...(task.callbackUrl ? { callbackUrl: task.callbackUrl } : {}),
    ...(task.groupId ? { groupId: task.groupId, groupIndex: task.groupIndex ?? 0 } : {}),
  };
}

export function toSummary(r: MemoryTaskRecord): TaskSummary {
  return {
    id: r.id, tenant: r.tenant, type: r.type, queue: r.queue, priority: r.priority, status: r.status, progress: r.progress,
    message: r.message, attempts: r.attempts, maxAttempts: r.maxAttempts, createdAt: r.createdAt, resultAvailable: r.resultAvailable,
    cloudTask: r.cloudTask,
    ...(r.eta !== undefined ? { eta: r.eta } : {}),
    ...(r.startedAt !== undefined ? { startedAt: r.startedAt } : {}),
    ...(r.finishedAt !== undefined ? { finishedAt: r.finishedAt } : {}),
    ...(r.nextAttemptAt !== undefined ? { nextAttemptAt: r.nextAttemptAt } : {}),
    ...(r.error ? { error: { ...r.error } } : {}),
    ...(r.callbackUrl ? { callbackUrl: r.callbackUrl } : {}),
    ...(r.groupId ? { groupId: r.groupId } : {}),
  };
}

export function toDetail(r: MemoryTaskRecord): TaskDetail {
  return { ...toSummary(r), payload: r.payload, ...(r.result !== undefined ? { result: r.result } : {}) };
}
