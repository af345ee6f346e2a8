// The one wrapper every task runs through: parse the envelope, claim the task,
// run the handler under its limits, record progress and the outcome, decide
// retry or failure, and tell Cloud Tasks what to do with the delivery.
import { randomBytes } from "node:crypto";
import { taskEnvelope } from "./envelope.ts";
import { backoffSeconds } from "./backoff.ts";
import { isNonRetryable } from "./non-retryable-error.ts";
import { isRetryAfter } from "./retry-after-error.ts";
import { isDependencyError } from "./dependency-error.ts";
import { effectiveRetry, type Registry } from "./registry.ts";
import type { Priority } from "./queues.ts";
import { cloudTaskFor, leaseMs, type SubmitRequest, type SubmitResult } from "./submit.ts";
import { ProgressWriter } from "./progress-writer.ts";
import { LeaseLost, runUnderLimits, TaskRevoked } from "./run-handler.ts";
import type { FieldCipher } from "./sensitive-fields.ts";
import type { Logger, Outcome, TaskQueue, TaskStore, WorkerHeartbeat } from "./ports.ts";
import type { PortResolver } from "./port.ts";
import { contextFor, type AnyTaskDefinition, type EnqueueOptions, type TaskContext, type TaskRuntime } from "./define-task.ts";
import type { GroupSpec } from "./group-spec.ts";
import type { TaskError } from "./task-record.ts";
import { lazyChild } from "./lazy-logger.ts";
import { carryOutFollowUps, type FinalOutcome, type FinishedTask, type FollowUpKind, type FollowUpRunner } from "./follow-ups.ts";

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

export interface ExecutorDeps {
  registry: Registry;
  store: TaskStore;
  queue: TaskQueue;
  cipher: FieldCipher;
  log: Logger;
  /** The adapters behind the ports tasks declare (functions/composition.ts binds them). */
  ports: PortResolver;
  submit: (request: SubmitRequest) => Promise<SubmitResult>;
  workerId: string;
  revision: string;
  /** Carries out a follow-up the finish recorded (lifecycle event, callback, chain step, chord callback). */
  runFollowUp?: FollowUpRunner;
  /** The follow-ups besides the group's that a final state implies (recorded with it by the finish script). */
  plannedFollowUps?: (status: FinalOutcome["status"], type: string, callbackUrl: string | undefined) => FollowUpKind[];
  /** Submits a group/chain/chord for ctx.enqueueGroup. */
  submitGroup?: (spec: GroupSpec, options: { tenant: string; idempotencyKey?: string }) => Promise<{ groupId: string; taskIds: string[] }>;
  /**
   * How long a claim holds a running task, ms: renewed by every revoke poll and progress write, so a run whose
   * worker died is taken over within one lease. Default 30,000 (config TASK_LEASE_SECONDS); a task whose hard
   * limit is shorter holds it for that limit and a margin.
   */
  leaseMs?: number;
  /** How often a running task checks for a revoke and renews its lease. Default 1000 ms. */
  revokePollMs?: number;
  /** Longest a handler waits on one progress write. Default 1000 ms. */
  progressTimeoutMs?: number;
  /** How often the instance's heartbeat rides on a claim. Default 10 s. */
  heartbeatEveryMs?: number;
  now?: () => number;
}

const DEFAULT_LEASE_MS = 30_000;

