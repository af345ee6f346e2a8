// A task as the emulator keeps it, built from a CreateTask request with the
// checks the service makes, and shown back in the BASIC or FULL view.
import { validateHeaderName, validateHeaderValue } from "node:http";
import { status } from "@grpc/grpc-js";
import { generateTaskId, parseTaskName, type QueueName } from "./names.ts";
import { invalidArgument, RpcError } from "./rpc-error.ts";
import {
  fromMs, toMs,
  type AttemptMessage, type HttpMethod, type RpcStatusMessage, type TaskMessage, type TaskView,
} from "./wire.ts";

export interface AttemptRecord {
  scheduleMs: number;
  dispatchMs: number;
  responseMs?: number;
  status?: RpcStatusMessage;
}

export interface TaskRecord {
  name: string;
  id: string;
  queueId: string;
  /** Created with a caller-chosen name: only those are de-duplicated after they end. */
  named: boolean;
  url: string;
  method: Exclude<HttpMethod, "HTTP_METHOD_UNSPECIFIED">;
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
  /** HTTP status of the last finished attempt (504 after a deadline), for the retry headers. */
  previousResponse?: number;
  /** Bumped each time the task is queued or run, so stale heap entries are skipped. */
  generation: number;
  /** Deleted, purged, succeeded or out of retries. */
  gone: boolean;
}

const MINUTE_MS = 60_000;
const DEFAULT_DEADLINE_MS = 10 * MINUTE_MS;
const MAX_DEADLINE_MS = 30 * MINUTE_MS;
const MAX_SCHEDULE_AHEAD_MS = 30 * 24 * 60 * MINUTE_MS;
const MAX_URL_LENGTH = 2083;
const MAX_HEADERS_BYTES = 80 * 1024;
const MAX_TASK_BYTES = 1024 * 1024;
const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);
/** Headers the service computes or reserves ("will be ignored or replaced"). */
const REPLACED_HEADER = /^(host|content-length|user-agent|x-google-.*|x-appengine-.*)$/i;

function taskHeaders(given: Record<string, string> | undefined): Record<string, string> {
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
  if (bytes >= MAX_HEADERS_BYTES) throw invalidArgument("The size of the headers must be less than 80KB.");
  // The stored task shows the User-Agent the dispatch will carry, as the real service does.
  headers["User-Agent"] = "Google-Cloud-Tasks";
  return headers;
}

/** The caller's name for the task, checked against the queue, or a generated one. */
function taskIdentity(parent: QueueName, given: string | undefined): { id: string; name: string } {
  if (!given) {
    const id = generateTaskId();
    return { id, name: `${parent.name}/tasks/${id}` };
  }
  const parsed = parseTaskName(given);
  if (parsed.queue.name !== parent.name) {
    throw invalidArgument(
      `The queue name from request ('${parent.name}') must be the same as the queue name in the named task ('${parsed.queue.name}').`,
    );
  }
  return parsed;
}

