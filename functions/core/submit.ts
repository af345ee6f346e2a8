// Submitting a task: validate, write the record (PENDING or SCHEDULED), then hand
// it to Cloud Tasks. Redis first, so a Redis outage enqueues nothing; a Cloud
// Tasks failure removes the record again, so nothing is half-written.
import { randomUUID } from "node:crypto";
import { encodeEnvelope } from "./envelope.ts";
import { SubmissionError, fieldIssues } from "./submission-error.ts";
import { effectiveRetry, type Registry } from "./registry.ts";
import { transportQueueName, type Priority } from "./queues.ts";
import type { FieldCipher } from "./sensitive-fields.ts";
import type { Logger, Ports, TaskQueue, TaskStore } from "./ports.ts";
import type { TaskStatus } from "./states.ts";
import type { AnyTaskDefinition } from "./define-task.ts";
import { vetCallbackUrl, type OutboundUrlPolicy } from "./outbound-url-policy.ts";

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
  /** Scoped by the caller: the same key from two API keys is two tasks. */
  idempotencyKey?: string;
  callbackUrl?: string;
  groupId?: string;
  groupIndex?: number;
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
  /** What tasks with a `prepare` step reach (blobs, …); getters, built on first use. */
  ports?: Ports;
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
  const priority = request.priority ?? "normal";
  const id = randomUUID();
  const payload = task.prepare ? await prepareInput(deps, task, parsed.data, id) : request.payload;
  // The Cloud Task carries the payload as submitted, or as prepared (validated again at execution).
  const body = encodeEnvelope({ v: 1, id, type: task.name, payload });
  if (Buffer.byteLength(body) > deps.maxTaskBytes) {
    throw new SubmissionError("payload_too_large", `the task body is ${Buffer.byteLength(body)} bytes; the limit is ${deps.maxTaskBytes}`, {
      limit_bytes: deps.maxTaskBytes,
    });
  }
  const record = {
    id,
    type: task.name,
    queue: queue.name,
    priority,
    status: eta ? ("SCHEDULED" as const) : ("PENDING" as const),
    createdAt: now,
    ...(eta ? { eta } : {}),
    maxAttempts: effectiveRetry(task, queue).maxAttempts,
    resultTtlSeconds: task.resultTtlSeconds,
    cloudTask: id,
    payload: JSON.stringify(deps.cipher.seal(payload, task.sensitive.input)),
    ...(request.callbackUrl ? { callbackUrl: request.callbackUrl } : {}),
    ...(request.groupId ? { groupId: request.groupId, groupIndex: request.groupIndex ?? 0 } : {}),
  };
  const outcome = await deps.store.create(record, request.idempotencyKey);
  if (!outcome.created) {
    const existing = outcome.existing;
    // The first submit may have died between Redis and Cloud Tasks: enqueueing the
    // same name again is harmless (Cloud Tasks answers ALREADY_EXISTS).
    if (existing.status === "PENDING" || existing.status === "SCHEDULED") {
      const payload = await deps.store.detail(existing.id);
      if (payload?.payload) {
        await deps.queue.enqueue({
          queue: transportQueueName(queue, existing.priority),
          name: existing.cloudTask,
          body: encodeEnvelope({ v: 1, id: existing.id, type: existing.type, payload: deps.cipher.open(JSON.parse(payload.payload)) }),
          ...(existing.eta ? { scheduleTime: existing.eta } : {}),
          dispatchDeadlineSeconds: dispatchDeadline(task),
          worker: queue.worker,
        });
      }
    }
    return { taskId: existing.id, status: existing.status, created: false };
  }
  try {
    await deps.queue.enqueue({
      queue: transportQueueName(queue, priority),
      name: id,
      body,
      ...(eta ? { scheduleTime: eta } : {}),
      dispatchDeadlineSeconds: dispatchDeadline(task),
      worker: queue.worker,
    });
  } catch (error) {
    await deps.store.remove(id, queue.name, request.idempotencyKey).catch((removeError: unknown) => {
      deps.log.error({ err: removeError, taskId: id }, "could not remove the record of a task that was not enqueued");
    });
    throw error;
  }
  return { taskId: id, status: record.status, created: true };
}

/** Runs a task's submit-time step; what it returns must still pass the task's schema. */
async function prepareInput(deps: SubmitDeps, task: AnyTaskDefinition, input: unknown, id: string): Promise<unknown> {
  if (!deps.ports) throw new Error(`task ${task.name} has a prepare step, but submit was given no ports`);
  const own = { taskId: id, log: deps.log.child({ taskId: id, type: task.name }) };
  const prepared = await task.prepare!(input, Object.assign(Object.create(deps.ports) as Ports, own));
  const check = task.input.safeParse(prepared);
  if (!check.success) {
    throw new Error(`task ${task.name}: prepare returned a payload its own schema refuses: ${check.error.message}`);
  }
  return prepared;
}

/** Cloud Tasks waits this long for the worker: the hard limit and a margin, within its 30-minute cap. */
export function dispatchDeadline(task: AnyTaskDefinition): number {
  return Math.min(1800, Math.max(15, task.timeLimit.hardSeconds + 30));
}
