// Exponential backoff with "equal jitter": half the interval is fixed, half random,
// so retries spread out yet never come sooner than half the exponential step.
export interface RetryPolicy {
  /** Attempts in all, the first included. Default 3. */
  maxAttempts: number;
  /** First retry interval, seconds. Default 1. */
  minBackoffSeconds: number;
  /** Longest retry interval, seconds. Default 300. */
  maxBackoffSeconds: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 3, minBackoffSeconds: 1, maxBackoffSeconds: 300 };

/** Delay before attempt `attempt + 1`, after `attempt` attempts failed (attempt >= 1). */
export function backoffSeconds(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const exponential = policy.minBackoffSeconds * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(policy.maxBackoffSeconds, exponential);
  return capped / 2 + (random() * capped) / 2;
}