/** The lease a run renews while its handler runs: short, and never past the hard limit and a margin (leaseMs(task)). */
export function leaseFor(task: AnyTaskDefinition | undefined, lease = DEFAULT_LEASE_MS): number {
  return task ? Math.min(lease, leaseMs(task)) : lease;
}

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
    const { id } = envelope.data;
    const startedAt = now();
    const runId = randomBytes(9).toString("base64url");
    const heartbeat = heartbeatIfDue();
    const claim = await deps.store.claim(id, { cloudTask: delivery.cloudTask, runId, leaseMs: deps.leaseMs ?? DEFAULT_LEASE_MS, workerId: deps.workerId, ...(heartbeat ? { heartbeat } : {}) });
    const log = lazyChild(deps.log, { taskId: id, ...(claim.kind === "claimed" ? { type: claim.type, tenant: claim.tenant } : {}) });
    switch (claim.kind) {
      case "missing":
      case "stale":
        log.warn({ claim: claim.kind, cloudTask: delivery.cloudTask }, "dropped a delivery that no longer owns the task");
        return { status: 200, body: { dropped: claim.kind } };
      case "final":
        return finishFollowUps(id, claim.pending, log, claim.status);
      case "busy": {
        const retryAfterSeconds = Math.max(1, Math.ceil((claim.leaseUntil - now()) / 1000));
        return { status: 503, body: { busy: true }, retryAfterSeconds };
      }
      case "retry": {
        // The Cloud Task that wrote RETRY, again: its run may have died (or seen its write as failed) before it
        // created the next attempt's. Creating that name again is harmless (it exists, or it is made now).
        const definition = deps.registry.task(claim.type);
        if (!definition) return { status: 200, body: { dropped: "unknown type" } };
        await deps.queue.enqueue(cloudTaskFor(deps.registry, { id, type: claim.type, queue: definition.queue, priority: claim.priority, cloudTask: claim.cloudTask }, claim.nextAttemptAt));
        return { status: 200, body: { retry: claim.cloudTask } };
      }
      case "early":
        // Cloud Tasks keeps ETAs; only a replayed or forged delivery arrives this early.
        log.warn({ cloudTask: delivery.cloudTask, eta: claim.eta }, "refused a delivery before the task's ETA");
        return { status: 503, body: { early: true }, retryAfterSeconds: Math.max(1, Math.ceil((claim.eta - now()) / 1000)) };
      case "claimed":
        break;
    }
    const type = claim.type;
    if (envelope.data.type !== undefined && envelope.data.type !== type) {
      log.warn({ envelopeType: envelope.data.type, cloudTask: delivery.cloudTask }, "a delivery named another task type than its record: the record's runs");
    }
    const task = deps.registry.task(type);
    // The task's one line per outcome, on the parent logger: no child is built for it.
    const outcomeLine = (outcome: Outcome) => logOutcome(deps.log, {
      taskId: id, type, tenant: claim.tenant, status: outcome.status, attempt: claim.attempt, durationMs: now() - startedAt,
      ...("error" in outcome && outcome.error ? { errorType: outcome.error.type, errorMessage: outcome.error.message } : {}),
      ...(outcome.status === "RETRY" ? { nextAttemptAt: new Date(outcome.nextAttemptAt).toISOString() } : {}),
    });
    const finish = async (outcome: Outcome, ttl: number): Promise<DeliveryAnswer> => {
      const queue = task?.queue ?? "unknown";
      const planned = outcome.status === "RETRY" ? [] : deps.plannedFollowUps?.(outcome.status, type, claim.callbackUrl) ?? [];
      const { value: written, retried } = await persistently(() => deps.store.finish(id, runId, queue, outcome, ttl, { ...(claim.group ? { groupId: claim.group.id } : {}), followUps: planned }));
      if (!written.owned) return notOwned(outcome, retried, log);
      outcomeLine(outcome);
      if (outcome.status === "RETRY" || written.followUps.length === 0) return { status: 200, body: { status: outcome.status } };
      const finished: FinishedTask = {
        taskId: id, tenant: claim.tenant, type, queue, outcome, attempt: claim.attempt, runId, finishedAt: written.finishedAt,
        ...(claim.callbackUrl ? { callbackUrl: claim.callbackUrl } : {}),
        ...(claim.group ? { group: claim.group } : {}),
      };
      return answerFollowUps(finished, written.followUps, log);
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
    const input = task.input.safeParse(deps.cipher.open(JSON.parse(claim.payload)));
    if (!input.success) {
      const message = input.error.issues.map((i: { path: PropertyKey[]; message: string }) => `${i.path.join(".") || "payload"}: ${i.message}`).join("; ");
      return finish({ status: "FAILURE", error: { type: "ValidationError", message } }, task.resultTtlSeconds);
    }

    running.add(id);
    try {
      const outcome = await execute(task, id, claim.tenant, runId, claim.attempt, input.data, log);
      if (outcome.status === "RETRY") return await scheduleRetry(outcome, id, runId, task, delivery, claim.priority, log, outcomeLine);
      return await finish(outcome, task.resultTtlSeconds);
    } finally {
      running.delete(id);
    }
  }

  /**
   * The outcome's write was fenced off. On the first try, another run or a revoke owns the task: this outcome is
   * dropped. After a try that timed out, it may be this run's own write that landed late: Cloud Tasks delivers again,
   * and the claim hands out what that write left to do (its follow-ups, or the next attempt's Cloud Task).
   */
  function notOwned(outcome: Outcome, retried: boolean, log: Logger): DeliveryAnswer {
    if (retried) return { status: 503, body: { settling: outcome.status }, retryAfterSeconds: 1 };
    log.warn({ status: outcome.status }, "a newer run or a revoke owns the task; outcome discarded");
    return { status: 200, body: { discarded: outcome.status } };
  }

  /** Carries out the follow-ups and answers 5xx while any failed, so that Cloud Tasks redelivers and the claim hands them out again. */
  async function answerFollowUps(task: FinishedTask, pending: FollowUpKind[], log: Logger): Promise<DeliveryAnswer> {
    const failed = await carryOutFollowUps({ store: deps.store, run: followUpRunner(), log }, task, pending).catch((error: unknown) => {
      log.error({ err: error }, "could not mark follow-ups done");
      return pending;
    });
    if (failed.length > 0) return { status: 503, body: { status: task.outcome.status, follow_ups_pending: failed } };
    return { status: 200, body: { status: task.outcome.status } };
  }

  /** A duplicate delivery of a final task: carries out the follow-ups its finish left pending (a crash, a refusal). */
  async function finishFollowUps(id: string, pending: FollowUpKind[], log: Logger, status: string): Promise<DeliveryAnswer> {
    if (pending.length === 0) return { status: 200, body: { dropped: "duplicate", status } };
    const found = await deps.store.finishedTask(id);
    if (!found || found.pending.length === 0) return { status: 200, body: { dropped: "duplicate", status } };
    return answerFollowUps(found.task, found.pending, log);
  }

  function followUpRunner(): FollowUpRunner {
    return deps.runFollowUp ?? (async () => undefined);
  }

  /**
   * RETRY first, naming the next attempt's Cloud Task, then the enqueue: a run that dies in between leaves a
   * RETRY whose Cloud Task is missing, which the current one (redelivered, as it was never acknowledged) cannot
   * claim — so a refused enqueue undoes the name, and the current Cloud Task carries the next attempt.
   */
  async function scheduleRetry(
    outcome: Extract<Outcome, { status: "RETRY" }>, id: string, runId: string, task: AnyTaskDefinition, delivery: Delivery,
    priority: Priority, log: Logger, outcomeLine: (outcome: Outcome) => void,
  ): Promise<DeliveryAnswer> {
    const { value: written, retried } = await persistently(() => deps.store.finish(id, runId, task.queue, outcome, task.resultTtlSeconds));
    if (!written.owned) return notOwned(outcome, retried, log);
    try {
      await deps.queue.enqueue(cloudTaskFor(deps.registry, { id, type: task.name, queue: task.queue, priority, cloudTask: outcome.cloudTask }, outcome.nextAttemptAt));
    } catch (error) {
      log.warn({ err: error }, "could not schedule the retry; this Cloud Task, redelivered, carries it");
      await deps.store.unretry(id, outcome.cloudTask, delivery.cloudTask).catch((undoError: unknown) => {
        // Cloud Tasks and Redis both failing at once: the RETRY names a Cloud Task that may not exist. Said loudly.
        log.error({ err: undoError, taskId: id }, "could not undo the retry's Cloud Task name; the task may stay in RETRY");
      });
      return { status: 503, body: { retry: "redeliver" } };
    }
    outcomeLine(outcome);
    return { status: 200, body: { status: outcome.status } };
  }

  /** A handler's ctx: the runtime, and getters for the ports its task declared (an adapter is built when first read). */
  function handlerContext(
    task: AnyTaskDefinition,
    run: { id: string; tenant: string; attempt: number; maxAttempts: number; signal: AbortSignal; progress: ProgressWriter; log: Logger },
  ): TaskContext {
    const { id, tenant } = run;
    const submitChild = async (type: string, payload: unknown, options?: EnqueueOptions) => {
      const submitted = await deps.submit({
        type,
        origin: "platform",
        tenant,
        payload,
        ...(options?.countdownSeconds !== undefined ? { countdownSeconds: options.countdownSeconds } : {}),
        ...(options?.eta ? { eta: options.eta } : {}),
        ...(options?.priority ? { priority: options.priority } : {}),
        ...(options?.idempotencyKey ? { idempotencyKey: `task:${id}:${options.idempotencyKey}` } : {}),
      });
      return { taskId: submitted.taskId };
    };
    const runtime: TaskRuntime = {
      taskId: id,
      tenant,
      attempt: run.attempt,
      maxAttempts: run.maxAttempts,
      signal: run.signal,
      progress: (percent, message) => run.progress.report(percent, message),
      log: run.log,
      enqueue: (child, payload, options) => submitChild(child.name, payload, options),
      continueAsNew: (payload, options) => submitChild(task.name, payload, { idempotencyKey: "continuation", ...options }),
      enqueueGroup: async (spec, options) => {
        if (!deps.submitGroup) throw new Error("groups are not wired in this deployment");
        return deps.submitGroup(spec, { tenant, ...(options?.idempotencyKey ? { idempotencyKey: `task:${id}:${options.idempotencyKey}` } : {}) });
      },
    };
    return contextFor(task, runtime, deps.ports);
  }

  async function execute(task: AnyTaskDefinition, id: string, tenant: string, runId: string, attempt: number, input: unknown, log: Logger): Promise<Outcome> {
    const controller = new AbortController();
    const revoke = () => controller.abort(new TaskRevoked("revoked while running"));
    // Another run took the task over (this one's lease ran out): stop the handler, its outcome would be fenced off.
    const lost = () => controller.abort(new LeaseLost("another run took the task over"));
    const lease = leaseFor(task, deps.leaseMs);
    const progress = new ProgressWriter(deps.store, { taskId: id, runId, leaseMs: lease, onRevoke: revoke, onLost: lost, ...(deps.progressTimeoutMs ? { deadlineMs: deps.progressTimeoutMs } : {}) });
    const retry = effectiveRetry(task, deps.registry.queue(task.queue));
    // The revoke poll is the heartbeat: each one renews the lease (progress writes do too).
    const poll = setInterval(() => void progress.renew(), deps.revokePollMs ?? 1000);
    const ctx = handlerContext(task, { id, tenant, attempt, maxAttempts: retry.maxAttempts, signal: controller.signal, progress, log });
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
      return { status: "FAILURE", error: taskError };
    }
    if (attempt >= retry.maxAttempts) {
      // With its stack, so Error Reporting counts it (a NonRetryableError is a verdict, not a bug: no stack).
      log.error({ err: error, attempt }, "task failed, attempts exhausted");
      return { status: "FAILURE", error: { ...taskError, message: `${taskError.message} (after ${attempt} attempts)` } };
    }
    const delaySeconds = isRetryAfter(error) ? error.retryAfterSeconds : backoffSeconds(retry, attempt);
    return {
      status: "RETRY",
      error: taskError,
      nextAttemptAt: now() + Math.round(delaySeconds * 1000),
      cloudTask: `${id}-${attempt + 1}`,
    };
  }

  return { deliver, running: () => [...running] };
}

