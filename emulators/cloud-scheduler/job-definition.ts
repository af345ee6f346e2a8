// What a user may set on a job, checked the way the real API checks it on CreateJob and
// UpdateJob: a bad name, cron, time zone, target or retry setting is INVALID_ARGUMENT.
import { status } from "@grpc/grpc-js";
import type { BackoffPolicy } from "./backoff.ts";
import { ScheduleError, parseCronSchedule } from "./next-run.ts";
import { RpcError, invalidArgument } from "./rpc-error.ts";
import { durationToMs, type HttpMethod, type WireDuration, type WireJob } from "./wire.ts";

export interface HttpTarget {
  uri: string;
  httpMethod: HttpMethod;
  headers: Record<string, string>;
  body: Buffer;
  oidcToken: { serviceAccountEmail: string; audience: string } | null;
}

export interface RetryPolicy extends BackoffPolicy {
  retryCount: number;
  /** 0: no time limit of its own, retry_count alone decides. */
  maxRetryDurationMs: number;
}

export interface JobDefinition {
  name: string;
  description: string;
  schedule: string;
  timeZone: string;
  httpTarget: HttpTarget;
  retry: RetryPolicy;
  attemptDeadlineMs: number;
}

/** Relaxations of the real service's limits, for fast tests only. */
export interface DefinitionLimits {
  /** Accept 6-field crons with seconds first. Default false: the real service refuses them. */
  allowSecondsCron?: boolean;
  /** Accept attempt deadlines under 15 s. Default false: the real range is [15 s, 30 min]. */
  allowShortAttemptDeadline?: boolean;
}

// The defaults the real service reports for a job created without retry_config or
// attempt_deadline.
export const DEFAULT_TIME_ZONE = "Etc/UTC";
const DEFAULT_ATTEMPT_DEADLINE_MS = 180_000;
const DEFAULT_MIN_BACKOFF_MS = 5_000;
const DEFAULT_MAX_BACKOFF_MS = 3_600_000;
const DEFAULT_MAX_DOUBLINGS = 5;

export const PARENT_PATTERN = /^projects\/[A-Za-z0-9\-:.]+\/locations\/[A-Za-z0-9-]+$/;
const NAME_PATTERN = /^(projects\/[A-Za-z0-9\-:.]+\/locations\/[A-Za-z0-9-]+)\/jobs\/([A-Za-z0-9_-]{1,500})$/;

/** The job id (last segment) of a valid name, or null. */
export function parseJobName(name: string): { parent: string; jobId: string } | null {
  const match = NAME_PATTERN.exec(name);
  return match ? { parent: match[1]!, jobId: match[2]! } : null;
}

function nonNegativeMs(duration: WireDuration | undefined, field: string, fallback: number): number {
  if (!duration) return fallback;
  const ms = durationToMs(duration);
  if (ms < 0) throw invalidArgument(`${field} must not be negative`);
  return ms;
}

function parseHttpTarget(wire: WireJob): HttpTarget {
  if (wire.pubsubTarget || wire.appEngineHttpTarget) {
    throw new RpcError(status.UNIMPLEMENTED, "the emulator delivers http_target jobs only");
  }
  const target = wire.httpTarget;
  if (!target) throw invalidArgument("a job needs a target (http_target)");
  const uri = target.uri ?? "";
  if (!/^https?:\/\//i.test(uri) || !URL.canParse(uri) || uri.length > 2083) {
    throw invalidArgument(`http_target.uri "${uri}" must be an http:// or https:// URL`);
  }
  const httpMethod = !target.httpMethod || target.httpMethod === "HTTP_METHOD_UNSPECIFIED" ? "POST" : target.httpMethod;
  const body = target.body ?? Buffer.alloc(0);
  if (body.length > 0 && !["POST", "PUT", "PATCH"].includes(httpMethod)) {
    throw invalidArgument(`http_target.body is not allowed with ${httpMethod}`);
  }
  if (target.oauthToken) {
    throw new RpcError(status.UNIMPLEMENTED, "the emulator signs OIDC tokens only, not OAuth access tokens");
  }
  let oidcToken: HttpTarget["oidcToken"] = null;
  if (target.oidcToken) {
    const serviceAccountEmail = target.oidcToken.serviceAccountEmail ?? "";
    if (!serviceAccountEmail.includes("@")) {
      throw invalidArgument("http_target.oidc_token.service_account_email must be a service account email");
    }
    oidcToken = { serviceAccountEmail, audience: target.oidcToken.audience ?? "" };
  }
  return { uri, httpMethod, headers: { ...target.headers }, body: Buffer.from(body), oidcToken };
}

