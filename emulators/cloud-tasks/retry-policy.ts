// When a failed task is tried again, and when Cloud Tasks gives up on it.

export interface RetryPolicy {
  /** Attempts in all, the first included; -1 = unlimited. */
  maxAttempts: number;
  /** Time limit for retrying, from the first attempt; 0 = unlimited. */
  maxRetryDurationMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  maxDoublings: number;
}

/**
 * Delay before retry number `retry` (1 = the first retry). As RetryConfig
 * documents: start at min_backoff, double max_doublings times, then grow
 * linearly by the last doubled step, never above max_backoff. With 10 s, 300 s
 * and 3 doublings: 10, 20, 40, 80, 160, 240, 300, 300 …
 */
export function retryDelayMs(policy: RetryPolicy, retry: number): number {
  const doublings = Math.min(retry - 1, policy.maxDoublings);
  const step = policy.minBackoffMs * 2 ** doublings;
  const linear = Math.max(0, retry - 1 - policy.maxDoublings);
  return Math.min(policy.maxBackoffMs, step * (1 + linear));
}

/**
 * Whether a task that just failed gets no more attempts. When both limits are
 * set, both must be reached ("Once max_retry_duration time has passed *and* the
 * task has been attempted max_attempts times, no further attempts will be made").
 */
export function retriesExhausted(
  policy: RetryPolicy,
  task: { dispatchCount: number; firstDispatchMs: number },
  nowMs: number,
): boolean {
  const attemptsLimited = policy.maxAttempts !== -1;
  const durationLimited = policy.maxRetryDurationMs > 0;
  const attemptsDone = attemptsLimited && task.dispatchCount >= policy.maxAttempts;
  const durationDone = durationLimited && nowMs - task.firstDispatchMs >= policy.maxRetryDurationMs;
  if (attemptsLimited && durationLimited) return attemptsDone && durationDone;
  return attemptsDone || durationDone;
}
