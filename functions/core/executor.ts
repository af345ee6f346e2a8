// The one wrapper every task runs through: parse the envelope, claim the task,
// run the handler under its limits, record progress and the outcome, decide
// retry or failure, and tell Cloud Tasks what to do with the delivery.
import { randomBytes } from "node:crypto";
import { taskEnvelope, encodeEnvelope } from "./envelope.ts";
import { backoffSeconds } from "./backoff.ts";
import { isNonRetryable } from "./non-retryable-error.ts";
import { isRetryAfter } from "./retry-after-error.ts";
import { isDependencyError } from "./dependency-error.ts";
import { effectiveRetry, type Registry } from "./registry.ts";
import { transportQueueName } from "./queues.ts";
import { dispatchDeadline, type SubmitRequest, type SubmitResult } from "./submit.ts";
import { ProgressWriter } from "./progress-writer.ts";
import { runUnderLimits, TaskRevoked } from "./run-handler.ts";
import type { FieldCipher } from "./sensitive-fields.ts";
import type { Logger, Outcome, Ports, TaskQueue, TaskStore, WorkerHeartbeat } from "./ports.ts";
import type { AnyTaskDefinition, TaskContext } from "./define-task.ts";
import type { GroupSpec } from "./group-spec.ts";
import type { TaskError } from "./task-record.ts";

export interface Delivery {
  /** The Cloud Task's short name (X-CloudTasks-TaskName). */
  cloudTask: string;
  /** X-CloudTasks-TaskRetryCount: deliveries of this Cloud Task before this one. */
  retryCount: number;
}

export interface DeliveryAnswer {
  /** 2xx acknowledges the delivery; anything else makes Cloud Tasks deliver it again. */
  status: number;
  body: Record<string, unknown>;
  retryAfterSeconds?: number;
}

/** Told of every final outcome (lifecycle events, callbacks, groups). */
export interface FinalEvent {
  taskId: string;
  type: string;
  queue: string;
  outcome: Exclude<Outcome, { status: "RETRY" }>;
  attempt: number;
  callbackUrl?: string;
}
export type OnFinal = (event: FinalEvent) => Promise<void>;

export interface GroupMemberEvent {
  groupId: string;
  index: number;
  taskId: string;
  outcome: Exclude<Outcome, { status: "RETRY" }>;
  done: number;
  total: number;
}
export type OnGroupMember = (event: GroupMemberEvent) => Promise<void>;

export interface ExecutorDeps {
  registry: Registry;
  store: TaskStore;
  queue: TaskQueue;
  cipher: FieldCipher;
  log: Logger;
  ports: Ports;
  submit: (request: SubmitRequest) => Promise<SubmitResult>;
  workerId: string;
  revision: string;
  onFinal?: OnFinal;
  /** Submits a group/chain/chord for ctx.enqueueGroup. */
  submitGroup?: (spec: GroupSpec, options: { idempotencyKey?: string }) => Promise<{ groupId: string; taskIds: string[] }>;
  /** Told when a group member reaches a final state, with the group's count after it. */
  onGroupMember?: OnGroupMember;
  /** How often a running task checks for a revoke. Default 1000 ms. */
  revokePollMs?: number;
  /** Longest a handler waits on one progress write. Default 1000 ms. */
  progressTimeoutMs?: number;
  /** How often the instance's heartbeat rides on a claim. Default 10 s. */
  heartbeatEveryMs?: number;
  now?: () => number;
}

/** The tenant of the platform's own tasks (schedules, events from outside publishers, maintenance). */
export const SYSTEM_TENANT = "_system";

// Covers clock skew between instances and the finish write after the hard limit.
const LEASE_MARGIN_MS = 5_000;

