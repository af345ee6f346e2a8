// /v1/tasks: submit, status, result, cancel, retry, list.
import { z } from "zod";
import { ApiError, jsonBody, sendJson } from "../../http/json.ts";
import { presentTask, taskLinks } from "../present.ts";
import { Priority, transportQueueName } from "../../core/queues.ts";
import { isFinal, TaskStatus } from "../../core/states.ts";
import { fieldIssues } from "../../core/errors.ts";
import { redriveTask } from "../../core/redrive.ts";
import { publicError, type TaskSummary } from "../../core/task-record.ts";
import type { SubmitRequest } from "../../core/submit.ts";
import { requestFingerprint } from "../fingerprint.ts";
import { sees, tenantParam, tenantQuery, visibleTenants, type Caller } from "../tenancy.ts";
import { submitCharged } from "../quota-submit.ts";
import type { ApiDeps } from "../deps.ts";
import type { ListFilter } from "../../core/ports.ts";
import type { Route, RouteContext } from "../router.ts";
import { taskAccepted, taskCancelled, taskList, taskResult, taskView } from "../answers.ts";

export const submitBody = z.strictObject({
  type: z.string().min(1).describe("task type, e.g. notify.system"),
  payload: z.unknown().optional().describe("the task's input, validated against its schema"),
  countdown: z.number().min(0).optional().describe("seconds to wait before running"),
  eta: z.iso.datetime({ offset: true }).optional().describe("when to run (ISO 8601); at most 30 days ahead"),
  priority: z.enum(Priority).optional(),
  idempotency_key: z.string().min(1).max(256).optional().describe("same key, same task (also the Idempotency-Key header)"),
  callback_url: z.url({ protocol: /^https?$/ }).optional().describe("POSTed the outcome, HMAC-signed"),
  user_id: z.string().min(1).max(200).optional().describe("charge one unit of this user's daily quota (429 over_quota when used up)"),
});

const cancelBody = z.strictObject({ terminate: z.boolean().optional() }).optional();

export const listQuery = z.strictObject({
  status: z.enum(TaskStatus).optional(),
  queue: z.string().optional(),
  type: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(100).optional(),
  tenant: tenantParam,
});

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix = ""): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const fields = fieldIssues(parsed.error.issues, prefix);
    throw new ApiError(400, "validation_failed", fields.map((f) => `${f.path || "body"}: ${f.message}`).join("; "), { fields });
  }
  return parsed.data;
}

/** A list's query (GET /v1/tasks, the console's overview): validated, and narrowed to the tenants the caller may see. */
export function listRequest(deps: Pick<ApiDeps, "registry">, ctx: RouteContext): { filter: ListFilter; limit: number; cursor?: string } {
  const tenants = visibleTenants(callerOf(ctx), ctx.query);
  const q = parseOrThrow(listQuery, Object.fromEntries(ctx.query));
  if (q.queue && !deps.registry.queues.has(q.queue)) {
    throw new ApiError(400, "validation_failed", `unknown queue "${q.queue}"`, { known_queues: [...deps.registry.queues.keys()] });
  }
  if (q.type && !deps.registry.task(q.type)) {
    // Listing by an internal type is fine: its records are the caller's own (e.g. platform.callback).
    throw new ApiError(400, "unknown_type", `unknown task type "${q.type}"`, { known_types: deps.registry.taskTypes() });
  }
  return {
    filter: { tenants, ...(q.status ? { status: q.status } : {}), ...(q.queue ? { queue: q.queue } : {}), ...(q.type ? { type: q.type } : {}) },
    limit: q.limit,
    ...(q.cursor ? { cursor: q.cursor } : {}),
  };
}

/** The caller a route with a scope always has. */
export function callerOf(ctx: Pick<RouteContext, "caller">): Caller {
  if (!ctx.caller) throw new Error("a route with a scope ran without a caller");
  return ctx.caller;
}

