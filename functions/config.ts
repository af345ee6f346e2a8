// Typed configuration, read lazily: an explicit option wins, then the
// environment, then the default. A bad value fails with the variable's name.
import { z } from "zod";
import { isTimeZone } from "./core/daily-reset.ts";

// USER_TIERS: the users domain's tier rules (functions/tasks/users/tiers.ts applies them).
/** What USER_TIERS holds when unset. */
export const DEFAULT_USER_TIERS = '[{"name":"free","min_queries":0,"daily_limit":50},{"name":"pro","min_queries":1000,"daily_limit":500}]';

const tierRule = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "lowercase letters, digits, _ and -, at most 40"),
  min_queries: z.number().int().min(0),
  daily_limit: z.number().int().min(0),
});

const tierRules = z
  .array(tierRule)
  .min(1, "at least one tier")
  .superRefine((rules, ctx) => {
    if (!rules.some((r) => r.min_queries === 0)) ctx.addIssue({ code: "custom", message: "one tier must have min_queries 0 (where every user starts)" });
    const names = rules.map((r) => r.name);
    const duplicateName = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicateName) ctx.addIssue({ code: "custom", message: `tier "${duplicateName}" is named twice` });
    const thresholds = rules.map((r) => r.min_queries);
    const duplicateThreshold = thresholds.find((t, i) => thresholds.indexOf(t) !== i);
    if (duplicateThreshold !== undefined) ctx.addIssue({ code: "custom", message: `two tiers start at min_queries ${duplicateThreshold}` });
  })
  .transform((rules): { name: string; minQueries: number; dailyLimit: number }[] =>
    rules.map((r) => ({ name: r.name, minQueries: r.min_queries, dailyLimit: r.daily_limit })).sort((a, b) => a.minQueries - b.minQueries),
  );

/**
 * USER_TIERS as configuration reads it: JSON text → tiers sorted by threshold.
 * A malformed value fails config() with a ConfigError naming USER_TIERS.
 */
export const userTiersSetting = z
  .string()
  .default(DEFAULT_USER_TIERS)
  .transform((text, ctx) => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `not JSON: ${(error as Error).message}` });
      return z.NEVER;
    }
    const parsed = tierRules.safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: "custom", message: `${issue.path.length ? `[${issue.path.join(".")}] ` : ""}${issue.message}` });
      }
      return z.NEVER;
    }
    return parsed.data;
  });

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const number = (fallback: number) => z.coerce.number().finite().default(fallback);
const bool = (fallback: boolean) =>
  z.enum(["true", "false", "1", "0"]).default(fallback ? "true" : "false").transform((v) => v === "true" || v === "1");

