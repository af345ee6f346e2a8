// Fires jobs at their slots and retries failed attempts, with one timer set for the earliest thing
// due across all jobs (no polling). Semantics from job.proto:
// - one scheduled execution at a time per job: a slot that comes while the previous execution is
//   still being attempted starts when it ends, and slots missed meanwhile collapse into the latest;
// - a failed attempt is retried with backoff, for the same slot and X-CloudScheduler-ScheduleTime,
//   retry_count times (longer while max_retry_duration, when set, has not passed since the first
//   attempt), but never once the next slot is due;
// - RunJob dispatches at once, even while an attempt is running.
import { status } from "@grpc/grpc-js";
import { AttemptSender, backoffMs, rpcCodeForHttp, type AttemptOutcome } from "../google-common.ts";
import type { OidcSigner } from "../oidc.ts";
import { parseJobName, type JobRecord } from "./job.ts";
import { formatScheduleTime, parseSchedule, type Schedule } from "./schedule.ts";

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
  schedule: Schedule | null;
  nextSlot: Date | null;
  retry: { execution: Execution; due: number } | null;
  /** A timer-dispatched attempt (slot or retry) is in flight. */
  busy: boolean;
  generation: number;
}

const MAX_TIMER_MS = 2 ** 31 - 1; // setTimeout's limit; a later due time just re-arms
// Headers the service computes or reserves; a job's own values for them are dropped.
const RESERVED_HEADER = /^(host|content-length|user-agent|x-cloudscheduler.*|x-google-.*|x-appengine-.*)$/i;

/** The headers Cloud Scheduler sends (HttpTarget.headers in target.proto), and an OIDC token when the job asks for one. */
function requestHeaders(job: JobRecord, scheduleTime: string, signer: OidcSigner): Record<string, string> {
  const { headers: own, body, oidcToken, uri } = job.httpTarget;
  const headers = Object.fromEntries(Object.entries(own).filter(([key]) => !RESERVED_HEADER.test(key) && !(oidcToken && /^authorization$/i.test(key))));
  if (body.length > 0 && !Object.keys(headers).some((key) => /^content-type$/i.test(key))) headers["Content-Type"] = "application/octet-stream";
  return {
    ...headers,
    "User-Agent": "Google-Cloud-Scheduler",
    "X-CloudScheduler": "true",
    "X-CloudScheduler-JobName": parseJobName(job.name)?.jobId ?? job.name, // the job id, not the full resource name
    "X-CloudScheduler-ScheduleTime": scheduleTime,
    ...(oidcToken && { Authorization: `Bearer ${signer.sign({ audience: oidcToken.audience || uri, email: oidcToken.serviceAccountEmail })}` }),
  };
}

/** The google.rpc.Status an attempt leaves as the job's `status`. */
function jobStatus(outcome: AttemptOutcome, deadlineMs: number): { code: number; message: string } {
  if (outcome.kind === "deadline") return { code: status.DEADLINE_EXCEEDED, message: `no answer within the attempt deadline (${deadlineMs} ms)` };
  if (outcome.kind === "network") return { code: status.UNAVAILABLE, message: `the target is unreachable: ${outcome.detail}` };
  const code = rpcCodeForHttp(outcome.httpStatus);
  return { code, message: code === status.OK ? "" : `the target answered HTTP ${outcome.httpStatus}` };
}

export function createJobRunner(jobs: JobStore, signer: OidcSigner, log: (line: string) => void): JobRunner {
  const states = new Map<string, RunState>();
  const inFlight = new Set<Promise<void>>();
  const sender = new AttemptSender();
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const dueAt = (state: RunState) => (state.busy ? Infinity : (state.retry?.due ?? state.nextSlot?.getTime() ?? Infinity));
  const showNext = (job: JobRecord, state: RunState) => {
    job.scheduleTime = state.retry ? new Date(state.retry.due) : state.nextSlot;
  };

  function stateOf(name: string): RunState {
    let state = states.get(name);
    if (!state) states.set(name, (state = { schedule: null, nextSlot: null, retry: null, busy: false, generation: 0 }));
    return state;
  }

  function arm(): void {
    clearTimeout(timer);
    timer = undefined;
    if (closed) return;
    const earliest = Math.min(...[...states.values()].map(dueAt));
    if (earliest !== Infinity) timer = setTimeout(fireDue, Math.min(Math.max(earliest - Date.now(), 0), MAX_TIMER_MS));
  }

  function start(name: string, state: RunState, execution: Execution, exclusive: boolean): void {
    const job = jobs.get(name);
    if (!job) return;
    job.lastAttemptTime = new Date();
    if (exclusive) state.busy = true;
    const { uri, httpMethod, body } = job.httpTarget;
    const attempt = sender
      .send({ url: uri, method: httpMethod, headers: requestHeaders(job, execution.scheduleTime, signer), body, deadlineMs: job.attemptDeadlineMs })
      .then((outcome) => finish(name, execution, jobStatus(outcome, job.attemptDeadlineMs), exclusive));
    inFlight.add(attempt);
    void attempt.finally(() => inFlight.delete(attempt));
  }

  function finish(name: string, execution: Execution, outcome: { code: number; message: string }, exclusive: boolean): void {
    const state = states.get(name);
    const job = jobs.get(name);
    if (state && exclusive) state.busy = false;
    if (!state || !job || closed) return;
    job.status = outcome;
    log(`${name} @ ${execution.scheduleTime} attempt ${execution.retriesDone + 1}: ${outcome.code === 0 ? "OK" : `code ${outcome.code} ${outcome.message}`}`);
    // An end-time interval ("every 5 minutes") counts from the end of the execution.
    if (exclusive && state.schedule?.afterEndMs !== undefined) state.nextSlot = new Date(Date.now() + state.schedule.afterEndMs);
    if (outcome.code !== 0 && execution.generation === state.generation && job.state === "ENABLED") {
      const { retry } = job;
      const now = Date.now();
      const countLeft = execution.retriesDone < retry.retryCount;
      const timeLeft = retry.maxRetryDurationMs > 0 && now - execution.firstAttemptAt < retry.maxRetryDurationMs;
      const due = now + backoffMs(execution.retriesDone, retry);
      if (retry.retryCount > 0 && (countLeft || timeLeft) && (!state.nextSlot || due < state.nextSlot.getTime())) {
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
      } else if (state.schedule && state.nextSlot) {
        let slot = state.nextSlot; // the latest slot due: missed ones collapse into it
        for (let next = state.schedule.next(slot); next && next.getTime() <= now; next = state.schedule.next(slot)) slot = next;
        state.nextSlot = state.schedule.next(slot);
        start(name, state, { scheduleTime: formatScheduleTime(slot, job.timeZone), firstAttemptAt: now, retriesDone: 0, generation: state.generation }, true);
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
      state.schedule = job.state === "ENABLED" ? parseSchedule(job.schedule, job.timeZone, { allowSeconds: true }) : null;
      state.nextSlot = state.schedule?.next(new Date()) ?? null;
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
      start(name, state, { scheduleTime: formatScheduleTime(now, job.timeZone), firstAttemptAt: now.getTime(), retriesDone: 0, generation: state.generation }, false);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      sender.close();
      await Promise.allSettled([...inFlight]);
    },
  };
}
