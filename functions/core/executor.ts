// The one wrapper every task runs through, in four steps (createExecutor):
// claim the task, guard what the claim handed out, run the handler under its
// limits, settle the outcome (fenced write, retry or follow-ups).
import { randomBytes } from "node:crypto";
import { taskEnvelope, type TaskEnvelope } from "./envelope.ts";
import { backoffSeconds } from "./backoff.ts";
import { isDependencyError, isNonRetryable, isRetryAfter, LeaseLost, TaskRevoked } from "./errors.ts";
import { effectiveRetry, type Registry } from "./registry.ts";
import { cloudTaskFor, leaseMs, type SubmitRequest, type SubmitResult } from "./submit.ts";
import { ProgressWriter } from "./progress-writer.ts";
import { runUnderLimits } from "./run-handler.ts";
import type { FieldCipher } from "./sensitive-fields.ts";
import type { ClaimOutcome, Logger, Outcome, TaskQueue, TaskStore, WorkerHeartbeat } from "./ports.ts";
import type { PortResolver } from "./port.ts";
import { contextFor, type AnyTaskDefinition, type EnqueueOptions, type TaskContext, type TaskRuntime } from "./define-task.ts";
import type { GroupSpec } from "./group-spec.ts";
import type { TaskError } from "./task-record.ts";
import { lazyChild } from "./lazy-logger.ts";
import { carryOutFollowUps, type FinalOutcome, type FinishedTask, type FollowUpKind, type FollowUpRunner } from "./follow-ups.ts";

