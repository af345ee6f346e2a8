// Fires jobs at their slots and retries failed attempts, with one timer set for the
// earliest thing due across all jobs (no polling). Semantics from job.proto:
// - one scheduled execution at a time per job: a slot that comes while the previous
//   execution is still being attempted starts when it ends, and slots missed meanwhile
//   collapse into the latest one;
// - a failed attempt is retried with backoff, for the same slot and the same
//   X-CloudScheduler-ScheduleTime, retry_count times (longer while max_retry_duration,
//   when set, has not passed since the first attempt), but never once the next slot
//   is due;
// - RunJob dispatches at once, even while an attempt is running.
import type { OidcSigner } from "../oidc.ts";
import { retryDelayMs } from "./backoff.ts";
import type { RetryPolicy } from "./job-definition.ts";
import type { AttemptStatus, JobRecord } from "./job-record.ts";
import { attemptHttp } from "./http-attempt.ts";
import { parseCronSchedule, type CronSchedule } from "./next-run.ts";
import { formatScheduleTime } from "./schedule-time.ts";

export type JobStore = Map<string, JobRecord>;

export interface JobRunner {
  /** After CreateJob, UpdateJob, PauseJob or ResumeJob: next slot from now, pending retries dropped. */
  reschedule(name: string): void;
  /** After DeleteJob. */
  forget(name: string): void;
  /** RunJob: one execution now, ScheduleTime = now. */
  runNow(name: string): void;
  close(): Promise<void>;
}

interface Execution {
  scheduleTime: string;
  firstAttemptAt: number;
  retriesDone: number;
  /** The job's generation when the execution began; an update since cancels its retries. */
  generation: number;
}

interface RunState {
  cron: CronSchedule | null;
  nextSlot: Date | null;
  retry: { execution: Execution; due: number } | null;
  /** A timer-dispatched attempt (slot or retry) is in flight. */
  busy: boolean;
  generation: number;
}

const MAX_TIMER_MS = 2 ** 31 - 1; // setTimeout's limit; a later due time just re-arms

function retryDue(policy: RetryPolicy, execution: Execution, now: number): number | null {
  if (policy.retryCount === 0) return null;
  const countLeft = execution.retriesDone < policy.retryCount;
  const timeLeft = policy.maxRetryDurationMs > 0 && now - execution.firstAttemptAt < policy.maxRetryDurationMs;
  if (!countLeft && !timeLeft) return null;
  return now + retryDelayMs(execution.retriesDone, policy);
}

function latestSlotAtOrBefore(cron: CronSchedule, slot: Date, now: number): Date {
  let current = slot;
  for (let i = 0; i < 100_000; i++) {
    const next = cron.next(current);
    if (!next || next.getTime() > now) break;
    current = next;
  }
  return current;
}

export function createJobRunner(jobs: JobStore, signer: OidcSigner, log: (line: string) => void): JobRunner {
  const states = new Map<string, RunState>();
  const inFlight = new Set<Promise<void>>();
  const closing = new AbortController();
  let timer: NodeJS.Timeout | undefined;

  const dueAt = (state: RunState) =>
    state.busy ? Infinity : (state.retry?.due ?? state.nextSlot?.getTime() ?? Infinity);

  function stateOf(name: string): RunState {
    let state = states.get(name);
    if (!state) {
      state = { cron: null, nextSlot: null, retry: null, busy: false, generation: 0 };
      states.set(name, state);
    }
    return state;
  }

  function showNext(job: JobRecord, state: RunState): void {
    job.scheduleTime = state.retry ? new Date(state.retry.due) : state.nextSlot;
  }

  function arm(): void {
    clearTimeout(timer);
    timer = undefined;
    if (closing.signal.aborted) return;
    const earliest = Math.min(...[...states.values()].map(dueAt));
    if (earliest === Infinity) return;
    timer = setTimeout(fireDue, Math.min(Math.max(earliest - Date.now(), 0), MAX_TIMER_MS));
  }

  function start(name: string, state: RunState, execution: Execution, exclusive: boolean): void {
    const job = jobs.get(name);
    if (!job) return;
    job.lastAttemptTime = new Date();
    if (exclusive) state.busy = true;
    const attempt = attemptHttp(job, execution.scheduleTime, signer, closing.signal).then((outcome) =>
      finish(name, execution, outcome, exclusive),
    );
    inFlight.add(attempt);
    void attempt.finally(() => inFlight.delete(attempt));
  }

  function finish(name: string, execution: Execution, outcome: AttemptStatus, exclusive: boolean): void {
    const state = states.get(name);
    const job = jobs.get(name);
    if (state && exclusive) state.busy = false;
    if (!state || !job || closing.signal.aborted) return;
    job.status = outcome;
    log(`${name} @ ${execution.scheduleTime} attempt ${execution.retriesDone + 1}: ${outcome.code === 0 ? "OK" : `code ${outcome.code} ${outcome.message}`}`);
    if (outcome.code !== 0 && execution.generation === state.generation && job.state === "ENABLED") {
      const due = retryDue(job.retry, execution, Date.now());
      if (due !== null && (!state.nextSlot || due < state.nextSlot.getTime())) {
        state.retry = { execution: { ...execution, retriesDone: execution.retriesDone + 1 }, due };
      }
    }
    showNext(job, state);
    arm();
  }

  function fireDue(): void {
    const now = Date.now();
    for (const [name, state] of states) {
      if (dueAt(state) > now) continue;
      const job = jobs.get(name);
      if (!job) {
        states.delete(name);
        continue;
      }
      if (state.retry) {
        const { execution } = state.retry;
        state.retry = null;
        start(name, state, execution, true);
      } else if (state.cron && state.nextSlot) {
        const slot = latestSlotAtOrBefore(state.cron, state.nextSlot, now);
        state.nextSlot = state.cron.next(slot);
        const scheduleTime = formatScheduleTime(slot, job.timeZone);
        start(name, state, { scheduleTime, firstAttemptAt: now, retriesDone: 0, generation: state.generation }, true);
      }
      showNext(job, state);
    }
    arm();
  }

  return {
    reschedule(name) {
      const job = jobs.get(name);
      if (!job) return;
      const state = stateOf(name);
      state.generation += 1;
      state.retry = null;
      // The definition was validated on the way in, seconds included only when allowed.
      state.cron = job.state === "ENABLED" ? parseCronSchedule(job.schedule, job.timeZone, { allowSeconds: true }) : null;
      state.nextSlot = state.cron?.next(new Date()) ?? null;
      showNext(job, state);
      arm();
    },
    forget(name) {
      states.delete(name);
      arm();
    },
    runNow(name) {
      const job = jobs.get(name);
      if (!job) return;
      const state = stateOf(name);
      const now = new Date();
      const scheduleTime = formatScheduleTime(now, job.timeZone);
      start(name, state, { scheduleTime, firstAttemptAt: now.getTime(), retriesDone: 0, generation: state.generation }, false);
    },
    async close() {
      closing.abort();
      clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}