function parseRetry(wire: WireJob): RetryPolicy {
  const config = wire.retryConfig ?? {};
  const retryCount = config.retryCount ?? 0;
  if (retryCount < 0 || retryCount > 5) throw invalidArgument("retry_config.retry_count must be between 0 and 5");
  const maxDoublings = config.maxDoublings ?? 0;
  if (maxDoublings < 0) throw invalidArgument("retry_config.max_doublings must not be negative");
  const policy: RetryPolicy = {
    retryCount,
    maxRetryDurationMs: nonNegativeMs(config.maxRetryDuration, "retry_config.max_retry_duration", 0),
    minBackoffMs: nonNegativeMs(config.minBackoffDuration, "retry_config.min_backoff_duration", DEFAULT_MIN_BACKOFF_MS),
    maxBackoffMs: nonNegativeMs(config.maxBackoffDuration, "retry_config.max_backoff_duration", DEFAULT_MAX_BACKOFF_MS),
    // proto3 cannot tell 0 from unset; unset means the documented default of 5.
    maxDoublings: maxDoublings || DEFAULT_MAX_DOUBLINGS,
  };
  if (policy.minBackoffMs > policy.maxBackoffMs) {
    throw invalidArgument("retry_config.min_backoff_duration must not exceed max_backoff_duration");
  }
  return policy;
}

function parseAttemptDeadline(wire: WireJob, limits: DefinitionLimits): number {
  if (!wire.attemptDeadline) return DEFAULT_ATTEMPT_DEADLINE_MS;
  const ms = durationToMs(wire.attemptDeadline);
  const min = limits.allowShortAttemptDeadline ? 1 : 15_000;
  if (ms < min || ms > 1_800_000) {
    throw invalidArgument(`attempt_deadline must be between ${min / 1000} s and 30 min for an http_target`);
  }
  return ms;
}

/** Validates a job as CreateJob or UpdateJob receives it (name already filled in). */
export function parseJobDefinition(wire: WireJob, limits: DefinitionLimits = {}): JobDefinition {
  const name = wire.name ?? "";
  if (!parseJobName(name)) {
    throw invalidArgument(
      `job name "${name}" must be projects/PROJECT_ID/locations/LOCATION_ID/jobs/JOB_ID ` +
        "(JOB_ID: letters, digits, hyphens or underscores, at most 500)",
    );
  }
  const description = wire.description ?? "";
  if (description.length > 500) throw invalidArgument("description must not exceed 500 characters");
  const schedule = wire.schedule ?? "";
  if (schedule.trim() === "") throw invalidArgument("schedule is required");
  const timeZone = wire.timeZone || DEFAULT_TIME_ZONE;
  try {
    parseCronSchedule(schedule, timeZone, { allowSeconds: limits.allowSecondsCron });
  } catch (error) {
    if (error instanceof ScheduleError) throw invalidArgument(error.message);
    throw error;
  }
  return {
    name,
    description,
    schedule,
    timeZone,
    httpTarget: parseHttpTarget(wire),
    retry: parseRetry(wire),
    attemptDeadlineMs: parseAttemptDeadline(wire, limits),
  };
}
