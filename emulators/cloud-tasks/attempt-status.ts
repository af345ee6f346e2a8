// The google.rpc.Status an attempt's outcome is recorded as in
// Task.last_attempt.response_status (HTTP → canonical code, as Google maps them).
import { status } from "@grpc/grpc-js";
import type { AttemptOutcome } from "./http-attempt.ts";
import type { RpcStatusMessage } from "./wire.ts";

const BY_HTTP_STATUS: Record<number, status> = {
  400: status.INVALID_ARGUMENT,
  401: status.UNAUTHENTICATED,
  403: status.PERMISSION_DENIED,
  404: status.NOT_FOUND,
  409: status.ABORTED,
  412: status.FAILED_PRECONDITION,
  416: status.OUT_OF_RANGE,
  429: status.RESOURCE_EXHAUSTED,
  499: status.CANCELLED,
  501: status.UNIMPLEMENTED,
  503: status.UNAVAILABLE,
  504: status.DEADLINE_EXCEEDED,
};

function codeFor(httpStatus: number): status {
  if (httpStatus >= 200 && httpStatus < 300) return status.OK;
  return BY_HTTP_STATUS[httpStatus] ?? (httpStatus >= 500 ? status.INTERNAL : status.UNKNOWN);
}

export function attemptStatus(outcome: AttemptOutcome): RpcStatusMessage {
  switch (outcome.kind) {
    case "response": {
      const code = codeFor(outcome.httpStatus);
      return { code, message: `${status[code]}(${code}): HTTP status code ${outcome.httpStatus}`, details: [] };
    }
    case "deadline":
      return { code: status.DEADLINE_EXCEEDED, message: "The request exceeded the task's dispatch_deadline.", details: [] };
    case "network":
      return { code: status.UNAVAILABLE, message: `The target could not be reached: ${outcome.detail}`, details: [] };
  }
}

/**
 * What X-CloudTasks-TaskPreviousResponse reports after an attempt: the status,
 * 504 after a deadline (as captured from the real service), and 503 when nothing
 * answered at all (not captured; the closest status a front end would give).
 */
export function previousResponseFor(outcome: AttemptOutcome): number {
  if (outcome.kind === "response") return outcome.httpStatus;
  return outcome.kind === "deadline" ? 504 : 503;
}