/** Waits between tries of an outcome's write while Redis is unavailable: about 10 s in all, well inside the lease. */
const OUTCOME_WRITE_BACKOFF_MS = [250, 500, 1_000, 2_000, 2_000, 2_000, 2_000] as const;

/**
 * Writes an outcome, trying again while Redis is unavailable (a stall, a restart): the handler's work is done,
 * and giving up would have Cloud Tasks deliver again and the handler run twice (a second webhook, say). The
 * write is fenced by the run id, so a try that lands late can only ever write this run's own outcome.
 */
async function persistently<T>(write: () => Promise<T>): Promise<{ value: T; retried: boolean }> {
  for (const [tries, waitMs] of OUTCOME_WRITE_BACKOFF_MS.entries()) {
    try {
      return { value: await write(), retried: tries > 0 };
    } catch (error) {
      if (!isDependencyError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
  return { value: await write(), retried: true };
}

interface OutcomeLine {
  taskId: string; type: string; tenant: string; status: Outcome["status"]; attempt: number; durationMs: number;
  errorType?: string; errorMessage?: string; nextAttemptAt?: string;
}

function logOutcome(log: Logger, line: OutcomeLine): void {
  if (line.status === "FAILURE") log.warn(line, "task outcome");
  else log.info(line, "task outcome");
}

function describe(error: unknown): TaskError {
  if (error instanceof Error) {
    // The first lines of the stack are enough to find the throw; the record stays small.
    const traceback = error.stack?.split("\n").slice(0, 30).join("\n").slice(0, 4000);
    return { type: error.name || "Error", message: error.message.slice(0, 2000), ...(traceback ? { traceback } : {}) };
  }
  return { type: "Error", message: String(error).slice(0, 2000) };
}

export { isDependencyError };
export type Executor = ReturnType<typeof createExecutor>;
