// The wait before a retry, as RetryConfig.max_doublings documents it: start at
// min_backoff, double max_doublings times, then grow linearly by
// 2^max_doublings × min_backoff, never past max_backoff. With 10 s, 300 s and 3
// doublings: 10, 20, 40, 80, 160, 240, 300, 300 …

export interface BackoffPolicy {
  minBackoffMs: number;
  maxBackoffMs: number;
  maxDoublings: number;
}

/** Delay before retry number `retryIndex` (0 for the first retry). */
export function retryDelayMs(retryIndex: number, { minBackoffMs, maxBackoffMs, maxDoublings }: BackoffPolicy): number {
  const doubled = minBackoffMs * 2 ** Math.min(retryIndex, maxDoublings);
  const linear = retryIndex > maxDoublings ? minBackoffMs * 2 ** maxDoublings * (retryIndex - maxDoublings) : 0;
  return Math.min(doubled + linear, maxBackoffMs);
}
