// The client's errors: one class per way a call can go wrong.
//   TaskPlatformError — the API answered an error ({error: {code, message, details?}}),
//                       or could not be reached (status 0, code "unreachable")
//   TaskFailedError   — a task the client waited for ended FAILURE or REVOKED
//   WaitTimeoutError  — wait() gave up before the task ended
import type { ErrorCode } from "../functions/http/json.ts";
import type { TaskView } from "../functions/api/answers.ts";

/** The API's error codes, and the client's own for a transport failure or an answer that is not the API's JSON. */
export type ClientErrorCode = ErrorCode | "unreachable" | "invalid_response";

export class TaskPlatformError extends Error {
  override readonly name = "TaskPlatformError";
  /** HTTP status; 0 when the API could not be reached. */
  readonly status: number;
  readonly code: ClientErrorCode;
  readonly details: Record<string, unknown> | undefined;
  /** Seconds the API asked to wait (429, 503), when it said. */
  readonly retryAfterSeconds: number | undefined;
  constructor(status: number, code: ClientErrorCode, message: string, details?: Record<string, unknown>, retryAfterSeconds?: number) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class TaskFailedError extends Error {
  override readonly name = "TaskFailedError";
  /** The task as last seen: status FAILURE or REVOKED, with its error. */
  readonly task: TaskView;
  constructor(task: TaskView) {
    super(`task ${task.task_id} (${task.type}) ended ${task.status}${task.error ? `: ${task.error.type}: ${task.error.message}` : ""}`);
    this.task = task;
  }
}

export class WaitTimeoutError extends Error {
  override readonly name = "WaitTimeoutError";
  readonly task: TaskView | undefined;
  constructor(id: string, timeoutMs: number, task: TaskView | undefined) {
    super(`task ${id} did not end within ${timeoutMs} ms${task ? ` (last seen ${task.status})` : ""}`);
    this.task = task;
  }
}
