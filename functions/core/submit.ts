// Submitting a task: validate, write the record (PENDING or SCHEDULED), then hand
// it to Cloud Tasks. Redis first, so a Redis outage enqueues nothing; a Cloud
// Tasks failure removes the record again, so nothing is half-written.
import { randomUUID } from "node:crypto";
import { encodeEnvelope } from "./envelope.ts";
import { SubmissionError, fieldIssues } from "./errors.ts";
import { effectiveRetry, type Registry } from "./registry.ts";
import { transportQueueName, type Priority } from "./queues.ts";
import type { FieldCipher } from "./sensitive-fields.ts";
import type { EnqueueRequest, IdempotencyKey, Logger, TaskQueue, TaskStore } from "./ports.ts";
import type { PortResolver } from "./port.ts";
import { SYSTEM_TENANT, type NewTask, type TaskSummary } from "./task-record.ts";
import type { TaskStatus } from "./states.ts";
import type { RateCharge } from "./rate-limit.ts";
import { contextFor, type AnyTaskDefinition } from "./define-task.ts";
import { vetCallbackUrl, type OutboundUrlPolicy } from "./outbound-url-policy.ts";
import { currentScope, traceparentOf } from "./trace-context.ts";

/** Who names the task type: a caller (internal and disabled testing types are unknown to it) or the platform itself. */
export const SubmitOrigin = ["caller", "platform"] as const;
export type SubmitOrigin = (typeof SubmitOrigin)[number];

export interface SubmitRequest {
  type: string;
  /** Default "caller": a new path that forgets to say fails closed. */
  origin?: SubmitOrigin;
  payload: unknown;
  countdownSeconds?: number;
  eta?: Date;
  priority?: Priority;
  /** Whose task it is. Default SYSTEM_TENANT (the platform's own). */
  tenant?: string;
  /** Scoped by tenant and idempotencyScope: the same key from two tenants, or on two routes, is two tasks. */
  idempotencyKey?: string;
  /** The route ("tasks", "events"…) or "platform" (the default) for keys the platform derives (chord:…, chain:…). */
  idempotencyScope?: string;
  /** Digest of the caller's request: the same key with another request is refused (idempotency_key_reused). */
  requestFingerprint?: string;
  callbackUrl?: string;
  groupId?: string;
  groupIndex?: number;
  /** The caller's rate limit, counted by the store's write (RateLimitedError over it, nothing written). */
  rate?: RateCharge;
}

export interface SubmitResult {
  taskId: string;
  status: TaskStatus;
  /** False when an idempotency key matched an existing task. */
  created: boolean;
}

export interface SubmitDeps {
  registry: Registry;
  store: TaskStore;
  queue: TaskQueue;
  cipher: FieldCipher;
  log: Logger;
  /** Largest Cloud Task body, bytes (Cloud Tasks caps a task at 1 MB). */
  maxTaskBytes: number;
  /** The adapters behind the ports a task's `prepare` step declared (blobs, …), built on first use. */
  ports?: PortResolver;
  /** Judges callback_url before anything is written; without it no callback_url is accepted. */
  outbound?: OutboundUrlPolicy;
  now?: () => number;
}

const MAX_ETA_MS = 30 * 24 * 3600 * 1000;
/** Clock skew tolerated for an eta "now". */
const ETA_SKEW_MS = 5_000;

export function resolveEta(request: Pick<SubmitRequest, "countdownSeconds" | "eta">, now: number): number | undefined {
  if (request.countdownSeconds !== undefined && request.eta !== undefined) {
    throw new SubmissionError("invalid_schedule", "give countdown or eta, not both", { field: "countdown" });
  }
  let eta: number | undefined;
  if (request.countdownSeconds !== undefined) {
    if (!Number.isFinite(request.countdownSeconds) || request.countdownSeconds < 0) {
      throw new SubmissionError("invalid_schedule", "countdown must be a number of seconds, 0 or more", { field: "countdown" });
    }
    eta = now + request.countdownSeconds * 1000;
  } else if (request.eta !== undefined) {
    eta = request.eta.getTime();
    if (Number.isNaN(eta)) throw new SubmissionError("invalid_schedule", "eta is not a valid date", { field: "eta" });
    if (eta < now - ETA_SKEW_MS) {
      throw new SubmissionError("invalid_schedule", `eta ${request.eta.toISOString()} is in the past`, { field: "eta" });
    }
  }
  if (eta !== undefined && eta - now > MAX_ETA_MS) {
    throw new SubmissionError("invalid_schedule", "eta is more than 30 days ahead (the Cloud Tasks limit)", {
      field: request.eta ? "eta" : "countdown",
    });
  }
  return eta !== undefined && eta > now + 1000 ? eta : undefined;
}

/** The task a submit names; internal (and disabled testing) types are as unknown to callers as a typo. */
export function lookupTask(registry: Registry, type: string, origin: SubmitOrigin = "caller"): AnyTaskDefinition {
  const task = origin === "platform" ? registry.task(type) : registry.callerTask(type);
  if (!task) {
    throw new SubmissionError("unknown_type", `unknown task type "${type}"`, { known_types: registry.callerTaskTypes() });
  }
  return task;
}

