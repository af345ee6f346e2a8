// The headers an HTTP task attempt carries: the task's own, then the ones Cloud
// Tasks adds. Values follow what the real service sends (captured from it by
// aertje/cloud-tasks-emulator, conformance/golden/dispatch.json).
import type { TaskRecord } from "./task-record.ts";

/** For the attempt just counted in `task.dispatchCount`, scheduled for `etaMs`. */
export function dispatchHeaders(
  task: TaskRecord,
  etaMs: number,
  authorization: string | undefined,
): Record<string, string> {
  const added: Record<string, string> = {
    "User-Agent": "Google-Cloud-Tasks",
    "X-CloudTasks-QueueName": task.queueId,
    "X-CloudTasks-TaskName": task.id,
    // Attempts before this one, whatever their outcome.
    "X-CloudTasks-TaskRetryCount": String(task.dispatchCount - 1),
    // Responses before this one, 5xx excluded.
    "X-CloudTasks-TaskExecutionCount": String(task.executionCount),
    // Seconds since the epoch, microseconds after the point.
    "X-CloudTasks-TaskETA": (etaMs / 1000).toFixed(6),
  };
  if (task.previousResponse !== undefined) {
    added["X-CloudTasks-TaskPreviousResponse"] = String(task.previousResponse);
    // The real service sends this header empty for HTTP targets.
    added["X-CloudTasks-TaskRetryReason"] = "";
  }
  if (authorization) added["Authorization"] = authorization;

  // Header names are case-insensitive: an added header replaces the task's own
  // spelling of it rather than going out twice.
  const replaced = new Set(Object.keys(added).map((key) => key.toLowerCase()));
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(task.headers)) {
    if (!replaced.has(key.toLowerCase())) headers[key] = value;
  }
  return Object.assign(headers, added);
}
