/**
 * Ends a task as FAILURE at once, whatever attempts are left: bad input, a 4xx
 * from upstream, anything a retry cannot fix.
 */
export class NonRetryableError extends Error {
  override readonly name = "NonRetryableError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export const isNonRetryable = (error: unknown): boolean =>
  error instanceof Error && error.name === "NonRetryableError";
