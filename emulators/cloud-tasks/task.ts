// A task as the emulator keeps it: built from CreateTask with the checks the service makes, shown
// back in the BASIC or FULL view, and the headers each attempt carries.
import { randomBytes } from "node:crypto";
import { validateHeaderName, validateHeaderValue } from "node:http";
import type { protos } from "@google-cloud/tasks";
import { status } from "@grpc/grpc-js";
import { fromMs, invalidArgument, RpcError, toMs } from "../google-common.ts";

type ITask = protos.google.cloud.tasks.v2.ITask;

export interface AttemptRecord { scheduleMs: number; dispatchMs: number; responseMs?: number; status?: { code: number; message: string } }

export interface TaskRecord {
  name: string;
  id: string;
  queueId: string;
  /** Created with a caller-chosen name: only those are de-duplicated after they end. */
  named: boolean;
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Buffer;
  oidcToken?: { serviceAccountEmail: string; audience: string };
  oauthToken?: { serviceAccountEmail: string; scope: string };
  createMs: number;
  scheduleMs: number;
  dispatchDeadlineMs: number;
  dispatchCount: number;
  responseCount: number;
  /** Responses other than 5xx: what X-CloudTasks-TaskExecutionCount reports. */
  executionCount: number;
  firstDispatchMs?: number;
  lastAttempt?: AttemptRecord;
  /** HTTP status of the last finished attempt (504 after a deadline), for X-CloudTasks-TaskPreviousResponse. */
  previousResponse?: number;
  /** Bumped each time the task is queued, so stale heap entries are skipped. */
  generation: number;
  /** Deleted, purged, succeeded or out of attempts. */
  gone: boolean;
}

const MINUTE_MS = 60_000;
export const DEADLINE_RANGE_MS = [15_000, 30 * MINUTE_MS] as const;
const MAX_SCHEDULE_AHEAD_MS = 30 * 24 * 60 * MINUTE_MS;
const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);
/** "Ignored or replaced" (HttpRequest.headers): X-CloudTasks-* are the service's own, the rest it computes or reserves. */
const REPLACED_HEADER = /^(host|content-length|user-agent|x-cloudtasks-.*|x-google-.*|x-appengine-.*)$/i;

const TASK_ID = /^[A-Za-z0-9_-]{1,500}$/;
const TASK_NAME = /^(projects\/[A-Za-z0-9\-:.]+\/locations\/[A-Za-z0-9-]+\/queues\/[^/]+)\/tasks\/([^/]*)$/;

/** Checks `projects/P/locations/L/queues/Q/tasks/T`; returns the queue's name and the task id. */
export function parseTaskName(name: string | null | undefined): { queue: string; id: string } {
  const match = TASK_NAME.exec(name ?? "");
  if (!match) throw invalidArgument('Task name must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>/queues/<QUEUE_ID>/tasks/<TASK_ID>".');
  const [, queue = "", id = ""] = match;
  if (!TASK_ID.test(id)) {
    throw invalidArgument(`Task ID "${id}" can contain only letters ([A-Za-z]), numbers ([0-9]), hyphens (-), or underscores (_). Task ID must between 1 and 500 characters.`);
  }
  return { queue, id };
}

function taskHeaders(given: Record<string, string> | null | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  let bytes = 0;
  for (const [key, value] of Object.entries(given ?? {})) {
    try {
      validateHeaderName(key);
      validateHeaderValue(key, value);
    } catch {
      throw invalidArgument(`Invalid HTTP header: "${key}".`);
    }
    bytes += key.length + value.length;
    if (!REPLACED_HEADER.test(key)) headers[key] = value;
  }
  if (bytes >= 80 * 1024) throw invalidArgument("The size of the headers must be less than 80KB.");
  // The stored task shows the User-Agent the dispatch will carry, as the real service does.
  headers["User-Agent"] = "Google-Cloud-Tasks";
  return headers;
}

/**
 * Validates CreateTask's task for the queue `queueName` and builds the record. `minDeadlineMs` is
 * the service's 15 s unless the emulator was started with a shorter one for fast tests.
 */
