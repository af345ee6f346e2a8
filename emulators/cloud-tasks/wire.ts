// The shapes of google.cloud.tasks.v2 messages as @grpc/proto-loader hands them
// to us (snake_case, enums by name, unset fields undefined) and as we answer, plus
// the Timestamp/Duration conversions. Internally everything is epoch/duration ms.

export interface Timestamp { seconds?: number | string; nanos?: number }
export interface Duration { seconds?: number | string; nanos?: number }

export const HttpMethod = ["HTTP_METHOD_UNSPECIFIED", "POST", "GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"] as const;
export type HttpMethod = (typeof HttpMethod)[number];

export const QueueState = ["STATE_UNSPECIFIED", "RUNNING", "PAUSED", "DISABLED"] as const;
export type QueueState = (typeof QueueState)[number];

export const TaskView = ["VIEW_UNSPECIFIED", "BASIC", "FULL"] as const;
export type TaskView = (typeof TaskView)[number];

export interface RateLimitsMessage {
  max_dispatches_per_second?: number;
  max_burst_size?: number;
  max_concurrent_dispatches?: number;
}

export interface RetryConfigMessage {
  max_attempts?: number;
  max_retry_duration?: Duration;
  min_backoff?: Duration;
  max_backoff?: Duration;
  max_doublings?: number;
}

export interface AppEngineRoutingMessage { service?: string; version?: string; instance?: string; host?: string }

export interface QueueMessage {
  name?: string;
  app_engine_routing_override?: AppEngineRoutingMessage;
  rate_limits?: RateLimitsMessage;
  retry_config?: RetryConfigMessage;
  state?: QueueState;
  purge_time?: Timestamp;
  stackdriver_logging_config?: { sampling_ratio?: number };
}

export interface OidcTokenMessage { service_account_email?: string; audience?: string }
export interface OAuthTokenMessage { service_account_email?: string; scope?: string }

export interface HttpRequestMessage {
  url?: string;
  http_method?: HttpMethod;
  headers?: Record<string, string>;
  body?: Buffer;
  oidc_token?: OidcTokenMessage;
  oauth_token?: OAuthTokenMessage;
}

export interface RpcStatusMessage { code: number; message: string; details: never[] }

export interface AttemptMessage {
  schedule_time?: Timestamp;
  dispatch_time?: Timestamp;
  response_time?: Timestamp;
  response_status?: RpcStatusMessage;
}

export interface TaskMessage {
  name?: string;
  http_request?: HttpRequestMessage;
  app_engine_http_request?: unknown;
  schedule_time?: Timestamp;
  create_time?: Timestamp;
  dispatch_deadline?: Duration;
  dispatch_count?: number;
  response_count?: number;
  first_attempt?: AttemptMessage;
  last_attempt?: AttemptMessage;
  view?: TaskView;
}

export const toMs = (value: Timestamp | Duration): number =>
  Number(value.seconds ?? 0) * 1000 + (value.nanos ?? 0) / 1e6;

/** ms → {seconds, nanos}; works for both Timestamp (epoch ms) and Duration. */
export function fromMs(ms: number): { seconds: number; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}
