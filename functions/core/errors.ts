// Every error the platform itself raises or understands, in one place (as Celery's exceptions.py).
//
//   Error
//   ├── NonRetryableError      a handler's verdict: FAILURE now, whatever attempts are left (bad input, an upstream 4xx)
//   ├── RetryAfterError        next attempt after the given delay instead of the backoff (an upstream 429 Retry-After)
//   ├── DependencyError        Redis, Cloud Tasks, Pub/Sub… did not answer: the api answers 503, the worker a non-2xx
//   │                          so that Cloud Tasks delivers again; an outcome's write is tried again while it lasts
//   ├── SubmissionError        a submit the platform refuses (code + details): the api answers a 4xx naming the problem
//   ├── ScheduleConflict       a schedule of that name exists already (Cloud Scheduler's ALREADY_EXISTS)
//   ├── PoisonEvent            a Pub/Sub message no retry can make valid: the events function acknowledges it and says so
//   └── raised by the executor inside a run (run-handler.ts), never by a handler:
//       ├── SoftTimeLimitExceeded  the signal's reason at the soft limit: the handler may wind down (a RETRY as any error)
//       ├── TimeLimitExceeded      the hard limit: the run stops waiting for the handler
//       ├── TaskRevoked            the task was revoked while running: REVOKED
//       └── LeaseLost              another run took the task over: this run's outcome would be fenced off
//
// Elsewhere, each kept beside the only code that throws and catches it:
//   ApiError (the api's HTTP answer: status + code), ConfigError (config.ts, a bad variable at start-up),
//   the adapters' own (SpeechServiceError, RefusedUrl) and the emulators' RpcError (wire-protocol stand-ins).
//
// Why checks go by `name` (isNonRetryable, isRetryAfter, isDependencyError) and not `instanceof`: an error crosses
// module copies — a task bundled with its own copy of this file, a test loading the source beside a built bundle,
// vitest's module graph — and each copy has its own class, so `instanceof` is false for an error the other copy
// threw. The `name` is the contract; each class sets it as a readonly field so a subclass or a minifier cannot lose it.

export class NonRetryableError extends Error {
  override readonly name = "NonRetryableError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export const isNonRetryable = (error: unknown): boolean =>
  error instanceof Error && error.name === "NonRetryableError";

export class RetryAfterError extends Error {
  override readonly name = "RetryAfterError";
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number, options?: { cause?: unknown }) {
    super(message, options);
    this.retryAfterSeconds = Math.max(0, retryAfterSeconds);
  }
}

export const isRetryAfter = (error: unknown): error is RetryAfterError =>
  error instanceof Error && error.name === "RetryAfterError" && "retryAfterSeconds" in error;

export class DependencyError extends Error {
  override readonly name = "DependencyError";
  readonly dependency: string;
  constructor(dependency: string, message: string, options?: { cause?: unknown }) {
    super(`${dependency}: ${message}`, options);
    this.dependency = dependency;
  }
}

export const isDependencyError = (error: unknown): error is DependencyError =>
  error instanceof Error && error.name === "DependencyError";

export const SubmissionErrorCode = ["unknown_type", "invalid_payload", "invalid_schedule", "payload_too_large", "over_quota", "idempotency_key_reused", "invalid_callback_url"] as const;
export type SubmissionErrorCode = (typeof SubmissionErrorCode)[number];

export interface FieldIssue {
  path: string;
  message: string;
}

export class SubmissionError extends Error {
  override readonly name = "SubmissionError";
  readonly code: SubmissionErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: SubmissionErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

/** zod issues as field paths a client can act on (a SubmissionError's details). */
export function fieldIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], prefix = ""): FieldIssue[] {
  return issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join("."),
    message: issue.message,
  }));
}

export class ScheduleConflict extends Error {
  override readonly name = "ScheduleConflict";
}

export class PoisonEvent extends Error {
  override readonly name = "PoisonEvent";
}

export class SoftTimeLimitExceeded extends Error {
  override readonly name = "SoftTimeLimitExceeded";
}

export class TimeLimitExceeded extends Error {
  override readonly name = "TimeLimitExceeded";
}

export class TaskRevoked extends Error {
  override readonly name = "TaskRevoked";
}

export class LeaseLost extends Error {
  override readonly name = "LeaseLost";
}
