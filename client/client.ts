// The typed client: every call of the HTTP API, with the task types, inputs and
// outputs checked by the compiler against the registry's own schemas.
import type { z } from "zod";
import type {
  EventPublished, GroupAccepted, GroupCancelled, GroupView, QueueView, ScheduleTriggered, ScheduleView, TaskAccepted, TaskCancelled, TaskList, TaskView,
} from "../functions/api/answers.ts";
import type { overview, taskDetail, whoami } from "../functions/api/routes/console-answers.ts";
import type { listQuery } from "../functions/api/routes/tasks.ts";
import type { createScheduleBody, patchScheduleBody } from "../functions/api/routes/schedules.ts";
import type { groupSpec } from "../functions/core/group-spec.ts";
import type { Priority } from "../functions/core/queues.ts";
import type { EventData, EventType, TaskId, TaskInput, TaskOutput, TaskType } from "./task-types.ts";
import { transport, type TransportOptions } from "./transport.ts";
import { waitForTask, type WaitOptions } from "./wait.ts";

export interface SubmitOptions {
  /** Seconds to wait before running. */
  countdown?: number;
  /** When to run (at most 30 days ahead). */
  eta?: Date | string;
  priority?: Priority;
  /** Same key, same task: a retried submit starts nothing twice. */
  idempotencyKey?: string;
  /** POSTed the outcome, HMAC-signed. */
  callbackUrl?: string;
  /** Charge one unit of this user's daily quota. */
  userId?: string;
}

export type ClientOptions = TransportOptions;
export type TaskListFilter = Omit<z.input<typeof listQuery>, "limit"> & { limit?: number };
export type GroupSpec = z.input<typeof groupSpec>;
export type NewSchedule = z.input<typeof createScheduleBody>;
export type ScheduleChange = z.input<typeof patchScheduleBody>;
/** What wait() and result() give for an id: the output of its task type when the id remembers it. */
export type OutputOf<I> = I extends TaskId<infer T> ? ([T] extends [TaskType] ? TaskOutput<T> : unknown) : unknown;
export type Submitted<T extends TaskType> = Omit<TaskAccepted, "task_id"> & { task_id: TaskId<T> };
export type Whoami = z.output<typeof whoami>;
export type Overview = z.output<typeof overview>;
export type TaskDetail = z.output<typeof taskDetail>;

const enc = encodeURIComponent;

/** "?status=FAILURE&limit=5", or "" for no filter. */
function queryOf(filter: TaskListFilter): string {
  const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined).map(([k, v]): [string, string] => [k, String(v)]));
  return query.size ? `?${query}` : "";
}

