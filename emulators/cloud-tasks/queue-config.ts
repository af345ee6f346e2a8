// A queue's settings: the defaults Cloud Tasks picks for unset fields, the
// limits it enforces, and UpdateQueue's field mask.
import { invalidArgument } from "./rpc-error.ts";
import type { RetryPolicy } from "./retry-policy.ts";
import { fromMs, toMs, type Duration, type QueueMessage, type RetryConfigMessage } from "./wire.ts";

/** The fields of a Queue a caller may set (name, state and purge_time are output only). */
export type QueueSettings = Pick<
  QueueMessage,
  "rate_limits" | "retry_config" | "stackdriver_logging_config" | "app_engine_routing_override"
>;

/** What the dispatcher needs from the settings. */
export interface DispatchPolicy {
  maxDispatchesPerSecond: number;
  maxBurstSize: number;
  maxConcurrentDispatches: number;
  retry: RetryPolicy;
}

// The values `gcloud tasks queues describe` shows for a queue created without settings.
const DEFAULT_RATE = 500;
const DEFAULT_CONCURRENCY = 1000;
const MAX_CONCURRENCY = 5000;
const DEFAULT_MAX_ATTEMPTS = 100;
const DEFAULT_MIN_BACKOFF_MS = 100;
const DEFAULT_MAX_BACKOFF_MS = 3600_000;
const DEFAULT_MAX_DOUBLINGS = 16;

/**
 * max_burst_size is output only: the service derives it from the rate. Its
 * formula is not published; rate/5 reproduces the 100 it shows for 500/s, and a
 * slow queue gets a bucket of one, which keeps it at its rate from the start.
 */
const burstFor = (rate: number) => Math.max(1, Math.ceil(rate / 5));

const UPDATABLE: Record<string, readonly string[]> = {
  rate_limits: ["max_dispatches_per_second", "max_burst_size", "max_concurrent_dispatches"],
  retry_config: ["max_attempts", "max_retry_duration", "min_backoff", "max_backoff", "max_doublings"],
  stackdriver_logging_config: ["sampling_ratio"],
  app_engine_routing_override: ["service", "version", "instance", "host"],
};
const OUTPUT_ONLY = new Set(["name", "state", "purge_time", "rate_limits.max_burst_size"]);

const snakeCase = (path: string) => path.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Merges `patch` into `current` along the mask's paths; an empty mask means
 * every field ("If empty, then all fields will be updated"). A path whose value
 * is unset in `patch` resets that field to its default. Paths may be snake_case
 * (gRPC) or camelCase (what REST callers write).
 */
export function applyUpdateMask(current: QueueSettings, patch: QueueMessage, paths: string[]): QueueSettings {
  const wanted = paths.length > 0 ? paths.map(snakeCase) : Object.keys(UPDATABLE);
  const merged = structuredClone(current) as Record<string, Record<string, unknown> | undefined>;
  const source = patch as Record<string, Record<string, unknown> | undefined>;
  for (const path of wanted) {
    const [top = "", sub, ...rest] = path.split(".");
    const subfields = UPDATABLE[top];
    if (OUTPUT_ONLY.has(path) || (OUTPUT_ONLY.has(top) && sub === undefined)) continue;
    if (!subfields || rest.length > 0 || (sub !== undefined && !subfields.includes(sub))) {
      throw invalidArgument(`Invalid update_mask path: "${path}".`);
    }
    if (sub === undefined) {
      merged[top] = source[top] === undefined ? undefined : structuredClone(source[top]);
    } else {
      merged[top] = { ...merged[top], [sub]: source[top]?.[sub] };
    }
  }
  return merged as QueueSettings;
}

function durationMs(value: Duration | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  const ms = toMs(value);
  if (!(ms >= 0)) throw invalidArgument(`${field} must not be negative.`);
  return ms;
}

function retryPolicy(config: RetryConfigMessage | undefined): RetryPolicy {
  const maxAttempts = config?.max_attempts || DEFAULT_MAX_ATTEMPTS;
  if (maxAttempts < -1) throw invalidArgument("RetryConfig.max_attempts must be >= -1.");
  const minBackoffMs = durationMs(config?.min_backoff, DEFAULT_MIN_BACKOFF_MS, "RetryConfig.min_backoff");
  const maxBackoffMs = durationMs(config?.max_backoff, DEFAULT_MAX_BACKOFF_MS, "RetryConfig.max_backoff");
  if (minBackoffMs > maxBackoffMs) {
    throw invalidArgument("RetryConfig.min_backoff must be less than or equal to RetryConfig.max_backoff.");
  }
  const maxDoublings = config?.max_doublings || DEFAULT_MAX_DOUBLINGS;
  if (maxDoublings < 0) throw invalidArgument("RetryConfig.max_doublings must not be negative.");
  const maxRetryDurationMs = durationMs(config?.max_retry_duration, 0, "RetryConfig.max_retry_duration");
  return { maxAttempts, maxRetryDurationMs, minBackoffMs, maxBackoffMs, maxDoublings };
}

/**
 * Validates settings and fills in the defaults, returning what GetQueue shows
 * and the policy the dispatcher applies. `maxRateCap` is the service's ceiling
 * of 500 dispatches/s unless the emulator was started with a higher one.
 */
export function resolveQueueSettings(
  input: QueueSettings,
  maxRateCap: number,
): { settings: QueueSettings; policy: DispatchPolicy } {
  const rate = input.rate_limits?.max_dispatches_per_second || DEFAULT_RATE;
  if (!(rate > 0) || rate > maxRateCap) {
    throw invalidArgument(`RateLimits.max_dispatches_per_second must be in (0, ${maxRateCap}].`);
  }
  const concurrency = input.rate_limits?.max_concurrent_dispatches || DEFAULT_CONCURRENCY;
  if (concurrency < 0 || concurrency > MAX_CONCURRENCY) {
    throw invalidArgument(`RateLimits.max_concurrent_dispatches must be in [1, ${MAX_CONCURRENCY}].`);
  }
  const sampling = input.stackdriver_logging_config?.sampling_ratio;
  if (sampling !== undefined && !(sampling >= 0 && sampling <= 1)) {
    throw invalidArgument("StackdriverLoggingConfig.sampling_ratio must be in [0, 1].");
  }
  const retry = retryPolicy(input.retry_config);
  const policy: DispatchPolicy = {
    maxDispatchesPerSecond: rate,
    maxBurstSize: burstFor(rate),
    maxConcurrentDispatches: concurrency,
    retry,
  };
  const settings: QueueSettings = {
    rate_limits: {
      max_dispatches_per_second: rate,
      max_burst_size: policy.maxBurstSize,
      max_concurrent_dispatches: concurrency,
    },
    retry_config: {
      max_attempts: retry.maxAttempts,
      max_retry_duration: fromMs(retry.maxRetryDurationMs),
      min_backoff: fromMs(retry.minBackoffMs),
      max_backoff: fromMs(retry.maxBackoffMs),
      max_doublings: retry.maxDoublings,
    },
    stackdriver_logging_config: input.stackdriver_logging_config,
    app_engine_routing_override: input.app_engine_routing_override,
  };
  return { settings, policy };
}
