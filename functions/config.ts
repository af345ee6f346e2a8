// Typed configuration, read lazily: an explicit option wins, then the
// environment, then the default. A bad value fails with the variable's name.
import { z } from "zod";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const number = (fallback: number) => z.coerce.number().finite().default(fallback);
const bool = (fallback: boolean) =>
  z.enum(["true", "false", "1", "0"]).default(fallback ? "true" : "false").transform((v) => v === "true" || v === "1");

const schema = z.object({
  /** Upstash REST URL (the local bridge in dev). Required. */
  UPSTASH_REDIS_REST_URL: z.url(),
  /** Upstash REST token. Required; never logged. */
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1),
  /** Prefix of every Redis key. Default "tq". */
  KEY_PREFIX: z.string().regex(/^[A-Za-z0-9_.:-]+$/).default("tq"),
  /** Google Cloud project and Cloud Tasks location. */
  GCP_PROJECT: z.string().default("local"),
  GCP_LOCATION: z.string().default("us-central1"),
  /** host:port of the Cloud Tasks emulator; unset in production. */
  CLOUD_TASKS_EMULATOR_HOST: z.string().optional(),
  /** URL of the worker function that Cloud Tasks calls. Required to submit. */
  WORKER_URL: z.url().optional(),
  /** URL of the GPU worker function, where media-gpu tasks go. Default WORKER_URL. */
  WORKER_GPU_URL: z.url().optional(),
  /** Service account whose OIDC token Cloud Tasks attaches (and the worker accepts). */
  TASKS_SERVICE_ACCOUNT: z.string().optional(),
  /** Audience of that token. Default: the worker URL. */
  TASKS_AUDIENCE: z.string().optional(),
  /** Verify the OIDC token on every delivery. Default true. */
  WORKER_VERIFY_OIDC: bool(true),
  /** Where Google's public keys for ID tokens are read (the emulators serve their own). */
  OIDC_CERTS_URL: z.url().optional(),
  /** API keys: JSON [{name, sha256, scopes, rate_limit?}] (see README); only hashes, never keys. */
  API_KEYS: z.string().default("[]"),
  /** base64 of 32 random bytes; needed when a task marks fields sensitive. */
  TASKS_ENCRYPTION_KEY: z.string().optional(),
  /** Largest task body accepted, bytes. Default 1,000,000 (Cloud Tasks caps a task at 1 MB). */
  MAX_TASK_BYTES: number(1_000_000),
  /** Public base URL of the api, for poll_url/result_url. Default: relative URLs. */
  PUBLIC_BASE_URL: z.string().default(""),
  /** The user system's webhook for notifications, and its HMAC secret. */
  NOTIFY_WEBHOOK_URL: z.url().optional(),
  NOTIFY_WEBHOOK_SECRET: z.string().optional(),
  /** Webhook timeout, ms. Default 10,000. */
  NOTIFY_TIMEOUT_MS: number(10_000),
  /** Cloud Storage bucket for audio, images, archives. Default "tasks-local". */
  GCS_BUCKET: z.string().default("tasks-local"),
  /** Cloud Storage emulator URL; unset for the real service. */
  GCS_ENDPOINT: z.url().optional(),
  /** The bucket is public: hand out public URLs instead of signed ones. Default false. */
  GCS_PUBLIC_BUCKET: bool(false),
  /** Lifetime of signed read URLs, seconds. Default 3600. */
  SIGNED_URL_SECONDS: number(3600),
  /** JSON {client_email, private_key} to sign URLs with; unset: the runtime service account (IAM signBlob). */
  GCS_SIGNING_CREDENTIALS: z.string().optional(),
  /** Deployed revision, shown in worker heartbeats. */
  K_REVISION: z.string().default("local"),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
});

export type Config = z.infer<typeof schema>;

let cached: Config | null = null;

/** Reads the configuration once; `overrides` (explicit options) beat the environment. */
export function config(overrides: Partial<Record<keyof Config, string>> = {}): Config {
  if (cached && Object.keys(overrides).length === 0) return cached;
  const parsed = schema.safeParse({ ...process.env, ...overrides });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  if (Object.keys(overrides).length === 0) cached = parsed.data;
  return parsed.data;
}

export function resetConfig(): void {
  cached = null;
}
