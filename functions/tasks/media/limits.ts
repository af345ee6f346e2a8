// Shared by the five media tasks: retries and time limits per kind of queue.
export const MEDIA_RESULT_TTL_SECONDS = 3600;

/** Provider hiccups (5xx, timeouts, 429) are retried a few times; bad input is not. */
export const mediaRetry = { maxAttempts: 4, minBackoffSeconds: 2, maxBackoffSeconds: 120 };

/** A GPU job may queue behind others at the provider. */
export const gpuTimeLimit = { softSeconds: 240, hardSeconds: 300 };
export const cpuTimeLimit = { softSeconds: 110, hardSeconds: 120 };
