// Task records as the API shows them (snake_case, ISO times), the shape Celery
// clients of the source systems read.
import type { TaskSummary } from "../core/task-record.ts";
import { iso } from "./http.ts";

export function presentTask(task: TaskSummary) {
  return {
    task_id: task.id,
    type: task.type,
    queue: task.queue,
    priority: task.priority,
    status: task.status,
    progress: task.progress,
    message: task.message,
    attempts: task.attempts,
    max_attempts: task.maxAttempts,
    created_at: iso(task.createdAt),
    eta: iso(task.eta),
    started_at: iso(task.startedAt),
    finished_at: iso(task.finishedAt),
    next_attempt_at: task.status === "RETRY" ? iso(task.nextAttemptAt) : null,
    result_available: task.resultAvailable,
    error: task.error ?? null,
    ...(task.groupId ? { group_id: task.groupId } : {}),
  };
}

export function taskLinks(base: string, id: string) {
  return { poll_url: `${base}/v1/tasks/${id}`, result_url: `${base}/v1/tasks/${id}/result` };
}