export function createExecutor(deps: ExecutorDeps) {
  const now = deps.now ?? Date.now;
  const running = new Set<string>();
  const startedAt = now();
  let lastHeartbeat = 0;

  function heartbeatIfDue(): WorkerHeartbeat | undefined {
    if (now() - lastHeartbeat < (deps.heartbeatEveryMs ?? 10_000)) return undefined;
    lastHeartbeat = now();
    return { instance: deps.workerId, lastSeen: lastHeartbeat, startedAt, running: [...running], revision: deps.revision };
  }

  async function deliver(rawBody: unknown, delivery: Delivery): Promise<DeliveryAnswer> {
    const envelope = taskEnvelope.safeParse(rawBody);
    if (!envelope.success) {
      // Retrying cannot fix a body no task can be found from: acknowledge and say so loudly.
      deps.log.error({ issues: envelope.error.issues, cloudTask: delivery.cloudTask }, "dropped a delivery with an invalid envelope");
      return { status: 200, body: { dropped: "invalid envelope" } };
    }
    const { id, type, payload } = envelope.data;
    const log = deps.log.child({ taskId: id, type });
    const runId = randomBytes(9).toString("base64url");
    const task = deps.registry.task(type);
    const leaseMs = ((task?.timeLimit.hardSeconds ?? 60) * 1000) + LEASE_MARGIN_MS;
    const heartbeat = heartbeatIfDue();
    const claim = await deps.store.claim(id, { cloudTask: delivery.cloudTask, runId, leaseMs, workerId: deps.workerId, ...(heartbeat ? { heartbeat } : {}) });
    switch (claim.kind) {
      case "missing":
      case "stale":
        log.warn({ claim: claim.kind, cloudTask: delivery.cloudTask }, "dropped a delivery that no longer owns the task");
        return { status: 200, body: { dropped: claim.kind } };
      case "final":
        return { status: 200, body: { dropped: "duplicate", status: claim.status } };
      case "busy": {
        const retryAfterSeconds = Math.max(1, Math.ceil((claim.leaseUntil - now()) / 1000));
        return { status: 503, body: { busy: true }, retryAfterSeconds };
      }
      case "claimed":
        break;
    }
    const finish = async (outcome: Outcome, ttl: number): Promise<DeliveryAnswer> => {
      const { owned, group } = await deps.store.finish(id, runId, task?.queue ?? "unknown", outcome, ttl, claim.group?.id);
      if (!owned) {
        log.warn({ status: outcome.status }, "a newer run or a revoke owns the task; outcome discarded");
        return { status: 200, body: { discarded: outcome.status } };
      }
      if (outcome.status !== "RETRY" && deps.onFinal) {
        const event: FinalEvent = { taskId: id, type, queue: task?.queue ?? "", outcome, attempt: claim.attempt, ...(claim.callbackUrl ? { callbackUrl: claim.callbackUrl } : {}) };
        await deps.onFinal(event).catch((error: unknown) =>
          log.error({ err: error }, "lifecycle hook failed"),
        );
      }
      if (outcome.status !== "RETRY" && group && claim.group && deps.onGroupMember) {
        // A failure here is answered 5xx: Cloud Tasks redelivers, the claim finds the task
        // final, and the member was counted once; the coordinator's own steps are idempotent.
        await deps.onGroupMember({ groupId: claim.group.id, index: claim.group.index, taskId: id, outcome, done: group.done, total: group.total });
      }
      return { status: 200, body: { status: outcome.status } };
    };
    if (!task) {
      return finish({ status: "FAILURE", error: { type: "UnknownTaskType", message: `no task "${type}" is deployed here` } }, 3600);
    }
    if (claim.attempt > effectiveRetry(task, deps.registry.queue(task.queue)).maxAttempts) {
      // Deliveries kept dying mid-run (a crashing worker): stop here instead of looping.
      return finish({ status: "FAILURE", error: { type: "WorkerLost", message: `attempt ${claim.attempt} exceeds the attempts allowed; earlier runs were lost` } }, task.resultTtlSeconds);
    }
    if (claim.revokeRequested) {
      return finish({ status: "REVOKED", error: { type: "TaskRevoked", message: "revoked before it started" } }, task.resultTtlSeconds);
    }
    const input = task.input.safeParse(payload);
    if (!input.success) {
      const message = input.error.issues.map((i: { path: PropertyKey[]; message: string }) => `${i.path.join(".") || "payload"}: ${i.message}`).join("; ");
      return finish({ status: "FAILURE", error: { type: "ValidationError", message } }, task.resultTtlSeconds);
    }

    running.add(id);
    try {
      const outcome = await execute(task, id, runId, claim.attempt, input.data, log);
      if (outcome.status === "RETRY") {
        try {
          await deps.queue.enqueue({
            queue: transportQueueName(deps.registry.queue(task.queue), claim.priority),
            name: outcome.cloudTask,
            body: encodeEnvelope(envelope.data),
            scheduleTime: outcome.nextAttemptAt,
            dispatchDeadlineSeconds: dispatchDeadline(task),
            worker: deps.registry.queue(task.queue).worker,
          });
        } catch (error) {
          // The next attempt could not be scheduled: keep this Cloud Task as the
          // carrier and let Cloud Tasks deliver it again.
          log.warn({ err: error }, "could not schedule the retry; Cloud Tasks will redeliver");
          await deps.store.finish(id, runId, task.queue, { ...outcome, cloudTask: delivery.cloudTask }, task.resultTtlSeconds);
          return { status: 503, body: { retry: "redeliver" } };
        }
      }
      return await finish(outcome, task.resultTtlSeconds);
    } finally {
      running.delete(id);
    }
  }

  async function execute(task: AnyTaskDefinition, id: string, runId: string, attempt: number, input: unknown, log: Logger): Promise<Outcome> {
    const controller = new AbortController();
    const revoke = () => controller.abort(new TaskRevoked("revoked while running"));
    const progress = new ProgressWriter(deps.store, id, runId, revoke, deps.progressTimeoutMs);
    const retry = effectiveRetry(task, deps.registry.queue(task.queue));
    const poll = setInterval(() => {
      deps.store.progress(id, runId, -1, "").then((answer) => answer?.revokeRequested && revoke(), () => undefined);
    }, deps.revokePollMs ?? 1000);
    // The ports sit on the prototype, so an adapter is only built when a handler reaches for it.
    const own: Omit<TaskContext, keyof Ports> = {
      taskId: id,
      tenant: SYSTEM_TENANT,
      attempt,
      maxAttempts: retry.maxAttempts,
      signal: controller.signal,
      progress: (percent, message) => progress.report(percent, message),
      log,
      enqueue: async (type, payload, options) => {
        const submitted = await deps.submit({
          type,
          origin: "platform",
          payload,
          ...(options?.countdownSeconds !== undefined ? { countdownSeconds: options.countdownSeconds } : {}),
          ...(options?.eta ? { eta: options.eta } : {}),
          ...(options?.priority ? { priority: options.priority } : {}),
          ...(options?.idempotencyKey ? { idempotencyKey: `task:${id}:${options.idempotencyKey}` } : {}),
        });
        return { taskId: submitted.taskId };
      },
      enqueueGroup: async (spec, options) => {
        if (!deps.submitGroup) throw new Error("groups are not wired in this deployment");
        return deps.submitGroup(spec, options?.idempotencyKey ? { idempotencyKey: `task:${id}:${options.idempotencyKey}` } : {});
      },
    };
    const ctx: TaskContext = Object.assign(Object.create(deps.ports) as Ports, own);
    try {
      const value = await runUnderLimits(() => task.handler(input, ctx), task.timeLimit, controller);
      await progress.flush();
      const output = task.output.safeParse(value);
      if (!output.success) {
        const message = output.error.issues.map((i: { path: PropertyKey[]; message: string }) => `${i.path.join(".") || "result"}: ${i.message}`).join("; ");
        return { status: "FAILURE", error: { type: "InvalidResult", message: `the handler returned an invalid result: ${message}` } };
      }
      return { status: "SUCCESS", result: JSON.stringify(deps.cipher.seal(output.data, task.sensitive.output)) };
    } catch (error) {
      await progress.flush();
      return classify(error, controller, attempt, retry, id, log);
    } finally {
      clearInterval(poll);
    }
  }

  function classify(
    error: unknown,
    controller: AbortController,
    attempt: number,
    retry: ReturnType<typeof effectiveRetry>,
    id: string,
    log: Logger,
  ): Outcome {
    const reason = controller.signal.reason;
    if (reason instanceof TaskRevoked || error instanceof TaskRevoked) {
      return { status: "REVOKED", error: { type: "TaskRevoked", message: "revoked while running" } };
    }
    const taskError = describe(error);
    if (isNonRetryable(error)) {
      log.info({ error: taskError }, "task failed, not retryable");
      return { status: "FAILURE", error: taskError };
    }
    if (attempt >= retry.maxAttempts) {
      log.warn({ error: taskError, attempt }, "task failed, attempts exhausted");
      return { status: "FAILURE", error: { ...taskError, message: `${taskError.message} (after ${attempt} attempts)` } };
    }
    const delaySeconds = isRetryAfter(error) ? error.retryAfterSeconds : backoffSeconds(retry, attempt);
    log.info({ error: taskError, attempt, delaySeconds }, "task will be retried");
    return {
      status: "RETRY",
      error: taskError,
      nextAttemptAt: now() + Math.round(delaySeconds * 1000),
      cloudTask: `${id}-${attempt + 1}`,
    };
  }

  return { deliver, running: () => [...running] };
}

function describe(error: unknown): TaskError {
  if (error instanceof Error) return { type: error.name || "Error", message: error.message.slice(0, 2000) };
  return { type: "Error", message: String(error).slice(0, 2000) };
}

export { isDependencyError };
export type Executor = ReturnType<typeof createExecutor>;
