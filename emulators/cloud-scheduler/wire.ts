// The messages of google.cloud.scheduler.v1 as @grpc/proto-loader hands them over
// (camelCase, 64-bit numbers as strings, enums as names, unset fields absent), and the
// conversions between their Duration/Timestamp and milliseconds.

export interface WireDuration { seconds?: string | number; nanos?: number }
export interface WireTimestamp { seconds?: string | number; nanos?: number }
export interface WireStatus { code?: number; message?: string; details?: unknown[] }

export const HttpMethods = ["POST", "GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"] as const;
export type HttpMethod = (typeof HttpMethods)[number];

export interface WireHttpTarget {
  uri?: string;
  httpMethod?: HttpMethod | "HTTP_METHOD_UNSPECIFIED";
  headers?: Record<string, string>;
  body?: Buffer;
  oauthToken?: { serviceAccountEmail?: string; scope?: string };
  oidcToken?: { serviceAccountEmail?: string; audience?: string };
  authorizationHeader?: "oauthToken" | "oidcToken";
}

export interface WireRetryConfig {
  retryCount?: number;
  maxRetryDuration?: WireDuration;
  minBackoffDuration?: WireDuration;
  maxBackoffDuration?: WireDuration;
  maxDoublings?: number;
}

export const JobStates = ["STATE_UNSPECIFIED", "ENABLED", "PAUSED", "DISABLED", "UPDATE_FAILED"] as const;
export type JobState = (typeof JobStates)[number];

export interface WireJob {
  name?: string;
  description?: string;
  pubsubTarget?: unknown;
  appEngineHttpTarget?: unknown;
  httpTarget?: WireHttpTarget;
  target?: "pubsubTarget" | "appEngineHttpTarget" | "httpTarget";
  schedule?: string;
  timeZone?: string;
  userUpdateTime?: WireTimestamp;
  state?: JobState;
  status?: WireStatus;
  scheduleTime?: WireTimestamp;
  lastAttemptTime?: WireTimestamp;
  retryConfig?: WireRetryConfig;
  attemptDeadline?: WireDuration;
}

export function durationToMs(duration: WireDuration): number {
  return Number(duration.seconds ?? 0) * 1000 + Math.floor((duration.nanos ?? 0) / 1e6);
}

export function msToDuration(ms: number): WireDuration {
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}

export function dateToTimestamp(date: Date): WireTimestamp {
  const ms = date.getTime();
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}
