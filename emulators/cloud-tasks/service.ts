// google.cloud.tasks.v2.CloudTasks over the emulator's state: queues with their tasks and
// dispatchers, and the names that may not be used again yet. The RPCs the platform and its tests
// call are here; the others (ListQueues, RunTask, BufferTask, the IAM methods) answer UNIMPLEMENTED.
// Error messages are the real service's (recorded from it by aertje/cloud-tasks-emulator,
// conformance/golden/realcloud.json), so callers matching on them keep working.
import type { protos } from "@google-cloud/tasks";
import { status } from "@grpc/grpc-js";
import { applyUpdateMask, fromMs, invalidArgument, RpcError, type Handler } from "../google-common.ts";
import { OUTPUT_ONLY, QueueDispatcher, resolveSettings, SETTABLE, type DispatchContext, type QueueSettings } from "./queue.ts";
import { newTaskRecord, parseTaskName, taskMessage, type TaskRecord } from "./task.ts";

type IQueue = protos.google.cloud.tasks.v2.IQueue;
type ITask = protos.google.cloud.tasks.v2.ITask;

interface QueueEntry {
  name: string;
  settings: QueueSettings;
  state: "RUNNING" | "PAUSED";
  purgeMs?: number;
  tasks: Map<string, TaskRecord>;
  dispatcher: QueueDispatcher;
}

export interface ServiceOptions {
  maxRateCap: number;
  /** How long a finished task's chosen name stays reserved. */
  taskTombstoneMs: number;
  /** How long a deleted queue's name stays reserved. */
  queueTombstoneMs: number;
  minDeadlineMs: number;
  context: Omit<DispatchContext, "ended">;
  /** Throws while a CreateTask refusal (fault control) lasts. */
  checkCreateTask(nowMs: number): void;
}

const LOCATION = /^projects\/[A-Za-z0-9\-:.]+\/locations\/[A-Za-z0-9-]+$/;
const QUEUE_NAME = /^(projects\/[A-Za-z0-9\-:.]+\/locations\/[A-Za-z0-9-]+)\/queues\/([A-Za-z0-9-]{1,100})$/;
const MAX_TASK_PAGE = 1000;

const queueNotFound = () =>
  new RpcError(status.NOT_FOUND, "Queue does not exist. If you just created the queue, wait at least a minute for the queue to initialize.");

function parseQueueName(name: string | null | undefined): { name: string; parent: string } {
  const match = QUEUE_NAME.exec(name ?? "");
  if (!match) throw invalidArgument('Queue name must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>/queues/<QUEUE_ID>".');
  return { name: match[0], parent: match[1] ?? "" };
}

/**
 * Names that ended recently and may not be used again for a while. Every name gets the same
 * window, so insertion order is expiry order and sweeping is cheap.
 */
function tombstones(windowMs: number) {
  const expiries = new Map<string, number>();
  const sweep = (nowMs: number) => {
    for (const [name, expiresMs] of expiries) {
      if (expiresMs > nowMs) return;
      expiries.delete(name);
    }
  };
  return {
    add(name: string, nowMs: number) {
      if (windowMs <= 0) return;
      sweep(nowMs);
      expiries.delete(name); // re-inserted at the end, keeping the order by expiry
      expiries.set(name, nowMs + windowMs);
    },
    has(name: string, nowMs: number) {
      sweep(nowMs);
      return expiries.has(name);
    },
  };
}

