/**
 * Asks for the next attempt after a given delay (an upstream's 429 Retry-After,
 * say) instead of the computed backoff. It still spends an attempt.
 */
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
