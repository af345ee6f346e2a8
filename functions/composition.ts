// The one place that picks adapters for an environment and wires the platform.
// Everything is built on first use, so a cold start pays only for what it needs.
import { randomBytes } from "node:crypto";
import { Redis } from "@upstash/redis";
import pino from "pino";
import { config, type Config } from "./config.ts";
import { registry } from "./registry.ts";
import { FieldCipher } from "./core/sensitive-fields.ts";
import { submitTask, type SubmitRequest } from "./core/submit.ts";
import { createExecutor, type Executor } from "./core/executor.ts";
import type { Logger, Ports } from "./core/ports.ts";
import { RedisTaskStore, type RawRedis } from "./adapters/redis/task-store.ts";
import { RedisUsageCounters } from "./adapters/redis/usage-counters.ts";
import { RedisKeyValueStore } from "./adapters/redis/key-value-store.ts";
import { CloudTasksQueue } from "./adapters/cloud-tasks/task-queue.ts";
import { WebhookNotifier } from "./adapters/webhook/notifier.ts";
import { GcsBlobStore } from "./adapters/gcs/blob-store.ts";
import { createOidcVerifier } from "./adapters/google-oidc/verifier.ts";
import { createRateLimiter } from "./api/rate-limit.ts";
import { parseApiKeys, type ApiKey } from "./api/auth.ts";
import type { ApiDeps } from "./api/deps.ts";
import type { TokenVerifier } from "./worker/handler.ts";

const once = <T>(build: () => T): (() => T) => {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
};

export function createPlatform(cfg: () => Config = () => config()) {
  const log = once((): Logger => pino({ level: cfg().LOG_LEVEL, base: { svc: "tasks" }, redact: ["headers.authorization", "headers[\"x-api-key\"]"] }));
  const redisOptions = () => ({
    url: cfg().UPSTASH_REDIS_REST_URL,
    token: cfg().UPSTASH_REDIS_REST_TOKEN,
    enableTelemetry: false,
    // Fail fast: a submit answers 503 rather than hanging on a dead Redis.
    retry: { retries: 1, backoff: () => 50 },
  });
  const rawRedis = once(() => new Redis({ ...redisOptions(), automaticDeserialization: false }) as unknown as RawRedis);
  const redis = once(() => new Redis(redisOptions()));
  const queueNames = () => [...registry.queues.keys()];
  const store = once(() => {
    const s = new RedisTaskStore(rawRedis(), { prefix: cfg().KEY_PREFIX });
    s.setQueues(queueNames());
    return s;
  });
  const queue = once(() => {
    const c = cfg();
    const worker = c.WORKER_URL ?? "";
    return new CloudTasksQueue({
      project: c.GCP_PROJECT,
      location: c.GCP_LOCATION,
      ...(c.CLOUD_TASKS_EMULATOR_HOST ? { emulatorHost: c.CLOUD_TASKS_EMULATOR_HOST } : {}),
      workerUrls: Object.fromEntries(Object.entries({ worker, "worker-gpu": c.WORKER_GPU_URL ?? worker }).filter(([, url]) => url)),
      ...(c.TASKS_SERVICE_ACCOUNT ? { serviceAccountEmail: c.TASKS_SERVICE_ACCOUNT } : {}),
      ...(c.TASKS_AUDIENCE ? { audience: c.TASKS_AUDIENCE } : {}),
    });
  });
  const cipher = once(() => new FieldCipher(cfg().TASKS_ENCRYPTION_KEY ? Buffer.from(cfg().TASKS_ENCRYPTION_KEY!, "base64") : null));
  const blobs = once(() => {
    const c = cfg();
    return new GcsBlobStore({
      bucket: c.GCS_BUCKET,
      project: c.GCP_PROJECT,
      ...(c.GCS_ENDPOINT ? { endpoint: c.GCS_ENDPOINT } : {}),
      publicBucket: c.GCS_PUBLIC_BUCKET,
      signedUrlSeconds: c.SIGNED_URL_SECONDS,
      ...(c.GCS_SIGNING_CREDENTIALS ? { signingCredentials: JSON.parse(c.GCS_SIGNING_CREDENTIALS) as { client_email: string; private_key: string } } : {}),
    });
  });
  // Getters: a handler that never touches a port never builds its adapter.
  const ports = once((): Ports => {
    const notifier = once(() => new WebhookNotifier({ url: cfg().NOTIFY_WEBHOOK_URL, secret: cfg().NOTIFY_WEBHOOK_SECRET, timeoutMs: cfg().NOTIFY_TIMEOUT_MS }));
    const usage = once(() => new RedisUsageCounters(rawRedis(), cfg().KEY_PREFIX, queueNames));
    const kv = once(() => new RedisKeyValueStore(redis(), cfg().KEY_PREFIX));
    return {
      get kv() { return kv(); },
      get notifier() { return notifier(); },
      get usage() { return usage(); },
      get blobs() { return blobs(); },
    };
  });
  const submit = (request: SubmitRequest) =>
    submitTask({ registry, store: store(), queue: queue(), cipher: cipher(), log: log(), maxTaskBytes: cfg().MAX_TASK_BYTES }, request);
  const executor = once((): Executor =>
    createExecutor({
      registry, store: store(), queue: queue(), cipher: cipher(), log: log(), ports: ports(), submit,
      workerId: `${cfg().K_REVISION}-${randomBytes(4).toString("hex")}`,
      revision: cfg().K_REVISION,
    }),
  );
  const apiKeys = once((): ApiKey[] => parseApiKeys(cfg().API_KEYS));
  const apiDeps = once((): ApiDeps => ({
    registry, store: store(), queue: queue(), cipher: cipher(), log: log(), keys: apiKeys,
    rateLimiter: createRateLimiter(redis(), cfg().KEY_PREFIX), submit, publicBaseUrl: cfg().PUBLIC_BASE_URL,
  }));
  const verifier = once((): TokenVerifier | null => {
    const c = cfg();
    if (!c.WORKER_VERIFY_OIDC) return null;
    const audience = c.TASKS_AUDIENCE ?? c.WORKER_URL;
    if (!audience) throw new Error("WORKER_URL (or TASKS_AUDIENCE) is needed to verify OIDC tokens; or set WORKER_VERIFY_OIDC=false");
    return createOidcVerifier({
      audience,
      ...(c.TASKS_SERVICE_ACCOUNT ? { serviceAccountEmail: c.TASKS_SERVICE_ACCOUNT } : {}),
      ...(c.OIDC_CERTS_URL ? { certsUrl: c.OIDC_CERTS_URL } : {}),
    });
  });
  return { log, store, queue, executor, apiDeps, verifier, registry, ports, blobs };
}

export type Platform = ReturnType<typeof createPlatform>;
