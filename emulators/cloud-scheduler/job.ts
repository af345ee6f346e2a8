// A job: what a user may set, checked as the real API checks it on CreateJob and UpdateJob (a bad
// name, schedule, time zone, target or retry setting is INVALID_ARGUMENT), the output-only fields
// the service keeps, and the job as the API shows it.
import type { protos } from "@google-cloud/scheduler";
import { status } from "@grpc/grpc-js";
import { fromMs, invalidArgument, RpcError, toMs } from "../google-common.ts";
import { parseSchedule, ScheduleError } from "./schedule.ts";

export type WireJob = protos.google.cloud.scheduler.v1.IJob;

export interface JobRecord {
  name: string;
  description: string;
  schedule: string;
  timeZone: string;
  httpTarget: { uri: string; httpMethod: string; headers: Record<string, string>; body: Buffer; oidcToken: { serviceAccountEmail: string; audience: string } | null };
  retry: { retryCount: number; maxRetryDurationMs: number; minBackoffMs: number; maxBackoffMs: number; maxDoublings: number };
  attemptDeadlineMs: number;
  state: "ENABLED" | "PAUSED";
  /** The outcome of the last attempt (a google.rpc.Code, 0 after a 2xx); null before the first. */
  status: { code: number; message: string } | null;
  /** The next attempt: a retry of a failed one, or the next slot of the schedule. */
  scheduleTime: Date | null;
  lastAttemptTime: Date | null;
  userUpdateTime: Date;
}

/** Relaxations of the real service's limits, for fast tests only. */
export interface DefinitionLimits {
  /** Accept 6-field crons with seconds first. Default false: the real service refuses them. */
  allowSecondsCron?: boolean;
  /** Accept attempt deadlines under 15 s. Default false: the real range is [15 s, 30 min]. */
  allowShortAttemptDeadline?: boolean;
}

/** What UpdateJob's mask may name (null: any sub-field); the rest is output only and ignored. */
export const SETTABLE: Record<string, null> = Object.fromEntries(
  ["description", "schedule", "timeZone", "httpTarget", "pubsubTarget", "appEngineHttpTarget", "retryConfig", "attemptDeadline"].map((key) => [key, null]),
);
export const OUTPUT_ONLY = new Set(["name", "userUpdateTime", "state", "status", "scheduleTime", "lastAttemptTime"]);

export const PARENT_PATTERN = /^projects\/[A-Za-z0-9\-:.]+\/locations\/[A-Za-z0-9-]+$/;
const NAME_PATTERN = /^(projects\/[A-Za-z0-9\-:.]+\/locations\/[A-Za-z0-9-]+)\/jobs\/([A-Za-z0-9_-]{1,500})$/;

/** The parent and job id of a valid name, or null. */
export function parseJobName(name: string | null | undefined): { parent: string; jobId: string } | null {
  const match = NAME_PATTERN.exec(name ?? "");
  return match ? { parent: match[1]!, jobId: match[2]! } : null;
}

function nonNegativeMs(duration: protos.google.protobuf.IDuration | null | undefined, field: string, fallback: number): number {
  if (!duration) return fallback;
  const ms = toMs(duration);
  if (ms < 0) throw invalidArgument(`${field} must not be negative`);
  return ms;
}

