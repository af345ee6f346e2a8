// A stored job: the user's definition plus the output-only fields the service keeps
// (state, last status, next schedule time, last attempt time), and its wire form.
import type { JobDefinition } from "./job-definition.ts";
import { dateToTimestamp, msToDuration, type WireJob } from "./wire.ts";

export interface AttemptStatus {
  /** A google.rpc.Code: 0 when the target answered 2xx. */
  code: number;
  message: string;
}

export interface JobRecord extends JobDefinition {
  state: "ENABLED" | "PAUSED";
  /** The outcome of the last attempt; null before the first. */
  status: AttemptStatus | null;
  /** The next attempt: a retry of a failed one, or the next slot of the schedule. */
  scheduleTime: Date | null;
  lastAttemptTime: Date | null;
  userUpdateTime: Date;
}

export function toWireJob(job: JobRecord): WireJob {
  const { httpTarget: target, retry } = job;
  return {
    name: job.name,
    description: job.description,
    httpTarget: {
      uri: target.uri,
      httpMethod: target.httpMethod,
      headers: target.headers,
      body: target.body,
      ...(target.oidcToken ? { oidcToken: target.oidcToken } : {}),
    },
    schedule: job.schedule,
    timeZone: job.timeZone,
    userUpdateTime: dateToTimestamp(job.userUpdateTime),
    state: job.state,
    ...(job.status ? { status: job.status } : {}),
    ...(job.scheduleTime ? { scheduleTime: dateToTimestamp(job.scheduleTime) } : {}),
    ...(job.lastAttemptTime ? { lastAttemptTime: dateToTimestamp(job.lastAttemptTime) } : {}),
    retryConfig: {
      retryCount: retry.retryCount,
      maxRetryDuration: msToDuration(retry.maxRetryDurationMs),
      minBackoffDuration: msToDuration(retry.minBackoffMs),
      maxBackoffDuration: msToDuration(retry.maxBackoffMs),
      maxDoublings: retry.maxDoublings,
    },
    attemptDeadline: msToDuration(job.attemptDeadlineMs),
  };
}