export function cloudTasksService(options: ServiceOptions): { handlers: Record<string, Handler>; close(): void } {
  const queues = new Map<string, QueueEntry>();
  const taskNames = tombstones(options.taskTombstoneMs);
  const queueNames = tombstones(options.queueTombstoneMs);
  const { log } = options.context;

  const get = (name: string | null | undefined): QueueEntry => {
    const entry = queues.get(parseQueueName(name).name);
    if (!entry) throw queueNotFound();
    return entry;
  };
  const show = (entry: QueueEntry): IQueue => ({
    name: entry.name, ...entry.settings, state: entry.state, ...(entry.purgeMs !== undefined && { purgeTime: fromMs(entry.purgeMs) }),
  });
  /** Deleted, purged, succeeded or out of attempts: the task is gone, a chosen name reserved. */
  const forget = (entry: QueueEntry, task: TaskRecord) => {
    task.gone = true;
    entry.tasks.delete(task.name);
    if (task.named) taskNames.add(task.name, Date.now());
  };
  const find = (name: string | null | undefined) => {
    const { queue } = parseTaskName(name);
    const entry = get(queue);
    const task = entry.tasks.get(name ?? "");
    if (task) return { entry, task };
    throw taskNames.has(name ?? "", Date.now())
      ? new RpcError(status.NOT_FOUND, "The task no longer exists, though a task with this name existed recently. The task either successfully completed or was deleted.")
      : new RpcError(status.NOT_FOUND, "Requested entity was not found.");
  };
  const paths = (mask: { paths?: string[] | null } | null | undefined) => (mask?.paths?.length ? mask.paths : Object.keys(SETTABLE));
  const merge = (current: QueueSettings, patch: IQueue, mask: string[]) => applyUpdateMask(current, patch as QueueSettings, mask, SETTABLE, OUTPUT_ONLY);

  function create(name: string, input: QueueSettings): QueueEntry {
    if (queues.has(name)) throw new RpcError(status.ALREADY_EXISTS, "Queue already exists");
    // DeleteQueue: "you may be prevented from creating a new queue with the same name as the deleted queue for a tombstone window of up to 3 days".
    if (queueNames.has(name, Date.now())) {
      throw new RpcError(status.FAILED_PRECONDITION, "The queue cannot be created because a queue with this name existed too recently.");
    }
    const { settings, policy } = resolveSettings(input, options.maxRateCap);
    const entry: QueueEntry = {
      name, settings, state: "RUNNING", tasks: new Map(),
      dispatcher: new QueueDispatcher(policy, { ...options.context, ended: (task) => forget(entry, task) }),
    };
    queues.set(name, entry);
    log(`queue ${name} created`);
    return entry;
  }

  function setPaused(request: { name?: string | null }, paused: boolean): IQueue {
    const entry = get(request.name);
    entry.state = paused ? "PAUSED" : "RUNNING";
    entry.dispatcher.setPaused(paused);
    log(`queue ${entry.name} ${paused ? "paused" : "resumed"}`);
    return show(entry);
  }

  const handlers = {
    CreateQueue(request: protos.google.cloud.tasks.v2.ICreateQueueRequest): IQueue {
      if (!request.parent || !LOCATION.test(request.parent)) throw invalidArgument('Parent must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>".');
      if (!request.queue) throw invalidArgument("Queue is required.");
      const { name, parent } = parseQueueName(request.queue.name);
      if (parent !== request.parent) throw invalidArgument(`The queue name must start with the parent "${request.parent}".`);
      return show(create(name, merge({}, request.queue, Object.keys(SETTABLE))));
    },

    GetQueue: (request: { name?: string | null }): IQueue => show(get(request.name)),

    /** Creates the queue when it does not exist, as the service does. An empty mask updates every field. */
    UpdateQueue(request: protos.google.cloud.tasks.v2.IUpdateQueueRequest): IQueue {
      if (!request.queue) throw invalidArgument("Queue is required.");
      const { name } = parseQueueName(request.queue.name);
      const entry = queues.get(name);
      if (!entry) return show(create(name, merge({}, request.queue, paths(request.updateMask))));
      const { settings, policy } = resolveSettings(merge(entry.settings, request.queue, paths(request.updateMask)), options.maxRateCap);
      entry.settings = settings;
      entry.dispatcher.setPolicy(policy);
      return show(entry);
    },

    DeleteQueue(request: { name?: string | null }) {
      const entry = get(request.name);
      entry.dispatcher.stop();
      for (const task of entry.tasks.values()) task.gone = true;
      queues.delete(entry.name);
      queueNames.add(entry.name, Date.now());
      log(`queue ${entry.name} deleted`);
      return {};
    },

    PurgeQueue(request: { name?: string | null }): IQueue {
      const entry = get(request.name);
      entry.dispatcher.purge();
      for (const task of [...entry.tasks.values()]) forget(entry, task);
      entry.purgeMs = Date.now();
      log(`queue ${entry.name} purged`);
      return show(entry);
    },

    PauseQueue: (request: { name?: string | null }) => setPaused(request, true),
    ResumeQueue: (request: { name?: string | null }) => setPaused(request, false),

    CreateTask(request: { parent?: string | null; task?: ITask | null; responseView?: unknown }) {
      const entry = get(request.parent);
      const nowMs = Date.now();
      options.checkCreateTask(nowMs);
      const task = newTaskRecord(entry.name, request.task, nowMs, options.minDeadlineMs);
      if (entry.tasks.has(task.name) || (task.named && taskNames.has(task.name, nowMs))) {
        throw new RpcError(status.ALREADY_EXISTS, "Requested entity already exists");
      }
      entry.tasks.set(task.name, task);
      // Answer with the task as created: scheduling may start its first attempt at once.
      const created = taskMessage(task, request.responseView);
      entry.dispatcher.schedule(task);
      return created;
    },

    GetTask: (request: { name?: string | null; responseView?: unknown }) => taskMessage(find(request.name).task, request.responseView),

    /** Pages by the name after the last one returned, so a page stays right while tasks come and go. */
    ListTasks(request: protos.google.cloud.tasks.v2.IListTasksRequest) {
      const entry = get(request.parent);
      if ((request.pageSize ?? 0) < 0) throw invalidArgument("page_size must not be negative.");
      const size = Math.min(request.pageSize || MAX_TASK_PAGE, MAX_TASK_PAGE);
      const after = request.pageToken ? Buffer.from(request.pageToken, "base64url").toString() : "";
      const names = [...entry.tasks.keys()].filter((name) => name > after).sort();
      const page = names.slice(0, size);
      return {
        tasks: page.map((name) => taskMessage(entry.tasks.get(name)!, request.responseView)),
        nextPageToken: names.length > size ? Buffer.from(page.at(-1)!).toString("base64url") : "",
      };
    },

    DeleteTask(request: { name?: string | null }) {
      const { entry, task } = find(request.name);
      forget(entry, task);
      return {};
    },
  };

  return {
    handlers: handlers as unknown as Record<string, Handler>,
    close() {
      for (const entry of queues.values()) entry.dispatcher.stop();
      queues.clear();
    },
  };
}
