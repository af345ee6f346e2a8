// Task records as the API shows them (snake_case, ISO times), the shape Celery
// clients of the source systems read.
import { publicError, type TaskSummary } from "../core/task-record.ts";
import { iso } from "../http/json.ts";
import type { TaskView } from "./answers.ts";

// Typed by the answer schema, so OpenAPI and the typed client cannot drift from what is sent.
export function presentTask(task: TaskSummary): TaskView {
  return {
    task_id: task.id,
    tenant: task.tenant,
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
    error: task.error ? publicError(task.error) : null,
    ...(task.groupId ? { group_id: task.groupId } : {}),
  };
}

export function taskLinks(base: string, id: string) {
  return { poll_url: `${base}/v1/tasks/${id}`, result_url: `${base}/v1/tasks/${id}/result` };
}
