// One queue: its settings (the defaults Cloud Tasks picks, the limits it enforces) and its
// dispatcher: a min-heap by schedule time, one timer for the earliest moment anything can happen
// (next due task or next token), the token bucket and the concurrency cap, then each outcome
// recorded and retried.
import type { protos } from "@google-cloud/tasks";
import { status } from "@grpc/grpc-js";
import { backoffMs, fromMs, invalidArgument, rpcCodeForHttp, toMs, type AttemptOutcome, type AttemptSender } from "../google-common.ts";
import { DueHeap, type DueEntry } from "./due-heap.ts";
import { dispatchHeaders, type AttemptRecord, type TaskRecord } from "./task.ts";

export type QueueSettings = Pick<protos.google.cloud.tasks.v2.IQueue, "rateLimits" | "retryConfig" | "stackdriverLoggingConfig" | "appEngineRoutingOverride">;

/** What UpdateQueue's mask may name; the rest is output only. */
export const SETTABLE = {
  rateLimits: ["maxDispatchesPerSecond", "maxBurstSize", "maxConcurrentDispatches"],
  retryConfig: ["maxAttempts", "maxRetryDuration", "minBackoff", "maxBackoff", "maxDoublings"],
  stackdriverLoggingConfig: ["samplingRatio"],
  appEngineRoutingOverride: ["service", "version", "instance", "host"],
} as const;
export const OUTPUT_ONLY = new Set(["name", "state", "purgeTime", "rateLimits.maxBurstSize"]);

interface Policy {
  rate: number;
  burst: number;
  concurrency: number;
  /** Attempts in all, the first included; -1 = unlimited. */
  maxAttempts: number;
  /** From the first attempt; 0 = unlimited. */
  maxRetryDurationMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  maxDoublings: number;
}

function durationMs(value: protos.google.protobuf.IDuration | null | undefined, fallback: number, field: string): number {
  if (!value) return fallback;
  const ms = toMs(value);
  if (!(ms >= 0)) throw invalidArgument(`${field} must not be negative.`);
  return ms;
}

/**
 * Validates settings and fills in the defaults `gcloud tasks queues describe` shows for a queue
 * created without any: what GetQueue shows, and the policy the dispatcher applies.
 */
export function resolveSettings(input: QueueSettings, maxRateCap: number): { settings: QueueSettings; policy: Policy } {
  const rate = input.rateLimits?.maxDispatchesPerSecond || 500;
  if (!(rate > 0) || rate > maxRateCap) throw invalidArgument(`RateLimits.max_dispatches_per_second must be in (0, ${maxRateCap}].`);
  const concurrency = input.rateLimits?.maxConcurrentDispatches || 1000;
  if (concurrency < 0 || concurrency > 5000) throw invalidArgument("RateLimits.max_concurrent_dispatches must be in [1, 5000].");
  const sampling = input.stackdriverLoggingConfig?.samplingRatio;
  if (sampling != null && !(sampling >= 0 && sampling <= 1)) throw invalidArgument("StackdriverLoggingConfig.sampling_ratio must be in [0, 1].");
  const retry = input.retryConfig;
  const maxAttempts = retry?.maxAttempts || 100;
  if (maxAttempts < -1) throw invalidArgument("RetryConfig.max_attempts must be >= -1.");
  const minBackoffMs = durationMs(retry?.minBackoff, 100, "RetryConfig.min_backoff");
  const maxBackoffMs = durationMs(retry?.maxBackoff, 3600_000, "RetryConfig.max_backoff");
  if (minBackoffMs > maxBackoffMs) throw invalidArgument("RetryConfig.min_backoff must be less than or equal to RetryConfig.max_backoff.");
  const maxDoublings = retry?.maxDoublings || 16;
  if (maxDoublings < 0) throw invalidArgument("RetryConfig.max_doublings must not be negative.");
  const maxRetryDurationMs = durationMs(retry?.maxRetryDuration, 0, "RetryConfig.max_retry_duration");
  // max_burst_size is output only and its formula unpublished: rate/5 gives the 100 the service shows
  // for 500/s, and a slow queue a bucket of one, which keeps it at its rate from the start.
  const burst = Math.max(1, Math.ceil(rate / 5));
  return {
    policy: { rate, burst, concurrency, maxAttempts, maxRetryDurationMs, minBackoffMs, maxBackoffMs, maxDoublings },
    settings: {
      rateLimits: { maxDispatchesPerSecond: rate, maxBurstSize: burst, maxConcurrentDispatches: concurrency },
      retryConfig: {
        maxAttempts, maxRetryDuration: fromMs(maxRetryDurationMs), minBackoff: fromMs(minBackoffMs), maxBackoff: fromMs(maxBackoffMs), maxDoublings,
      },
      stackdriverLoggingConfig: input.stackdriverLoggingConfig,
      appEngineRoutingOverride: input.appEngineRoutingOverride,
    },
  };
}