export function newTaskRecord(queueName: string, task: ITask | null | undefined, nowMs: number, minDeadlineMs: number): TaskRecord {
  if (!task) throw invalidArgument("Task is required.");
  let id: string;
  if (task.name) {
    const parsed = parseTaskName(task.name);
    if (parsed.queue !== queueName) {
      throw invalidArgument(`The queue name from request ('${queueName}') must be the same as the queue name in the named task ('${parsed.queue}').`);
    }
    id = parsed.id;
  } else {
    // Like the ids Cloud Tasks generates: a random unsigned 64-bit number in decimal.
    id = randomBytes(8).readBigUInt64BE().toString();
  }
  if (task.appEngineHttpRequest) throw new RpcError(status.UNIMPLEMENTED, "The emulator dispatches HTTP tasks (http_request) only.");
  const http = task.httpRequest;
  if (!http) throw invalidArgument("Task.http_request is required.");
  if (!http.url) throw invalidArgument("HttpRequest.url is required.");
  if (!/^https?:\/\//i.test(http.url)) throw invalidArgument("HttpTarget.url must start with 'http://' or 'https://'.");
  if (http.url.length > 2083) throw invalidArgument("HttpRequest.url must be at most 2083 characters.");
  const method = !http.httpMethod || http.httpMethod === "HTTP_METHOD_UNSPECIFIED" ? "POST" : String(http.httpMethod);
  const body = Buffer.from(http.body ?? []);
  if (body.length > 0 && !BODY_METHODS.has(method)) throw invalidArgument(`A request body is allowed only with POST, PUT or PATCH, not ${method}.`);
  const headers = taskHeaders(http.headers);
  if (body.length + http.url.length > 1024 * 1024) throw invalidArgument("Task size too large: the maximum is 1MB.");

  // "If schedule_time is not set or is in the past then Cloud Tasks will set it to the current time."
  const scheduleMs = Math.max(nowMs, task.scheduleTime ? toMs(task.scheduleTime) : nowMs);
  if (scheduleMs > nowMs + MAX_SCHEDULE_AHEAD_MS) throw invalidArgument("Task.schedule_time must be at most 30 days in the future.");
  const deadlineMs = task.dispatchDeadline ? toMs(task.dispatchDeadline) : 10 * MINUTE_MS;
  if (deadlineMs < minDeadlineMs || deadlineMs > DEADLINE_RANGE_MS[1]) {
    throw invalidArgument(`Task.dispatch_deadline must be in the interval [${minDeadlineMs / 1000} seconds, 30 minutes].`);
  }
  const record: TaskRecord = {
    name: `${queueName}/tasks/${id}`, id, queueId: queueName.slice(queueName.lastIndexOf("/") + 1), named: Boolean(task.name),
    url: http.url, method, headers, body,
    createMs: Math.floor(nowMs / 1000) * 1000, // "create_time will be truncated to the nearest second"
    scheduleMs, dispatchDeadlineMs: deadlineMs,
    dispatchCount: 0, responseCount: 0, executionCount: 0, generation: 0, gone: false,
  };
  const { oidcToken, oauthToken } = http;
  if (oidcToken) {
    if (!oidcToken.serviceAccountEmail) throw invalidArgument("OidcToken.service_account_email is required.");
    record.oidcToken = { serviceAccountEmail: oidcToken.serviceAccountEmail, audience: oidcToken.audience ?? "" };
  } else if (oauthToken) {
    if (!oauthToken.serviceAccountEmail) throw invalidArgument("OAuthToken.service_account_email is required.");
    record.oauthToken = { serviceAccountEmail: oauthToken.serviceAccountEmail, scope: oauthToken.scope ?? "" };
  }
  return record;
}

/** The task as the API shows it; BASIC (the default) leaves the body out. */
export function taskMessage(task: TaskRecord, requested: unknown) {
  const view = requested === "FULL" ? "FULL" : "BASIC";
  const attempt = task.lastAttempt;
  return {
    name: task.name,
    httpRequest: {
      url: task.url, httpMethod: task.method, headers: task.headers,
      ...(view === "FULL" && { body: task.body }),
      ...(task.oidcToken && { oidcToken: task.oidcToken }),
      ...(task.oauthToken && { oauthToken: task.oauthToken }),
    },
    scheduleTime: fromMs(task.scheduleMs),
    createTime: fromMs(task.createMs),
    dispatchDeadline: fromMs(task.dispatchDeadlineMs),
    dispatchCount: task.dispatchCount,
    responseCount: task.responseCount,
    // "Only dispatch_time will be set" on the first attempt.
    ...(task.firstDispatchMs !== undefined && { firstAttempt: { dispatchTime: fromMs(task.firstDispatchMs) } }),
    ...(attempt && {
      lastAttempt: {
        scheduleTime: fromMs(attempt.scheduleMs), dispatchTime: fromMs(attempt.dispatchMs),
        ...(attempt.responseMs !== undefined && { responseTime: fromMs(attempt.responseMs) }),
        ...(attempt.status && { responseStatus: { ...attempt.status, details: [] } }),
      },
    }),
    view,
  };
}

/**
 * The headers of the attempt just counted in `task.dispatchCount`: the task's own, then the ones
 * Cloud Tasks adds, with the values the real service sends (captured from it by
 * aertje/cloud-tasks-emulator, conformance/golden/dispatch.json).
 */
export function dispatchHeaders(task: TaskRecord, authorization: string | undefined): Record<string, string> {
  const added: Record<string, string> = {
    "User-Agent": "Google-Cloud-Tasks",
    "X-CloudTasks-QueueName": task.queueId,
    "X-CloudTasks-TaskName": task.id,
    "X-CloudTasks-TaskRetryCount": String(task.dispatchCount - 1), // attempts before this one
    "X-CloudTasks-TaskExecutionCount": String(task.executionCount), // responses before this one, 5xx excluded
    "X-CloudTasks-TaskETA": ((task.lastAttempt?.scheduleMs ?? task.scheduleMs) / 1000).toFixed(6),
    ...(task.previousResponse !== undefined && {
      "X-CloudTasks-TaskPreviousResponse": String(task.previousResponse),
      "X-CloudTasks-TaskRetryReason": "", // empty for HTTP targets on the real service
    }),
    ...(authorization && { Authorization: authorization }),
  };
  // Header names are case-insensitive: an added header replaces the task's own spelling of it.
  const replaced = new Set(Object.keys(added).map((key) => key.toLowerCase()));
  return { ...Object.fromEntries(Object.entries(task.headers).filter(([key]) => !replaced.has(key.toLowerCase()))), ...added };
}