/** Validates CreateTask's task for the queue `parent` and builds the record. */
export function newTaskRecord(parent: QueueName, task: TaskMessage | undefined, nowMs: number): TaskRecord {
  if (!task) throw invalidArgument("Task is required.");
  const { id, name } = taskIdentity(parent, task.name);
  if (task.app_engine_http_request) {
    throw new RpcError(status.UNIMPLEMENTED, "The emulator dispatches HTTP tasks (http_request) only.");
  }
  const http = task.http_request;
  if (!http) throw invalidArgument("Task.http_request is required.");
  if (!http.url) throw invalidArgument("HttpRequest.url is required.");
  if (!/^https?:\/\//i.test(http.url)) throw invalidArgument("HttpTarget.url must start with 'http://' or 'https://'.");
  if (http.url.length > MAX_URL_LENGTH) throw invalidArgument(`HttpRequest.url must be at most ${MAX_URL_LENGTH} characters.`);
  const method = !http.http_method || http.http_method === "HTTP_METHOD_UNSPECIFIED" ? "POST" : http.http_method;
  const body = http.body ?? Buffer.alloc(0);
  if (body.length > 0 && !BODY_METHODS.has(method)) {
    throw invalidArgument(`A request body is allowed only with POST, PUT or PATCH, not ${method}.`);
  }
  const headers = taskHeaders(http.headers);
  if (body.length + http.url.length > MAX_TASK_BYTES) throw invalidArgument("Task size too large: the maximum is 1MB.");

  // "If schedule_time is not set or is in the past then Cloud Tasks will set it to the current time."
  const scheduleMs = Math.max(nowMs, task.schedule_time ? toMs(task.schedule_time) : nowMs);
  if (scheduleMs > nowMs + MAX_SCHEDULE_AHEAD_MS) {
    throw invalidArgument("Task.schedule_time must be at most 30 days in the future.");
  }
  // The service wants [15 s, 30 min]; shorter deadlines are allowed here so
  // tests can exercise the deadline without waiting for it.
  const deadlineMs = task.dispatch_deadline ? toMs(task.dispatch_deadline) : 0;
  if (deadlineMs < 0 || deadlineMs > MAX_DEADLINE_MS) {
    throw invalidArgument("Task.dispatch_deadline must be in the interval [15 seconds, 30 minutes].");
  }

  const record: TaskRecord = {
    name, id, queueId: parent.id, named: Boolean(task.name),
    url: http.url, method, headers, body,
    createMs: Math.floor(nowMs / 1000) * 1000, // "create_time will be truncated to the nearest second"
    scheduleMs,
    dispatchDeadlineMs: deadlineMs || DEFAULT_DEADLINE_MS,
    dispatchCount: 0, responseCount: 0, executionCount: 0,
    generation: 0, gone: false,
  };
  if (http.oidc_token) {
    const email = http.oidc_token.service_account_email;
    if (!email) throw invalidArgument("OidcToken.service_account_email is required.");
    record.oidcToken = { serviceAccountEmail: email, audience: http.oidc_token.audience ?? "" };
  } else if (http.oauth_token) {
    const email = http.oauth_token.service_account_email;
    if (!email) throw invalidArgument("OAuthToken.service_account_email is required.");
    record.oauthToken = { serviceAccountEmail: email, scope: http.oauth_token.scope ?? "" };
  }
  return record;
}

function attemptMessage(attempt: AttemptRecord): AttemptMessage {
  return {
    schedule_time: fromMs(attempt.scheduleMs),
    dispatch_time: fromMs(attempt.dispatchMs),
    ...(attempt.responseMs !== undefined && { response_time: fromMs(attempt.responseMs) }),
    ...(attempt.status && { response_status: attempt.status }),
  };
}

/** The task as the API shows it; BASIC (the default) leaves the body out. */
export function taskMessage(task: TaskRecord, requested: TaskView | undefined): TaskMessage {
  const view = requested === "FULL" ? "FULL" : "BASIC";
  return {
    name: task.name,
    http_request: {
      url: task.url,
      http_method: task.method,
      headers: task.headers,
      ...(view === "FULL" && { body: task.body }),
      ...(task.oidcToken && {
        oidc_token: { service_account_email: task.oidcToken.serviceAccountEmail, audience: task.oidcToken.audience },
      }),
      ...(task.oauthToken && {
        oauth_token: { service_account_email: task.oauthToken.serviceAccountEmail, scope: task.oauthToken.scope },
      }),
    },
    schedule_time: fromMs(task.scheduleMs),
    create_time: fromMs(task.createMs),
    dispatch_deadline: fromMs(task.dispatchDeadlineMs),
    dispatch_count: task.dispatchCount,
    response_count: task.responseCount,
    // "Only dispatch_time will be set" on the first attempt.
    ...(task.firstDispatchMs !== undefined && { first_attempt: { dispatch_time: fromMs(task.firstDispatchMs) } }),
    ...(task.lastAttempt && { last_attempt: attemptMessage(task.lastAttempt) }),
    view,
  };
}
