// cloud-tasks-platform/client: a typed client for the task platform's HTTP API.
//   const client = createClient({ url, apiKey });
//   const { task_id } = await client.submit("notify.system", { notification_type: "info", title: "Hi", message: "…" });
//   const output = await client.wait(task_id);   // typed: notify.system's output
export { createClient } from "./client.ts";
export type {
  ClientOptions, GroupSpec, NewSchedule, OutputOf, Overview, ScheduleChange, SubmitOptions, Submitted, TaskDetail, TaskListFilter, TaskPlatformClient, Whoami,
} from "./client.ts";
export { TaskFailedError, TaskPlatformError, WaitTimeoutError, type ClientErrorCode } from "./errors.ts";
export type { WaitOptions } from "./wait.ts";
export type { EventData, EventType, TaskId, TaskInput, TaskOutput, TaskType } from "./task-types.ts";
export type {
  EventPublished, GroupAccepted, GroupCancelled, GroupView, QueueView, ScheduleTriggered, ScheduleView, TaskAccepted, TaskCancelled, TaskList, TaskView,
} from "../functions/api/answers.ts";
