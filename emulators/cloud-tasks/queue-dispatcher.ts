// Dispatches one queue's tasks: a min-heap by schedule time, one timer for the
// earliest moment anything can happen (next due task or next token), the token
// bucket and the concurrency cap; then records each outcome and retries.
import type { AttemptOutcome, AttemptSender } from "./http-attempt.ts";
import { attemptStatus, previousResponseFor } from "./attempt-status.ts";
import { dispatchHeaders } from "./dispatch-headers.ts";
import { DueHeap, type DueEntry } from "./due-heap.ts";
import type { IdTokenCache } from "./id-tokens.ts";
import type { DispatchPolicy } from "./queue-config.ts";
import { retriesExhausted, retryDelayMs, type RetryPolicy } from "./retry-policy.ts";
import type { AttemptRecord, TaskRecord } from "./task-record.ts";
import { TokenBucket } from "./token-bucket.ts";

export interface DispatchContext {
  sender: AttemptSender;
  idTokens: IdTokenCache;
  /** The task succeeded or ran out of attempts: its queue forgets it. */
  ended(task: TaskRecord): void;
  log(line: string): void;
}

interface HeapEntry extends DueEntry {
  task: TaskRecord;
  generation: number;
}

// setTimeout's ceiling; a task 30 days out just wakes the queue once more on the way.
const MAX_TIMER_MS = 2 ** 31 - 1;

export class QueueDispatcher {
  private readonly context: DispatchContext;
  private readonly heap = new DueHeap<HeapEntry>();
  private readonly bucket: TokenBucket;
  private policy: DispatchPolicy;
  private paused = false;
  private stopped = false;
  private running = 0;
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAtMs = Infinity;

  constructor(policy: DispatchPolicy, context: DispatchContext) {
    this.policy = policy;
    this.context = context;
    this.bucket = new TokenBucket(policy.maxDispatchesPerSecond, policy.maxBurstSize, Date.now());
  }

  /** Queues the task for its schedule_time; this supersedes any earlier entry for it. */
  schedule(task: TaskRecord): void {
    task.generation++;
    this.heap.push({ task, generation: task.generation, dueMs: task.scheduleMs, seq: this.seq++ });
    this.pump();
  }

  /** RunTask: dispatch now, whatever the schedule, the rate limits or a pause. */
  runNow(task: TaskRecord): void {
    task.generation++;
    this.start(task, Date.now());
  }

  setPolicy(policy: DispatchPolicy): void {
    this.policy = policy;
    this.bucket.configure(policy.maxDispatchesPerSecond, policy.maxBurstSize, Date.now());
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

  private pump(): void {
    if (this.stopped || this.paused) return;
    for (;;) {
      const next = this.heap.peek();
      if (!next) return;
      if (next.generation !== next.task.generation || next.task.gone) {
        this.heap.pop();
        continue;
      }
      const nowMs = Date.now();
      if (next.dueMs > nowMs) return this.wakeAt(next.dueMs);
      // At the cap, the next attempt to finish pumps again.
      if (this.running >= this.policy.maxConcurrentDispatches) return;
      const waitMs = this.bucket.take(nowMs);
      if (waitMs > 0) return this.wakeAt(nowMs + waitMs);
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
    const headers = dispatchHeaders(task, attempt.scheduleMs, this.authorization(task, nowMs));
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

  private authorization(task: TaskRecord, nowMs: number): string | undefined {
    if (task.oidcToken) {
      const { audience, serviceAccountEmail } = task.oidcToken;
      return this.context.idTokens.bearer(audience || task.url, serviceAccountEmail, nowMs);
    }
    // Google access tokens cannot be minted here; the target gets a marker instead.
    if (task.oauthToken) return `Bearer emulator-oauth-token-for-${task.oauthToken.serviceAccountEmail}`;
    return undefined;
  }

  private settle(task: TaskRecord, attempt: AttemptRecord, outcome: AttemptOutcome): void {
    if (this.stopped || task.gone) return;
    const nowMs = Date.now();
    attempt.responseMs = nowMs;
    attempt.status = attemptStatus(outcome);
    task.previousResponse = previousResponseFor(outcome);
    if (outcome.kind === "response") {
      task.responseCount++;
      if (outcome.httpStatus < 500) task.executionCount++;
      if (outcome.httpStatus >= 200 && outcome.httpStatus < 300) {
        this.context.ended(task);
        return;
      }
    }
    const retry = this.policy.retry;
    const firstDispatchMs = task.firstDispatchMs ?? nowMs;
    if (retriesExhausted(retry, { dispatchCount: task.dispatchCount, firstDispatchMs }, nowMs)) {
      this.context.log(`task ${task.name}: ${attempt.status.message}; no attempts left after ${task.dispatchCount}, deleted`);
      this.context.ended(task);
      return;
    }
    task.scheduleMs = nowMs + nextDelayMs(retry, task.dispatchCount, outcome);
    this.context.log(`task ${task.name}: ${attempt.status.message}; retry ${task.dispatchCount} at ${new Date(task.scheduleMs).toISOString()}`);
    this.schedule(task);
  }
}

/**
 * The next attempt's delay: the queue's backoff, or on 429 and 503 the target's Retry-After ("the retry
 * specified in the Retry-After HTTP response header is considered", HttpRequest's documentation), kept
 * within the queue's min and max backoff.
 */
function nextDelayMs(retry: RetryPolicy, dispatchCount: number, outcome: AttemptOutcome): number {
  if (outcome.kind === "response" && (outcome.httpStatus === 429 || outcome.httpStatus === 503) && outcome.retryAfterSeconds !== undefined) {
    return Math.min(retry.maxBackoffMs, Math.max(retry.minBackoffMs, outcome.retryAfterSeconds * 1000));
  }
  return retryDelayMs(retry, dispatchCount);
}
