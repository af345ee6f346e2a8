// The task half of google.cloud.tasks.v2.CloudTasks.
import { parseQueueName, parseTaskName } from "./names.ts";
import { pageOf } from "./paging.ts";
import type { QueueEntry, QueueRegistry } from "./queue-registry.ts";
import type { CreateTaskFaults } from "./faults.ts";
import { entityNotFound, taskAlreadyExists, taskRecentlyGone } from "./rpc-error.ts";
import { newTaskRecord, taskMessage, type TaskRecord } from "./task-record.ts";
import type { TaskMessage, TaskView } from "./wire.ts";

const MAX_TASK_PAGE = 1000;

interface ListTasksRequest { parent?: string; response_view?: TaskView; page_size?: number; page_token?: string }

export function taskRpcs(registry: QueueRegistry, faults?: CreateTaskFaults) {
  function find(name: string | undefined): { entry: QueueEntry; task: TaskRecord } {
    const parsed = parseTaskName(name);
    const entry = registry.get(parsed.queue.name);
    const task = entry.tasks.get(parsed.name);
    if (task) return { entry, task };
    throw registry.taskTombstones.has(parsed.name, Date.now()) ? taskRecentlyGone() : entityNotFound();
  }

  return {
    CreateTask(request: { parent?: string; task?: TaskMessage; response_view?: TaskView }): TaskMessage {
      const entry = registry.get(parseQueueName(request.parent).name);
      const nowMs = Date.now();
      faults?.check(nowMs);
      const task = newTaskRecord(entry.name, request.task, nowMs);
      if (entry.tasks.has(task.name) || (task.named && registry.taskTombstones.has(task.name, nowMs))) {
        throw taskAlreadyExists();
      }
      entry.tasks.set(task.name, task);
      // Answer with the task as created: scheduling may start its first attempt at once.
      const created = taskMessage(task, request.response_view);
      entry.dispatcher.schedule(task);
      return created;
    },

    GetTask(request: { name?: string; response_view?: TaskView }): TaskMessage {
      return taskMessage(find(request.name).task, request.response_view);
    },

    ListTasks(request: ListTasksRequest) {
      const entry = registry.get(parseQueueName(request.parent).name);
      const tasks = [...entry.tasks.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
      const page = pageOf(tasks, (task) => task.name, request, MAX_TASK_PAGE);
      return {
        tasks: page.items.map((task) => taskMessage(task, request.response_view)),
        next_page_token: page.nextPageToken,
      };
    },

    DeleteTask(request: { name?: string }): Record<string, never> {
      const { entry, task } = find(request.name);
      registry.forgetTask(entry, task);
      return {};
    },

    /** Returns the task as dispatched, before the target answers. */
    RunTask(request: { name?: string; response_view?: TaskView }): TaskMessage {
      const { entry, task } = find(request.name);
      entry.dispatcher.runNow(task);
      return taskMessage(task, request.response_view);
    },
  };
}