function parseHttpTarget(wire: WireJob): JobRecord["httpTarget"] {
  if (wire.pubsubTarget || wire.appEngineHttpTarget) throw new RpcError(status.UNIMPLEMENTED, "the emulator delivers http_target jobs only");
  const target = wire.httpTarget;
  if (!target) throw invalidArgument("a job needs a target (http_target)");
  const uri = target.uri ?? "";
  if (!/^https?:\/\//i.test(uri) || !URL.canParse(uri) || uri.length > 2083) throw invalidArgument(`http_target.uri "${uri}" must be an http:// or https:// URL`);
  const httpMethod = !target.httpMethod || target.httpMethod === "HTTP_METHOD_UNSPECIFIED" ? "POST" : String(target.httpMethod);
  const body = Buffer.from(target.body ?? []);
  if (body.length > 0 && !["POST", "PUT", "PATCH"].includes(httpMethod)) throw invalidArgument(`http_target.body is not allowed with ${httpMethod}`);
  if (target.oauthToken) throw new RpcError(status.UNIMPLEMENTED, "the emulator signs OIDC tokens only, not OAuth access tokens");
  let oidcToken: JobRecord["httpTarget"]["oidcToken"] = null;
  if (target.oidcToken) {
    const serviceAccountEmail = target.oidcToken.serviceAccountEmail ?? "";
    if (!serviceAccountEmail.includes("@")) throw invalidArgument("http_target.oidc_token.service_account_email must be a service account email");
    oidcToken = { serviceAccountEmail, audience: target.oidcToken.audience ?? "" };
  }
  return { uri, httpMethod, headers: { ...target.headers }, body, oidcToken };
}

function parseRetry(wire: WireJob): JobRecord["retry"] {
  const config = wire.retryConfig ?? {};
  const retryCount = config.retryCount ?? 0;
  if (retryCount < 0 || retryCount > 5) throw invalidArgument("retry_config.retry_count must be between 0 and 5");
  const maxDoublings = config.maxDoublings ?? 0;
  if (maxDoublings < 0) throw invalidArgument("retry_config.max_doublings must not be negative");
  // The defaults the real service reports for a job created without retry_config.
  const retry = {
    retryCount,
    maxRetryDurationMs: nonNegativeMs(config.maxRetryDuration, "retry_config.max_retry_duration", 0),
    minBackoffMs: nonNegativeMs(config.minBackoffDuration, "retry_config.min_backoff_duration", 5_000),
    maxBackoffMs: nonNegativeMs(config.maxBackoffDuration, "retry_config.max_backoff_duration", 3_600_000),
    // proto3 cannot tell 0 from unset; unset means the documented default of 5.
    maxDoublings: maxDoublings || 5,
  };
  if (retry.minBackoffMs > retry.maxBackoffMs) throw invalidArgument("retry_config.min_backoff_duration must not exceed max_backoff_duration");
  return retry;
}

/** Validates a job as CreateJob or UpdateJob receives it (name already filled in). */
export function parseJobDefinition(wire: WireJob, limits: DefinitionLimits) {
  const name = wire.name ?? "";
  if (!parseJobName(name)) {
    throw invalidArgument(`job name "${name}" must be projects/PROJECT_ID/locations/LOCATION_ID/jobs/JOB_ID (JOB_ID: letters, digits, hyphens or underscores, at most 500)`);
  }
  const description = wire.description ?? "";
  if (description.length > 500) throw invalidArgument("description must not exceed 500 characters");
  const schedule = wire.schedule ?? "";
  if (schedule.trim() === "") throw invalidArgument("schedule is required");
  const timeZone = wire.timeZone || "Etc/UTC";
  try {
    parseSchedule(schedule, timeZone, { allowSeconds: limits.allowSecondsCron });
  } catch (error) {
    if (error instanceof ScheduleError) throw invalidArgument(error.message);
    throw error;
  }
  let attemptDeadlineMs = 180_000; // the real default for HTTP targets
  if (wire.attemptDeadline) {
    attemptDeadlineMs = toMs(wire.attemptDeadline);
    const min = limits.allowShortAttemptDeadline ? 1 : 15_000;
    if (attemptDeadlineMs < min || attemptDeadlineMs > 1_800_000) throw invalidArgument(`attempt_deadline must be between ${min / 1000} s and 30 min for an http_target`);
  }
  return { name, description, schedule, timeZone, httpTarget: parseHttpTarget(wire), retry: parseRetry(wire), attemptDeadlineMs };
}

const timestamp = (date: Date | null) => (date ? fromMs(date.getTime()) : undefined);

export function toWireJob(job: JobRecord): WireJob {
  const { httpTarget: target, retry } = job;
  return {
    name: job.name,
    description: job.description,
    httpTarget: { uri: target.uri, httpMethod: target.httpMethod as "POST", headers: target.headers, body: target.body, ...(target.oidcToken && { oidcToken: target.oidcToken }) },
    schedule: job.schedule,
    timeZone: job.timeZone,
    userUpdateTime: timestamp(job.userUpdateTime),
    state: job.state,
    ...(job.status && { status: job.status }),
    scheduleTime: timestamp(job.scheduleTime),
    lastAttemptTime: timestamp(job.lastAttemptTime),
    retryConfig: {
      retryCount: retry.retryCount,
      maxRetryDuration: fromMs(retry.maxRetryDurationMs),
      minBackoffDuration: fromMs(retry.minBackoffMs),
      maxBackoffDuration: fromMs(retry.maxBackoffMs),
      maxDoublings: retry.maxDoublings,
    },
    attemptDeadline: fromMs(job.attemptDeadlineMs),
  };
}
