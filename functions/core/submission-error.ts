/** A submit the platform refuses; the API answers it with a 4xx naming the problem. */
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

/** zod issues as field paths a client can act on. */
export function fieldIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], prefix = ""): FieldIssue[] {
  return issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join("."),
    message: issue.message,
  }));
}