export async function submitTask(deps: SubmitDeps, request: SubmitRequest): Promise<SubmitResult> {
  const now = (deps.now ?? Date.now)();
  const task = lookupTask(deps.registry, request.type, request.origin);
  const parsed = task.input.safeParse(request.payload);
  if (!parsed.success) {
    throw new SubmissionError("invalid_payload", `payload does not match ${task.name}`, {
      fields: fieldIssues(parsed.error.issues, "payload"),
    });
  }
  const eta = resolveEta(request, now);
  if (request.callbackUrl !== undefined) await vetCallbackUrl(deps.outbound, request.callbackUrl);
  const queue = deps.registry.queue(task.queue);
  const tenant = request.tenant ?? SYSTEM_TENANT;
  const id = randomUUID();
  // The record keeps the payload as submitted, or as prepared (validated again at execution).
  const payload = task.prepare ? await prepareInput(deps, task, parsed.data, id, tenant) : request.payload;
  const stored = JSON.stringify(deps.cipher.seal(payload, task.sensitive.input));
  if (Buffer.byteLength(stored) > deps.maxTaskBytes) {
    throw new SubmissionError("payload_too_large", `the payload is ${Buffer.byteLength(stored)} bytes stored; the limit is ${deps.maxTaskBytes}`, {
      limit_bytes: deps.maxTaskBytes,
    });
  }
  const record: NewTask = {
    id,
    tenant,
    type: task.name,
    queue: queue.name,
    priority: request.priority ?? "normal",
    status: eta ? "SCHEDULED" : "PENDING",
    createdAt: now,
    ...(eta ? { eta } : {}),
    maxAttempts: effectiveRetry(task, queue).maxAttempts,
    resultTtlSeconds: task.resultTtlSeconds,
    leaseMs: leaseMs(task),
    cloudTask: id,
    payload: stored,
    ...(request.callbackUrl ? { callbackUrl: request.callbackUrl } : {}),
    ...(request.groupId ? { groupId: request.groupId, groupIndex: request.groupIndex ?? 0 } : {}),
  };
  const idempotency = idempotencyOf(request);
  const outcome = await deps.store.create(record, idempotency, request.rate);
  if (!outcome.created) {
    const existing = outcome.existing;
    if (outcome.reused) {
      throw new SubmissionError("idempotency_key_reused", `idempotency key "${request.idempotencyKey}" was used for a different request (task ${existing.id})`, {
        task_id: existing.id,
      });
    }
    // The first submit may have died between Redis and Cloud Tasks: enqueueing the
    // same name again is harmless (Cloud Tasks answers ALREADY_EXISTS).
    if (existing.status === "PENDING" || existing.status === "SCHEDULED") await deps.queue.enqueue(cloudTaskFor(deps.registry, existing));
    return { taskId: existing.id, status: existing.status, created: false };
  }
  try {
    await deps.queue.enqueue(cloudTaskFor(deps.registry, record));
  } catch (error) {
    await deps.store.remove(record, idempotency).catch((removeError: unknown) => {
      deps.log.error({ err: removeError, taskId: id }, "could not remove the record of a task that was not enqueued");
    });
    throw error;
  }
  return { taskId: id, status: record.status, created: true };
}

function idempotencyOf(request: SubmitRequest): IdempotencyKey | undefined {
  if (!request.idempotencyKey) return undefined;
  return {
    scope: request.idempotencyScope ?? "platform",
    key: request.idempotencyKey,
    ...(request.requestFingerprint ? { fingerprint: request.requestFingerprint } : {}),
  };
}

/**
 * The Cloud Task that carries a task's next attempt: the one place its queue,
 * name, body, schedule and deadline are decided (submit, retry, redrive). It
 * carries the trace of the request or delivery that made it, so the worker's
 * lines join the submitter's trace.
 */
export function cloudTaskFor(
  registry: Registry,
  task: Pick<TaskSummary, "id" | "type" | "queue" | "priority" | "cloudTask" | "eta">,
  scheduleTime: number | undefined = task.eta,
): EnqueueRequest {
  const queue = registry.queue(task.queue);
  const definition = registry.task(task.type);
  const trace = currentScope()?.trace;
  return {
    queue: transportQueueName(queue, task.priority),
    name: task.cloudTask,
    body: encodeEnvelope(task.id),
    ...(scheduleTime ? { scheduleTime } : {}),
    dispatchDeadlineSeconds: definition ? dispatchDeadline(definition) : 60,
    worker: queue.worker,
    ...(trace ? { headers: { traceparent: traceparentOf(trace) } } : {}),
  };
}

/** Runs a task's submit-time step; what it returns must still pass the task's schema. */
async function prepareInput(deps: SubmitDeps, task: AnyTaskDefinition, input: unknown, id: string, tenant: string): Promise<unknown> {
  if (!deps.ports) throw new Error(`task ${task.name} has a prepare step, but submit was given no ports`);
  const own = { taskId: id, tenant, log: deps.log.child({ taskId: id, type: task.name }) };
  const prepared = await task.prepare!(input, contextFor(task, own, deps.ports));
  const check = task.input.safeParse(prepared);
  if (!check.success) {
    throw new Error(`task ${task.name}: prepare returned a payload its own schema refuses: ${check.error.message}`);
  }
  return prepared;
}

// Covers clock skew between instances and the finish write after the hard limit.
const LEASE_MARGIN_MS = 5_000;

/** How long a run holds its task: the hard limit (the executor ends the run there) and a margin. */
export const leaseMs = (task: AnyTaskDefinition): number => task.timeLimit.hardSeconds * 1000 + LEASE_MARGIN_MS;

/** Cloud Tasks waits this long for the worker: the hard limit and a margin, within its 30-minute cap. */
export function dispatchDeadline(task: AnyTaskDefinition): number {
  return Math.min(1800, Math.max(15, task.timeLimit.hardSeconds + 30));
}
