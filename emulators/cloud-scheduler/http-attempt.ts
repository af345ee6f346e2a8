// One delivery of an HTTP-target job, with the headers Cloud Scheduler sends
// (HttpTarget.headers in target.proto) and an OIDC token when the job asks for one.
// The outcome is a google.rpc.Status, which becomes the job's `status`.
import { status } from "@grpc/grpc-js";
import type { OidcSigner } from "../oidc.ts";
import { parseJobName } from "./job-definition.ts";
import type { AttemptStatus, JobRecord } from "./job-record.ts";

// Headers the service computes or reserves; a job's own values for them are dropped.
const RESERVED_HEADER = /^(host|content-length|user-agent|x-cloudscheduler.*|x-google-.*|x-appengine-.*)$/i;

/** The usual HTTP → google.rpc.Code mapping (google/rpc/code.proto). */
function codeForHttpStatus(httpStatus: number): number {
  const known: Record<number, number> = {
    400: status.INVALID_ARGUMENT, 401: status.UNAUTHENTICATED, 403: status.PERMISSION_DENIED,
    404: status.NOT_FOUND, 409: status.ABORTED, 429: status.RESOURCE_EXHAUSTED, 499: status.CANCELLED,
    500: status.INTERNAL, 501: status.UNIMPLEMENTED, 503: status.UNAVAILABLE, 504: status.DEADLINE_EXCEEDED,
  };
  if (known[httpStatus] !== undefined) return known[httpStatus];
  if (httpStatus >= 400 && httpStatus < 500) return status.FAILED_PRECONDITION;
  if (httpStatus >= 500) return status.INTERNAL;
  return status.UNKNOWN;
}

export function requestHeaders(job: JobRecord, scheduleTime: string, signer: OidcSigner): Record<string, string> {
  const { headers: own, body, oidcToken, uri } = job.httpTarget;
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(own)) {
    if (RESERVED_HEADER.test(key) || (oidcToken && /^authorization$/i.test(key))) continue;
    headers[key] = value;
  }
  if (body.length > 0 && !Object.keys(headers).some((key) => /^content-type$/i.test(key))) {
    headers["Content-Type"] = "application/octet-stream";
  }
  headers["User-Agent"] = "Google-Cloud-Scheduler";
  headers["X-CloudScheduler"] = "true";
  // The real header carries the job id, not the full resource name.
  headers["X-CloudScheduler-JobName"] = parseJobName(job.name)?.jobId ?? job.name;
  headers["X-CloudScheduler-ScheduleTime"] = scheduleTime;
  if (oidcToken) {
    const token = signer.sign({ audience: oidcToken.audience || uri, email: oidcToken.serviceAccountEmail });
    headers["Authorization"] = `Bearer ${token}`;
  }
  return headers;
}

/**
 * Sends the request and waits for the whole answer within the job's attempt_deadline.
 * `closing` aborts it when the emulator shuts down.
 */
export async function attemptHttp(
  job: JobRecord,
  scheduleTime: string,
  signer: OidcSigner,
  closing: AbortSignal,
): Promise<AttemptStatus> {
  const deadline = AbortSignal.timeout(job.attemptDeadlineMs);
  const { uri, httpMethod, body } = job.httpTarget;
  try {
    const response = await fetch(uri, {
      method: httpMethod,
      headers: requestHeaders(job, scheduleTime, signer),
      body: body.length > 0 ? new Uint8Array(body) : undefined,
      redirect: "follow",
      signal: AbortSignal.any([closing, deadline]),
    });
    await response.arrayBuffer();
    if (response.ok) return { code: status.OK, message: "" };
    return {
      code: codeForHttpStatus(response.status),
      message: `the target answered HTTP ${response.status} ${response.statusText}`.trim(),
    };
  } catch (error) {
    if (deadline.aborted) {
      return { code: status.DEADLINE_EXCEEDED, message: `no answer within the attempt deadline (${job.attemptDeadlineMs} ms)` };
    }
    if (closing.aborted) return { code: status.CANCELLED, message: "the emulator shut down during the attempt" };
    const cause = (error as Error & { cause?: Error }).cause;
    return { code: status.UNAVAILABLE, message: `the target is unreachable: ${cause?.message ?? (error as Error).message}` };
  }
}