const schema = z.object({
  /** Upstash REST URL (the local bridge in dev). Required by every function. */
  UPSTASH_REDIS_REST_URL: z.url().optional(),
  /** Upstash REST token. Required by every function; never logged. */
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
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
  /**
   * Largest JSON body the api reads, bytes; larger is 413 before it is read (the uploads route's image bytes:
   * MEDIA_MAX_INPUT_BYTES). Above MAX_TASK_BYTES, so a payload a little too big gets the route's 413 naming its field.
   * Default 2,097,152.
   */
  API_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(2 * 1024 * 1024),
  /** Largest delivery the worker reads, bytes (Cloud Tasks caps a task at 1 MB). Default 1,048,576. */
  WORKER_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  /** Largest Pub/Sub push the events function reads, bytes (a 10 MB message, base64 in JSON). Default 14,680,064. */
  EVENTS_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(14 * 1024 * 1024),
  /** Deepest nesting of arrays and objects in a JSON body; deeper is 400 before it is parsed. Default 64. */
  JSON_MAX_DEPTH: z.coerce.number().int().min(2).max(1000).default(64),
  /**
   * Deadlines of dependency calls, ms. On the api a stalled dependency answers 503 with Retry-After
   * (a submit stays under 3 s: Redis, then Cloud Tasks, then undoing the Redis write); on the worker
   * it is a retryable dependency error. Redis: one Upstash REST request. Default 2,000.
   */
  REDIS_TIMEOUT_MS: z.coerce.number().int().min(50).default(2_000),
  /** One Cloud Tasks call (createTask, deleteTask, queue calls). Default 2,000. */
  CLOUD_TASKS_TIMEOUT_MS: z.coerce.number().int().min(50).default(2_000),
  /** One Pub/Sub publish, batching and retries included. Default 2,000. */
  PUBSUB_TIMEOUT_MS: z.coerce.number().int().min(50).default(2_000),
  /** One Cloud Scheduler call. Default 2,500. */
  CLOUD_SCHEDULER_TIMEOUT_MS: z.coerce.number().int().min(50).default(2_500),
  /** One Cloud Storage request (its one retry stays within twice that). Default 10,000: objects of several MB. */
  GCS_TIMEOUT_MS: z.coerce.number().int().min(50).default(10_000),
  /** One Qdrant request. Default 2,500 (GET /v1/search answers within 3 s). */
  QDRANT_TIMEOUT_MS: z.coerce.number().int().min(50).default(2_500),
  /** Opening a Postgres connection, or waiting for one from the pool. Default 5,000. */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(50).default(5_000),
  /** One Postgres statement (statement_timeout; the client stops waiting 1 s later). Default 10,000. */
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(50).default(10_000),
  /** A progress write a handler waits for at most this long; a slower one goes on without it. Default 1,000. */
  PROGRESS_TIMEOUT_MS: z.coerce.number().int().min(10).default(1_000),
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
  /** Edge TTS read-aloud endpoint (the local stand-in, http://host:port); unset: the real service. */
  EDGE_TTS_ENDPOINT: z.url().optional(),
  /** Deadline for one Edge TTS synthesis (one part of the text), seconds. Default 60. */
  EDGE_TTS_TIMEOUT_SECONDS: z.coerce.number().positive().default(60),
  /** Most UTF-8 bytes of text sent to Edge TTS in one request; longer text is split at sentences. Default 4096. */
  EDGE_TTS_MAX_PART_BYTES: z.coerce.number().int().min(200).max(60_000).default(4096),
  /** Pub/Sub emulator host:port; the client library reads it too. Unset for the real service. */
  PUBSUB_EMULATOR_HOST: z.string().optional(),
  /**
   * Lifecycle events on Pub/Sub: "all" (task.succeeded, task.failed, task.revoked), "failures" (default: task.failed
   * and its dead-letter copy only), "off". Each event is a follow-up in the task's outbox: "all" costs every task a
   * publish and one more Redis request.
   */
  LIFECYCLE_EVENTS: z.enum(["all", "failures", "off"]).default("failures"),
  /**
   * How long a claim holds a running task, seconds, renewed every second by its worker (the revoke poll and progress
   * writes): a run whose worker died is taken over within this long, whatever its hard limit. Default 30.
   */
  TASK_LEASE_SECONDS: z.coerce.number().int().min(5).max(1800).default(30),
  /** Follow-ups (outbox) older than this, seconds, are carried out by the outbox sweep (platform.outbox_sweep). Default 60. */
  OUTBOX_GRACE_SECONDS: z.coerce.number().int().min(5).max(86_400).default(60),
  /**
   * Deployment secret from which each tenant's callback secret is derived (whsec_…, see README
   * "Verifying webhooks"); at least 32 characters, e.g. `openssl rand -base64 32`. No default, and never
   * the notification secret: without it callbacks fail, non-retryably, saying so. Never logged.
   */
  CALLBACK_SIGNING_KEY: z.string().min(32, "at least 32 characters (openssl rand -base64 32)").optional(),
  /** Where the sync domain reads documents: "http" (the ingest API, INGEST_URL) or "gcs" (JSON-lines files under DOCUMENTS_GCS_PREFIX in GCS_BUCKET). Default "http". */
  DOCUMENT_SOURCE: z.enum(["http", "gcs"]).default("http"),
  /** Base URL of the ingest system's API (GET /documents, GET /documents/{id}). Required when DOCUMENT_SOURCE=http. */
  INGEST_URL: z.url().optional(),
  /** Sent to the ingest API as X-API-Key when set; never logged. */
  INGEST_API_KEY: z.string().optional(),
  /** Timeout of one ingest API request, ms. Default 30,000. */
  INGEST_TIMEOUT_MS: number(30_000),
  /** Object prefix of the JSON-lines document files when DOCUMENT_SOURCE=gcs. Default "documents/". */
  DOCUMENTS_GCS_PREFIX: z.string().default("documents/"),
  /** "hashing" (offline, lexical, no model) or "openai" (an OpenAI-compatible /v1/embeddings at EMBEDDING_URL). Default "hashing". */
  EMBEDDER: z.enum(["hashing", "openai"]).default("hashing"),
  /** Base URL up to and including /v1 of the embeddings endpoint, e.g. http://tei:8080/v1. Required when EMBEDDER=openai. */
  EMBEDDING_URL: z.url().optional(),
  /** Bearer token for the embeddings endpoint; never logged. */
  EMBEDDING_API_KEY: z.string().optional(),
  /** Model name sent to the embeddings endpoint. Default "intfloat/multilingual-e5-small". */
  EMBEDDING_MODEL: z.string().default("intfloat/multilingual-e5-small"),
  /** Prepended to stored text and to search text (e5's convention). Defaults "passage: " and "query: "; set "" for models without. */
  EMBEDDING_PASSAGE_PREFIX: z.string().default("passage: "),
  EMBEDDING_QUERY_PREFIX: z.string().default("query: "),
  /** Vector size of the hashing embedder. Default 384 (the size of multilingual-e5-small). */
  EMBEDDING_DIMENSION: z.coerce.number().int().min(8).max(65_536).default(384),
  /** Texts per embeddings request. Default 32. */
  EMBEDDING_BATCH_SIZE: z.coerce.number().int().min(1).max(2048).default(32),
  /** Timeout of one embeddings request, ms. Default 60,000. */
  EMBEDDING_TIMEOUT_MS: number(60_000),
  /** Qdrant REST URL (the local stand-in in dev; a real Qdrant in production). Required by the sync domain. */
  QDRANT_URL: z.url().optional(),
  /** Qdrant API key; never logged. */
  QDRANT_API_KEY: z.string().optional(),
  /** Collection the sync domain writes and /v1/search reads unless a request names another. Default "documents". */
  QDRANT_COLLECTION: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/).default("documents"),
  /** Who runs media jobs: "local" (sharp, offline, classic non-AI algorithms) or "http" (MEDIA_PROVIDER_URL). Default "local". */
  MEDIA_PROVIDER: z.enum(["local", "http"]).default("local"),
  /** Base URL of the HTTP imaging provider (docs/media.md has its contract). Required when MEDIA_PROVIDER=http. */
  MEDIA_PROVIDER_URL: z.url().optional(),
  /** Bearer token for the imaging provider; never logged. */
  MEDIA_PROVIDER_TOKEN: z.string().optional(),
  /** Timeout of one imaging provider request, ms. Default 120,000. */
  MEDIA_PROVIDER_TIMEOUT_MS: number(120_000),
  /** Largest image input (upload, download, storage read), bytes. Default 10 MB (10,485,760). */
  MEDIA_MAX_INPUT_BYTES: number(10 * 1024 * 1024),
  /** Largest inline data: URL image accepted at submit (then moved to storage), bytes. Default 256 KB (262,144). */
  MEDIA_INLINE_MAX_BYTES: number(256 * 1024),
  /** Largest decoded input, width × height. Default 16,777,216 (4096 × 4096). */
  MEDIA_MAX_INPUT_PIXELS: number(4096 * 4096),
  /**
   * Origins (comma-separated "scheme://host:port" or "host:port") that requests a caller influences
   * (callback_url, media URLs) may reach although their addresses are not public (loopback, private,
   * link-local…), and over http: too. Every other such request goes to public https:// addresses only.
   * Default none; the local stack lists its own stand-ins; a deployment should leave it empty.
   */
  OUTBOUND_ALLOW_ORIGINS: z.string().default(""),
  /** Timeout of fetching one image URL, all redirects included, ms. Default 20,000. */
  MEDIA_FETCH_TIMEOUT_MS: number(20_000),
  /** Redirects followed when fetching an image URL. Default 3. */
  MEDIA_FETCH_MAX_REDIRECTS: z.coerce.number().int().min(0).max(10).default(3),
  /**
   * User tiers: JSON [{name, min_queries, daily_limit}], one with min_queries 0. A user's tier is the
   * highest min_queries their total queries reach. Default free (0 → 50 a day), pro (1000 → 500 a day).
   */
  USER_TIERS: userTiersSetting,
  /** IANA time zone whose midnight resets daily quotas. Default "UTC". */
  QUOTA_TIME_ZONE: z.string().default("UTC").refine(isTimeZone, "not an IANA time zone"),
  /** Oldest a cache entry (cache:<namespace>:*, the query namespace aside) may be, seconds. Default 86,400. */
  CACHE_MAX_AGE_SECONDS: z.coerce.number().int().min(1).default(86_400),
  /** Postgres for the matches domain, e.g. postgres://user:pass@host:5432/db (Cloud SQL in production). Required by the match tasks; never logged. */
  DATABASE_URL: z.string().optional(),
  /** Connections per instance: serverless instances are many, Cloud SQL's connection limit is shared. Default 2. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(20).default(2),
  /** An idle connection closes after this long, ms. Default 10,000. */
  DATABASE_IDLE_TIMEOUT_MS: number(10_000),
  /** Game API (Riot) base URL, {routing} standing for americas/europe/asia/sea. Default "https://{routing}.api.riotgames.com"; locally the stand-in's "http://127.0.0.1:PORT/{routing}". */
  GAME_API_BASE_URL: z.string().includes("{routing}").default("https://{routing}.api.riotgames.com"),
  /** Game API key, sent as X-Riot-Token. Required by the match tasks; never logged. */
  GAME_API_KEY: z.string().optional(),
  /** Timeout of one game API request, ms. Default 10,000. */
  GAME_API_TIMEOUT_MS: number(10_000),
  /** Share of each upstream rate-limit window the client uses before holding off (0-1]. Default 0.9. */
  GAME_API_LIMIT_FRACTION: z.coerce.number().gt(0).max(1).default(0.9),
  /** A full window that reopens within this many ms is waited for in-process; later ones reschedule the task. Default 2,000. */
  GAME_API_MAX_WAIT_MS: number(2_000),
  /** host:port of the Cloud Scheduler emulator; unset for the real service. */
  CLOUD_SCHEDULER_EMULATOR_HOST: z.string().optional(),
  /** Prefix of the Cloud Scheduler job ids the platform owns. Default "tq-". */
  SCHEDULER_JOB_PREFIX: z.string().regex(/^[a-zA-Z0-9_-]*$/).default("tq-"),
  /** The api's base URL that jobs call. Default PUBLIC_BASE_URL. */
  SCHEDULER_TARGET_URL: z.string().optional(),
  /** Service account whose OIDC token jobs send, and the trigger endpoint accepts. */
  SCHEDULER_SERVICE_ACCOUNT: z.string().optional(),
  /** Audience of that token. Default the target URL. */
  SCHEDULER_AUDIENCE: z.string().optional(),
  /** Where the scheduler's token keys are read. Default OIDC_CERTS_URL (Google's). */
  SCHEDULER_OIDC_CERTS_URL: z.url().optional(),
  /** Retries of a failed trigger. Default 3. */
  SCHEDULER_RETRY_COUNT: number(3),
  /** Open the testing.* task types (no-op, sleep, flaky…) to callers. The local stack and the tests set it; never a deployment. Default false. */
  TESTING_TASKS: bool(false),
  /** Deployed revision, shown in worker heartbeats and on error log lines (Cloud Run sets it). Default "local". */
  K_REVISION: z.string().default("local"),
  /** Service name on error log lines, what Error Reporting groups by (Cloud Run sets it). Default "tasks". */
  K_SERVICE: z.string().default("tasks"),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
});

export type Config = z.infer<typeof schema>;

/** Every variable the functions read: the Terraform manifest (npm run infra:manifest) lists them. */
export const configVariables = Object.keys(schema.shape) as (keyof Config)[];

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

/** A variable some component cannot do without: a ConfigError naming it when it is unset. */
export function required<K extends keyof Config>(cfg: Config, name: K): NonNullable<Config[K]> {
  const value = cfg[name];
  if (value === undefined || value === null || value === "") throw new ConfigError(`${String(name)} is not set`);
  return value as NonNullable<Config[K]>;
}