export function taskRoutes(deps: ApiDeps): Route[] {
  return [submitTask(deps), listTasks(deps), getTask(deps), getTaskResult(deps), cancelTask(deps), retryTask(deps)];
}

// Another tenant's task is as absent as one that never existed.
const notFound = (id: string) => new ApiError(404, "not_found", `no task ${id} (unknown, or its result expired)`);

/** The task a route names, if the caller may see it; a status read counts the caller's rate limit with it (ctx.rate). */
async function visibleTask(deps: ApiDeps, ctx: RouteContext, id: string): Promise<TaskSummary> {
  const task = await deps.store.summary(id, ctx.rate);
  if (!task || !sees(callerOf(ctx), ctx.query, task.tenant)) throw notFound(id);
  return task;
}

/** What a submit body asks for, as core's submit takes it: the key from the body or the Idempotency-Key header. */
function submitRequestOf(ctx: RouteContext, body: z.output<typeof submitBody>): SubmitRequest {
  const header = ctx.req.headers["idempotency-key"];
  const idempotencyKey = body.idempotency_key ?? (typeof header === "string" && header ? header : undefined);
  const { idempotency_key: _key, ...rest } = body;
  return {
    type: body.type,
    tenant: callerOf(ctx).tenant,
    payload: body.payload ?? {},
    ...(body.countdown !== undefined ? { countdownSeconds: body.countdown } : {}),
    ...(body.eta ? { eta: new Date(body.eta) } : {}),
    ...(body.priority ? { priority: body.priority } : {}),
    ...(idempotencyKey ? { idempotencyKey, idempotencyScope: "tasks", requestFingerprint: requestFingerprint(rest) } : {}),
    ...(body.callback_url ? { callbackUrl: body.callback_url } : {}),
  };
}

function submitTask(deps: ApiDeps): Route {
  return {
    method: "POST", path: "/v1/tasks", scope: "submit", countsRate: true, summary: "Submit a task", operationId: "submitTask",
    doc: {
      body: submitBody, responses: { 202: taskAccepted }, errors: [409],
      headers: [{ name: "Idempotency-Key", description: "same key, same task (or idempotency_key in the body)" }],
    },
    async handle(ctx) {
      const body = parseOrThrow(submitBody, jsonBody(ctx.req) ?? {});
      const request = submitRequestOf(ctx, body);
      const rate = ctx.rate;
      // A charged submit counts the rate limit on its own, before the quota unit is taken; a plain one in its write.
      const submitted = body.user_id
        ? await submitCharged({
          registry: deps.registry, quota: deps.userQuota(), submit: deps.submit, log: deps.log,
          ...(rate ? { countRate: () => deps.rateLimiter().charge(rate) } : {}),
        }, request, body.user_id)
        : await deps.submit({ ...request, ...(rate ? { rate } : {}) });
      sendJson(ctx.res, 202, { task_id: submitted.taskId, status: submitted.status, ...taskLinks(deps.publicBaseUrl, submitted.taskId) }, {
        ...(submitted.created ? {} : { "Idempotent-Replayed": "true" }),
      });
    },
  };
}

function listTasks(deps: ApiDeps): Route {
  return {
    method: "GET", path: "/v1/tasks", scope: "read", summary: "List tasks by status, queue, type", operationId: "listTasks",
    doc: { query: listQuery, responses: { 200: taskList } },
    async handle(ctx) {
      const { filter, limit, cursor } = listRequest(deps, ctx);
      const page = await deps.store.list(filter, limit, cursor);
      sendJson(ctx.res, 200, { tasks: page.tasks.map(presentTask), next_cursor: page.nextCursor });
    },
  };
}

function getTask(deps: ApiDeps): Route {
  return {
    method: "GET", path: "/v1/tasks/{id}", scope: "read", countsRate: true, summary: "Status and progress of a task", operationId: "getTask",
    doc: { query: tenantQuery, responses: { 200: taskView } },
    async handle(ctx) {
      sendJson(ctx.res, 200, presentTask(await visibleTask(deps, ctx, ctx.params.id!)));
    },
  };
}