export interface DispatchContext {
  sender: AttemptSender;
  /** The Authorization header for a task's attempt, if it asks for a token. */
  authorization(task: TaskRecord, nowMs: number): string | undefined;
  /** The task succeeded or ran out of attempts: its queue forgets it. */
  ended(task: TaskRecord): void;
  log(line: string): void;
}

interface HeapEntry extends DueEntry { task: TaskRecord; generation: number }

// setTimeout's ceiling; a task 30 days out just wakes the queue once more on the way.
const MAX_TIMER_MS = 2 ** 31 - 1;

export class QueueDispatcher {
  private readonly heap = new DueHeap<HeapEntry>();
  private tokens: number;
  private refilledMs = Date.now();
  private paused = false;
  private stopped = false;
  private running = 0;
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAtMs = Infinity;

  private policy: Policy;
  private readonly context: DispatchContext;

  constructor(policy: Policy, context: DispatchContext) {
    this.policy = policy;
    this.context = context;
    this.tokens = policy.burst;
  }

  /** Queues the task for its schedule_time; this supersedes any earlier entry for it. */
  schedule(task: TaskRecord): void {
    task.generation++;
    this.heap.push({ task, generation: task.generation, dueMs: task.scheduleMs, seq: this.seq++ });
    this.pump();
  }

  /** New limits keep the tokens already earned, up to the new burst. */
  setPolicy(policy: Policy): void {
    this.refill(Date.now());
    this.policy = policy;
    this.tokens = Math.min(this.tokens, policy.burst);
    this.pump();
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    if (paused) this.clearTimer();
    else this.pump();
  }

  /** Forgets every queued task (their records are marked gone by the caller). */
  purge(): void {
    this.heap.clear();
    this.clearTimer();
  }

  /** The queue is deleted or the emulator closes: nothing more starts or settles. */
  stop(): void {
    this.stopped = true;
    this.purge();
  }

  private refill(nowMs: number): void {
    this.tokens = Math.min(this.policy.burst, this.tokens + (Math.max(0, nowMs - this.refilledMs) * this.policy.rate) / 1000);
    this.refilledMs = nowMs;
  }