export function createClient(options: ClientOptions) {
  const call = transport(options);

  async function submitAny(type: string, payload: unknown, opts: SubmitOptions = {}): Promise<TaskAccepted> {
    const body = {
      type,
      payload,
      ...(opts.countdown !== undefined ? { countdown: opts.countdown } : {}),
      ...(opts.eta !== undefined ? { eta: opts.eta instanceof Date ? opts.eta.toISOString() : opts.eta } : {}),
      ...(opts.priority ? { priority: opts.priority } : {}),
      ...(opts.idempotencyKey ? { idempotency_key: opts.idempotencyKey } : {}),
      ...(opts.callbackUrl ? { callback_url: opts.callbackUrl } : {}),
      ...(opts.userId ? { user_id: opts.userId } : {}),
    };
    return (await call<TaskAccepted>("POST", "/v1/tasks", body)).body;
  }

  const status = async (id: string): Promise<TaskView> => (await call<TaskView>("GET", `/v1/tasks/${enc(id)}`)).body;

  const client = {
    /** Submits a task; the type and its input are checked against the registry. */
    submit: <T extends TaskType>(type: T, input: TaskInput<T>, opts?: SubmitOptions) => submitAny(type, input, opts) as Promise<Submitted<T>>,
    /** Submits a task named at run time (e.g. testing.* where TESTING_TASKS is on); the API checks the payload. */
    submitAny,
    status,
    /** The output if the task succeeded, or null while it has not finished; throws TaskPlatformError 409 once it failed or was revoked. */
    async result<I extends string>(id: I): Promise<{ done: true; result: OutputOf<I> } | { done: false; task: TaskView }> {
      const answer = await call<{ result: OutputOf<I> } & TaskView>("GET", `/v1/tasks/${enc(id)}/result`);
      return answer.status === 200 ? { done: true, result: answer.body.result } : { done: false, task: answer.body };
    },
    /** Polls until the task ends: its output on SUCCESS, TaskFailedError on FAILURE or REVOKED. */
    async wait<I extends string>(id: I, opts: WaitOptions = {}): Promise<OutputOf<I>> {
      await waitForTask(status, id, opts);
      return (await call<{ result: OutputOf<I> }>("GET", `/v1/tasks/${enc(id)}/result`)).body.result;
    },
    list: async (filter: TaskListFilter = {}) => (await call<TaskList>("GET", `/v1/tasks${queryOf(filter)}`)).body,
    /** A task with its stored payload and result (fields its type marks sensitive masked), error, attempts and group. */
    detail: async (id: string) => (await call<TaskDetail>("GET", `/v1/tasks/${enc(id)}/detail`)).body,
    /** What the console shows, in one call: queues with their counts, a page of tasks (as list's filter), workers, schedules. */
    overview: async (filter: TaskListFilter = {}) => (await call<Overview>("GET", `/v1/overview${queryOf(filter)}`)).body,
    /** The calling key: its name, tenant and scopes. */
    whoami: async () => (await call<Whoami>("GET", "/v1/whoami")).body,
    /** Revokes a queued task; a running one only with terminate (its handler's signal aborts). */
    cancel: async (id: string, opts: { terminate?: boolean } = {}) =>
      (await call<TaskCancelled>("POST", `/v1/tasks/${enc(id)}/cancel`, opts.terminate ? { terminate: true } : {})).body,
    /** Runs a FAILURE again. */
    retry: async (id: string) => (await call<TaskAccepted>("POST", `/v1/tasks/${enc(id)}/retry`)).body,

    queues: {
      list: async () => (await call<{ queues: QueueView[] }>("GET", "/v1/queues")).body.queues,
      pause: async (name: string) => (await call<{ name: string; state: "PAUSED" }>("POST", `/v1/queues/${enc(name)}/pause`)).body,
      resume: async (name: string) => (await call<{ name: string; state: "RUNNING" }>("POST", `/v1/queues/${enc(name)}/resume`)).body,
    },
    groups: {
      submit: async (spec: GroupSpec) => (await call<GroupAccepted>("POST", "/v1/groups", spec)).body,
      get: async (id: string, opts: { offset?: number; results?: boolean } = {}) => {
        const query = new URLSearchParams({ ...(opts.offset ? { offset: String(opts.offset) } : {}), ...(opts.results ? { results: "true" } : {}) });
        return (await call<GroupView>("GET", `/v1/groups/${enc(id)}${query.size ? `?${query}` : ""}`)).body;
      },
      cancel: async (id: string) => (await call<GroupCancelled>("POST", `/v1/groups/${enc(id)}/cancel`)).body,
    },
    schedules: {
      list: async () => (await call<{ schedules: ScheduleView[] }>("GET", "/v1/schedules")).body.schedules,
      create: async (schedule: NewSchedule) => (await call<ScheduleView>("POST", "/v1/schedules", schedule)).body,
      update: async (name: string, change: ScheduleChange) => (await call<ScheduleView>("PATCH", `/v1/schedules/${enc(name)}`, change)).body,
      delete: async (name: string) => (await call<{ name: string; deleted: true }>("DELETE", `/v1/schedules/${enc(name)}`)).body,
      pause: async (name: string) => (await call<ScheduleView>("POST", `/v1/schedules/${enc(name)}/pause`)).body,
      resume: async (name: string) => (await call<ScheduleView>("POST", `/v1/schedules/${enc(name)}/resume`)).body,
      /** Runs it now: one task per call. */
      trigger: async (name: string) => (await call<ScheduleTriggered>("POST", `/v1/schedules/${enc(name)}/trigger`, {})).body,
    },
    events: {
      /** Publishes a domain event; the same idempotency key publishes once. */
      publish: async <E extends EventType>(type: E, data: EventData<E>, opts: { idempotencyKey?: string } = {}) =>
        (await call<EventPublished>("POST", `/v1/events/${enc(type)}`, data, opts.idempotencyKey ? { "Idempotency-Key": opts.idempotencyKey } : {})).body,
    },
  };
  return client;
}

export type TaskPlatformClient = ReturnType<typeof createClient>;