function getTaskResult(deps: ApiDeps): Route {
  return {
    method: "GET", path: "/v1/tasks/{id}/result", scope: "read", summary: "Result of a task (202 while not finished)", operationId: "getTaskResult",
    doc: { query: tenantQuery, responses: { 200: taskResult, 202: taskView }, errors: [409] },
    async handle(ctx) {
      const { res, params } = ctx;
      const task = await deps.store.detail(params.id!);
      if (!task || !sees(callerOf(ctx), ctx.query, task.tenant)) throw notFound(params.id!);
      if (task.status === "SUCCESS") {
        const result = task.result ? deps.cipher.open(JSON.parse(task.result)) : null;
        sendJson(res, 200, { task_id: task.id, status: task.status, result });
      } else if (isFinal(task.status)) {
        throw new ApiError(409, "conflict", `task ${task.id} ended ${task.status}: ${task.error?.message ?? ""}`.trim(), {
          task_id: task.id, status: task.status, error: task.error ? publicError(task.error) : null,
        });
      } else {
        sendJson(res, 202, presentTask(task), { "Retry-After": "1" });
      }
    },
  };
}

function cancelTask(deps: ApiDeps): Route {
  return {
    method: "POST", path: "/v1/tasks/{id}/cancel", scope: "submit", summary: "Revoke a queued task, or signal a running one ({terminate: true})", operationId: "cancelTask",
    doc: { query: tenantQuery, body: cancelBody, responses: { 200: taskCancelled, 202: taskCancelled }, errors: [409] },
    async handle(ctx) {
      const { req, res, params } = ctx;
      const body = parseOrThrow(cancelBody, jsonBody(req));
      const task = await visibleTask(deps, ctx, params.id!);
      const outcome = await deps.store.revoke(task.id, body?.terminate ?? false, deps.registry.task(task.type)?.resultTtlSeconds ?? 3600);
      switch (outcome.kind) {
        case "revoked": {
          const queue = deps.registry.queues.get(outcome.queue);
          // Best effort: a Cloud Task already dispatched finds the record REVOKED and is dropped.
          const deleted = queue ? await deps.queue.delete(transportQueueName(queue, outcome.priority), outcome.cloudTask).catch(() => false) : false;
          sendJson(res, 200, { task_id: task.id, status: "REVOKED", cloud_task_deleted: deleted });
          return;
        }
        case "signalled":
          sendJson(res, 202, { task_id: task.id, status: "STARTED", revoke: "requested", message: "the running handler's signal aborts; the task ends REVOKED" });
          return;
        case "running":
          throw new ApiError(409, "conflict", `task ${task.id} is running; send {"terminate": true} to abort it`, { status: "STARTED" });
        case "final":
          throw new ApiError(409, "conflict", `task ${task.id} already ended ${outcome.status}`, { status: outcome.status });
        case "missing":
          throw new ApiError(404, "not_found", `no task ${task.id}`);
      }
    },
  };
}

function retryTask(deps: ApiDeps): Route {
  return {
    method: "POST", path: "/v1/tasks/{id}/retry", scope: "submit", summary: "Run a FAILURE again (dead-letter redrive)", operationId: "retryTask",
    doc: { query: tenantQuery, responses: { 202: taskAccepted }, errors: [409] },
    async handle(ctx) {
      const { res, params } = ctx;
      const summary = await visibleTask(deps, ctx, params.id!);
      const outcome = await redriveTask(deps, summary);
      if (outcome.kind === "unknown_type") throw new ApiError(409, "conflict", `task type "${summary.type}" is not deployed any more`);
      if (outcome.kind === "not_failed") {
        throw new ApiError(409, "conflict", `only a FAILURE can be retried; task ${summary.id} is ${outcome.status ?? "gone"}`, { status: outcome.status });
      }
      sendJson(res, 202, { task_id: summary.id, status: "PENDING", ...taskLinks(deps.publicBaseUrl, summary.id) });
    },
  };
}

export type { RouteContext };