  private pump(): void {
    if (this.stopped || this.paused) return;
    for (let next = this.heap.peek(); next; next = this.heap.peek()) {
      if (next.generation !== next.task.generation || next.task.gone) {
        this.heap.pop();
        continue;
      }
      const nowMs = Date.now();
      if (next.dueMs > nowMs) return this.wakeAt(next.dueMs);
      // At the cap, the next attempt to finish pumps again.
      if (this.running >= this.policy.concurrency) return;
      this.refill(nowMs);
      if (this.tokens < 1) return this.wakeAt(nowMs + Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.policy.rate)));
      this.tokens -= 1;
      this.heap.pop();
      this.start(next.task, nowMs);
    }
  }

  private wakeAt(atMs: number): void {
    if (this.timer && this.timerAtMs <= atMs) return;
    this.clearTimer();
    this.timerAtMs = atMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAtMs = Infinity;
      this.pump();
    }, Math.min(MAX_TIMER_MS, Math.max(0, atMs - Date.now())));
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAtMs = Infinity;
  }

  private start(task: TaskRecord, nowMs: number): void {
    const attempt: AttemptRecord = { scheduleMs: task.scheduleMs, dispatchMs: nowMs };
    task.dispatchCount++;
    task.firstDispatchMs ??= nowMs;
    task.lastAttempt = attempt;
    const headers = dispatchHeaders(task, this.context.authorization(task, nowMs));
    this.running++;
    void this.context.sender
      .send({ url: task.url, method: task.method, headers, body: task.body, deadlineMs: task.dispatchDeadlineMs })
      .then((outcome) => {
        this.running--;
        this.settle(task, attempt, outcome);
        this.pump();
      })
      .catch((error: unknown) => this.context.log(`dispatch of ${task.name} failed: ${String(error)}`));
  }

  private settle(task: TaskRecord, attempt: AttemptRecord, outcome: AttemptOutcome): void {
    if (this.stopped || task.gone) return;
    const nowMs = Date.now();
    attempt.responseMs = nowMs;
    attempt.status = attemptStatus(outcome);
    // What X-CloudTasks-TaskPreviousResponse reports next: the status, 504 after a deadline (as
    // captured from the service), 503 when nothing answered (not captured; what a front end gives).
    task.previousResponse = outcome.kind === "response" ? outcome.httpStatus : outcome.kind === "deadline" ? 504 : 503;
    if (outcome.kind === "response") {
      task.responseCount++;
      if (outcome.httpStatus < 500) task.executionCount++;
      if (outcome.httpStatus >= 200 && outcome.httpStatus < 300) return this.context.ended(task);
    }
    const p = this.policy;
    // With both limits set, both must be reached ("Once max_retry_duration time has passed *and* the
    // task has been attempted max_attempts times, no further attempts will be made").
    const attemptsDone = p.maxAttempts !== -1 && task.dispatchCount >= p.maxAttempts;
    const timeDone = p.maxRetryDurationMs > 0 && nowMs - (task.firstDispatchMs ?? nowMs) >= p.maxRetryDurationMs;
    if (p.maxAttempts !== -1 && p.maxRetryDurationMs > 0 ? attemptsDone && timeDone : attemptsDone || timeDone) {
      this.context.log(`task ${task.name}: ${attempt.status.message}; no attempts left after ${task.dispatchCount}, deleted`);
      return this.context.ended(task);
    }
    // On 429 and 503 the target's Retry-After "is considered" (HttpRequest), within the queue's backoff bounds.
    const retryAfterMs = outcome.kind === "response" && (outcome.httpStatus === 429 || outcome.httpStatus === 503) && outcome.retryAfterSeconds !== undefined
      ? Math.min(p.maxBackoffMs, Math.max(p.minBackoffMs, outcome.retryAfterSeconds * 1000))
      : undefined;
    task.scheduleMs = nowMs + (retryAfterMs ?? backoffMs(task.dispatchCount - 1, p));
    this.context.log(`task ${task.name}: ${attempt.status.message}; retry ${task.dispatchCount} at ${new Date(task.scheduleMs).toISOString()}`);
    this.schedule(task);
  }
}

/** The google.rpc.Status an outcome is recorded as in Task.last_attempt.response_status. */
function attemptStatus(outcome: AttemptOutcome): { code: number; message: string } {
  if (outcome.kind === "deadline") return { code: status.DEADLINE_EXCEEDED, message: "The request exceeded the task's dispatch_deadline." };
  if (outcome.kind === "network") return { code: status.UNAVAILABLE, message: `The target could not be reached: ${outcome.detail}` };
  const code = rpcCodeForHttp(outcome.httpStatus);
  return { code, message: `${status[code]}(${code}): HTTP status code ${outcome.httpStatus}` };
}