export interface Delivery {
  /** The Cloud Task's short name (X-CloudTasks-TaskName). */
  cloudTask: string;
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
function leaseFor(task: AnyTaskDefinition | undefined, lease = DEFAULT_LEASE_MS): number {
  return task ? Math.min(lease, leaseMs(task)) : lease;
}

/** A claimed delivery on its way through guard, run and settle. */
interface Run {
  id: string;
  runId: string;
  delivery: Delivery;
  claim: Claimed;
  /** Undefined when no task of the record's type is deployed here. */
  task: AnyTaskDefinition | undefined;
  log: Logger;
  startedAt: number;
}

type Claimed = Extract<ClaimOutcome, { kind: "claimed" }>;

/** An outcome decided before the handler runs, and how long its record is kept. */
interface Verdict { outcome: Outcome; ttlSeconds: number }

/**
 * One delivery, in four steps: **claim** the task (or answer a delivery that may not run it), **guard** what the
 * claim handed out (type deployed, attempts left, not revoked, input valid), **run** the handler under its limits,
 * **settle** the outcome (fenced write, then the retry's Cloud Task or the follow-ups). Each step is one function
 * below; `deliver` only chains them.
 */
export function createExecutor(deps: ExecutorDeps) {
  const now = deps.now ?? Date.now;
  const running = new Set<string>();
  const instanceStartedAt = now();
  let lastHeartbeat = 0;

  async function deliver(rawBody: unknown, delivery: Delivery): Promise<DeliveryAnswer> {
    const envelope = taskEnvelope.safeParse(rawBody);
    if (!envelope.success) {
      // Retrying cannot fix a body no task can be found from: acknowledge and say so loudly.
      deps.log.error({ issues: envelope.error.issues, cloudTask: delivery.cloudTask }, "dropped a delivery with an invalid envelope");
      return { status: 200, body: { dropped: "invalid envelope" } };
    }
    const claimed = await claim(envelope.data, delivery);
    if ("answer" in claimed) return claimed.answer;
    const run = claimed.run;
    const guarded = guard(run);
    if ("verdict" in guarded) return settle(run, guarded.verdict.outcome, guarded.verdict.ttlSeconds);
    running.add(run.id);
    try {
      const outcome = await execute(run, guarded.task, guarded.input);
      return await settle(run, outcome, guarded.task.resultTtlSeconds);
    } finally {
      running.delete(run.id);
    }
  }

  // ── claim ─────────────────────────────────────────────────────────────────────────────────────────────────────

  /** Claims the task for a new run, or answers a delivery that may not run it (duplicate, stale, early, busy…). */
  async function claim(envelope: TaskEnvelope, delivery: Delivery): Promise<{ run: Run } | { answer: DeliveryAnswer }> {
    const { id } = envelope;
    const startedAt = now();
    const runId = randomBytes(9).toString("base64url");
    const heartbeat = heartbeatIfDue();
    const outcome = await deps.store.claim(id, { cloudTask: delivery.cloudTask, runId, leaseMs: deps.leaseMs ?? DEFAULT_LEASE_MS, workerId: deps.workerId, ...(heartbeat ? { heartbeat } : {}) });
    if (outcome.kind !== "claimed") return { answer: await answerUnclaimed(id, outcome, delivery) };
    const log = lazyChild(deps.log, { taskId: id, type: outcome.type, tenant: outcome.tenant });
    if (envelope.type !== undefined && envelope.type !== outcome.type) {
      log.warn({ envelopeType: envelope.type, cloudTask: delivery.cloudTask }, "a delivery named another task type than its record: the record's runs");
    }
    return { run: { id, runId, delivery, claim: outcome, task: deps.registry.task(outcome.type), log, startedAt } };
  }

  function heartbeatIfDue(): WorkerHeartbeat | undefined {
    if (now() - lastHeartbeat < (deps.heartbeatEveryMs ?? 10_000)) return undefined;
    lastHeartbeat = now();
    return { instance: deps.workerId, lastSeen: lastHeartbeat, startedAt: instanceStartedAt, running: [...running], revision: deps.revision };
  }

  async function answerUnclaimed(id: string, claim: Exclude<ClaimOutcome, Claimed>, delivery: Delivery): Promise<DeliveryAnswer> {
    const log = lazyChild(deps.log, { taskId: id });
    switch (claim.kind) {
      case "missing":
      case "stale":
        log.warn({ claim: claim.kind, cloudTask: delivery.cloudTask }, "dropped a delivery that no longer owns the task");
        return { status: 200, body: { dropped: claim.kind } };
      case "final":
        return finishFollowUps(id, claim.pending, log, claim.status);
      case "busy":
        return { status: 503, body: { busy: true }, retryAfterSeconds: secondsUntil(claim.leaseUntil) };
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
        return { status: 503, body: { early: true }, retryAfterSeconds: secondsUntil(claim.eta) };
    }
  }

  const secondsUntil = (at: number) => Math.max(1, Math.ceil((at - now()) / 1000));

  // ── guard ─────────────────────────────────────────────────────────────────────────────────────────────────────

  /** The claim's checks before any handler runs: a verdict that ends the task here, or the task and its decrypted, valid input. */
  function guard(run: Run): { verdict: Verdict } | { task: AnyTaskDefinition; input: unknown } {
    const { task, claim } = run;
    if (!task) {
      return { verdict: { outcome: { status: "FAILURE", error: { type: "UnknownTaskType", message: `no task "${claim.type}" is deployed here` } }, ttlSeconds: 3600 } };
    }
    const ttlSeconds = task.resultTtlSeconds;
    if (claim.attempt > effectiveRetry(task, deps.registry.queue(task.queue)).maxAttempts) {
      // Deliveries kept dying mid-run (a crashing worker): stop here instead of looping.
      return { verdict: { outcome: { status: "FAILURE", error: { type: "WorkerLost", message: `attempt ${claim.attempt} exceeds the attempts allowed; earlier runs were lost` } }, ttlSeconds } };
    }
    if (claim.revokeRequested) {
      return { verdict: { outcome: { status: "REVOKED", error: { type: "TaskRevoked", message: "revoked before it started" } }, ttlSeconds } };
    }
    const input = task.input.safeParse(deps.cipher.open(JSON.parse(claim.payload)));
    if (!input.success) {
      return { verdict: { outcome: { status: "FAILURE", error: { type: "ValidationError", message: issuesText(input.error.issues, "payload") } }, ttlSeconds } };
    }
    return { task, input: input.data };
  }

  // ── run ───────────────────────────────────────────────────────────────────────────────────────────────────────

  /** Runs the handler under its limits, renewing the lease and watching for a revoke meanwhile; never throws. */
  async function execute(run: Run, task: AnyTaskDefinition, input: unknown): Promise<Outcome> {
    const controller = new AbortController();
    const revoke = () => controller.abort(new TaskRevoked("revoked while running"));
    // Another run took the task over (this one's lease ran out): stop the handler, its outcome would be fenced off.
    const lost = () => controller.abort(new LeaseLost("another run took the task over"));
    const progress = new ProgressWriter(deps.store, {
      taskId: run.id, runId: run.runId, leaseMs: leaseFor(task, deps.leaseMs), onRevoke: revoke, onLost: lost,
      ...(deps.progressTimeoutMs ? { deadlineMs: deps.progressTimeoutMs } : {}),
    });
    const retry = effectiveRetry(task, deps.registry.queue(task.queue));
    // The revoke poll is the heartbeat: each one renews the lease (progress writes do too).
    const poll = setInterval(() => void progress.renew(), deps.revokePollMs ?? 1000);
    const ctx = handlerContext(task, { id: run.id, tenant: run.claim.tenant, attempt: run.claim.attempt, maxAttempts: retry.maxAttempts, signal: controller.signal, progress, log: run.log });
    try {
      const value = await runUnderLimits(() => task.handler(input, ctx), task.timeLimit, controller);
      await progress.flush();
      const output = task.output.safeParse(value);
      if (!output.success) {
        return { status: "FAILURE", error: { type: "InvalidResult", message: `the handler returned an invalid result: ${issuesText(output.error.issues, "result")}` } };
      }
      return { status: "SUCCESS", result: JSON.stringify(deps.cipher.seal(output.data, task.sensitive.output)) };
    } catch (error) {
      await progress.flush();
      return classify(error, controller.signal, run, retry);
    } finally {
      clearInterval(poll);
    }
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

  /** What a thrown error makes of the run: REVOKED, FAILURE (not retryable, or attempts spent) or RETRY after a delay. */
  function classify(error: unknown, signal: AbortSignal, run: Run, retry: ReturnType<typeof effectiveRetry>): Outcome {
    const { id, claim: { attempt } } = run;
    if (signal.reason instanceof TaskRevoked || error instanceof TaskRevoked) {
      return { status: "REVOKED", error: { type: "TaskRevoked", message: "revoked while running" } };
    }
    const taskError = describe(error);
    if (isNonRetryable(error)) {
      return { status: "FAILURE", error: taskError };
    }
    if (attempt >= retry.maxAttempts) {
      // With its stack, so Error Reporting counts it (a NonRetryableError is a verdict, not a bug: no stack).
      run.log.error({ err: error, attempt }, "task failed, attempts exhausted");
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

  // ── settle ────────────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Writes the outcome, fenced by the run id, and answers the delivery: a RETRY then creates the next attempt's
   * Cloud Task; a final state carries out the follow-ups recorded with it. The task's one outcome line is written
   * once the write is owned.
   */
  async function settle(run: Run, outcome: Outcome, ttlSeconds: number): Promise<DeliveryAnswer> {
    if (outcome.status === "RETRY") return scheduleRetry(run, outcome, ttlSeconds);
    const { id, runId, claim, log } = run;
    const queue = queueOf(run);
    const planned = deps.plannedFollowUps?.(outcome.status, claim.type, claim.callbackUrl) ?? [];
    const { value: written, retried } = await persistently(() => deps.store.finish(id, runId, queue, outcome, ttlSeconds, { ...(claim.group ? { groupId: claim.group.id } : {}), followUps: planned }));
    if (!written.owned) return notOwned(outcome, retried, log);
    outcomeLine(run, outcome);
    if (written.followUps.length === 0) return { status: 200, body: { status: outcome.status } };
    const finished: FinishedTask = {
      taskId: id, tenant: claim.tenant, type: claim.type, queue, outcome, attempt: claim.attempt, runId, finishedAt: written.finishedAt,
      ...(claim.callbackUrl ? { callbackUrl: claim.callbackUrl } : {}),
      ...(claim.group ? { group: claim.group } : {}),
    };
    return answerFollowUps(finished, written.followUps, log);
  }

  /**
   * RETRY first, naming the next attempt's Cloud Task, then the enqueue: a run that dies in between leaves a
   * RETRY whose Cloud Task is missing, which the current one (redelivered, as it was never acknowledged) cannot
   * claim — so a refused enqueue undoes the name, and the current Cloud Task carries the next attempt.
   */
  async function scheduleRetry(run: Run, outcome: Extract<Outcome, { status: "RETRY" }>, ttlSeconds: number): Promise<DeliveryAnswer> {
    const { id, runId, delivery, claim, log } = run;
    const queue = queueOf(run);
    const { value: written, retried } = await persistently(() => deps.store.finish(id, runId, queue, outcome, ttlSeconds));
    if (!written.owned) return notOwned(outcome, retried, log);
    try {
      await deps.queue.enqueue(cloudTaskFor(deps.registry, { id, type: claim.type, queue, priority: claim.priority, cloudTask: outcome.cloudTask }, outcome.nextAttemptAt));
    } catch (error) {
      log.warn({ err: error }, "could not schedule the retry; this Cloud Task, redelivered, carries it");
      await deps.store.unretry(id, outcome.cloudTask, delivery.cloudTask).catch((undoError: unknown) => {
        // Cloud Tasks and Redis both failing at once: the RETRY names a Cloud Task that may not exist. Said loudly.
        log.error({ err: undoError, taskId: id }, "could not undo the retry's Cloud Task name; the task may stay in RETRY");
      });
      return { status: 503, body: { retry: "redeliver" } };
    }
    outcomeLine(run, outcome);
    return { status: 200, body: { status: outcome.status } };
  }

  /** The queue the outcome is counted in ("unknown" for a type not deployed here: only a guard's FAILURE has none). */
  const queueOf = (run: Run): string => run.task?.queue ?? "unknown";

  /** The task's one line per outcome, on the parent logger: no child is built for it. */
  function outcomeLine(run: Run, outcome: Outcome): void {
    const level = outcome.status === "FAILURE" ? "warn" : "info";
    if (deps.log.isLevelEnabled?.(level) === false) return;
    const { claim } = run;
    deps.log[level]({
      taskId: run.id, type: claim.type, tenant: claim.tenant, status: outcome.status, attempt: claim.attempt, durationMs: now() - run.startedAt,
      ...("error" in outcome && outcome.error ? { errorType: outcome.error.type, errorMessage: outcome.error.message } : {}),
      ...(outcome.status === "RETRY" ? { nextAttemptAt: new Date(outcome.nextAttemptAt).toISOString() } : {}),
    } satisfies OutcomeLine, "task outcome");
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
    const failed = await carryOutFollowUps({ store: deps.store, run: deps.runFollowUp ?? (async () => undefined), log }, task, pending).catch((error: unknown) => {
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

/** zod issues as one line: "path: message; …" (`whole` names the value itself). */
function issuesText(issues: readonly { path: PropertyKey[]; message: string }[], whole: string): string {
  return issues.map((i) => `${i.path.join(".") || whole}: ${i.message}`).join("; ");
}

function describe(error: unknown): TaskError {
  if (error instanceof Error) {
    // The first lines of the stack are enough to find the throw; the record stays small.
    const traceback = error.stack?.split("\n").slice(0, 30).join("\n").slice(0, 4000);
    return { type: error.name || "Error", message: error.message.slice(0, 2000), ...(traceback ? { traceback } : {}) };
  }
  return { type: "Error", message: String(error).slice(0, 2000) };
}

export type Executor = ReturnType<typeof createExecutor>;
