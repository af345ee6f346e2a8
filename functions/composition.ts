// The one place that picks adapters for an environment and wires the platform,
// in named steps: the shared infrastructure, one wiring step per area that
// binds the adapters behind its ports, the task runtime, the scheduler, the api.
// Everything is built on first use, so a cold start pays only for what it needs.
import { randomBytes } from "node:crypto";
import type { Redis } from "@upstash/redis";
import { ConfigError, config, required, type Config } from "./config.ts";
import { registry } from "./registry.ts";
import { FieldCipher } from "./core/sensitive-fields.ts";
import { SYSTEM_TENANT } from "./core/task-record.ts";
import { submitTask, type SubmitRequest } from "./core/submit.ts";
import { createExecutor, type Executor } from "./core/executor.ts";
import { currentScope, noteTask } from "./core/trace-context.ts";
import { cloudLogger, routeConsole } from "./adapters/pino/cloud-logging.ts";
import { blobs, callbacks, kv, outbox, taskHistory, usage, type Logger } from "./core/ports.ts";
import { PortBindings } from "./core/port.ts";
import { notifier } from "./tasks/notifications/ports.ts";
import { speech } from "./tasks/tts/ports.ts";
import { documents, embedder, vectors } from "./tasks/sync/ports.ts";
import { imaging, remoteFiles } from "./tasks/media/ports.ts";
import { gameApi, matchStore } from "./tasks/matches/ports.ts";
import { userQuota, users } from "./tasks/users/ports.ts";
import { caches, conversations } from "./tasks/cleanup/ports.ts";
import { RedisTaskStore, type RawRedis } from "./adapters/redis/task-store.ts";
import { keepAliveRequester, upstashRedis } from "./adapters/redis/upstash-client.ts";
import { RedisUsageCounters } from "./adapters/redis/usage-counters.ts";
import { RedisKeyValueStore } from "./adapters/redis/key-value-store.ts";
import { RedisUserStore } from "./adapters/redis/user-store.ts";
import { RedisUserQuota } from "./adapters/redis/user-quota.ts";
import { RedisCacheSweeper } from "./adapters/redis/cache-sweeper.ts";
import { RedisConversationStore } from "./adapters/redis/conversation-store.ts";
import { RedisTaskHistory } from "./adapters/redis/task-history.ts";
import { baseTier } from "./tasks/users/tiers.ts";
import { CloudTasksQueue } from "./adapters/cloud-tasks/task-queue.ts";
import { WebhookNotifier } from "./adapters/webhook/notifier.ts";
import { SignedCallbackSender } from "./adapters/webhook/callback-sender.ts";
import { callbackSecretFor } from "./adapters/webhook/callback-secret.ts";
import { PubSubEventBus } from "./adapters/pubsub/event-bus.ts";
import { lifecycleFollowUps, publishLifecycleEvent, submitCallback, type LifecycleDeps } from "./core/lifecycle.ts";
import { sweepOutbox, type FollowUpDeps, type FollowUpRunner } from "./core/follow-ups.ts";
import { createEventsHandler } from "./events/handler.ts";
import { events, lifecycleTopics, subscriptions } from "./events/declarations.ts";
import { GcsBlobStore } from "./adapters/gcs/blob-store.ts";
import { HttpDocumentSource } from "./adapters/ingest/http-document-source.ts";
import { JsonLinesDocumentSource } from "./adapters/gcs-documents/jsonl-document-source.ts";
import { HashingEmbedder } from "./adapters/hashing-embedder/embedder.ts";
import { OpenAiEmbedder } from "./adapters/openai-embeddings/embedder.ts";
import { QdrantVectorStore } from "./adapters/qdrant/vector-store.ts";
import { NonRetryableError } from "./core/errors.ts";
import { EdgeSpeechSynthesizer } from "./adapters/edge-tts/speech-synthesizer.ts";
import { createOidcVerifier } from "./adapters/google-oidc/verifier.ts";
import { LocalImaging } from "./adapters/imaging/local/local-imaging.ts";
import { HttpImaging } from "./adapters/imaging/http-imaging.ts";
import { GuardedRemoteFiles } from "./adapters/remote-files/guarded-remote-files.ts";
import { OutboundGuard } from "./adapters/remote-files/outbound-guard.ts";
import { HttpGameApi } from "./adapters/game-api/client.ts";
import { LimitGuard } from "./adapters/game-api/limit-guard.ts";
import { PostgresMatchStore } from "./adapters/postgres/match-store.ts";
import { lazyPool } from "./adapters/postgres/pool.ts";
import { RedisRateLimiter } from "./adapters/redis/rate-limiter.ts";
import { RedisGroupStore } from "./adapters/redis/group-store.ts";
import { runGroupFollowUp, submitGroup, type GroupDeps } from "./core/groups.ts";
import { CloudSchedulerAdapter } from "./adapters/cloud-scheduler/scheduler.ts";
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

/** The infrastructure every area shares: configuration, the logger, Redis, the task store and queue, storage, the outbound guard. */
function infrastructure(cfg: () => Config) {
  const log = once((): Logger => cloudLogger({
    level: cfg().LOG_LEVEL, project: cfg().GCP_PROJECT, service: cfg().K_SERVICE, version: cfg().K_REVISION,
    trace: () => currentScope()?.trace, redact: ["headers.authorization", "headers[\"x-api-key\"]"],
  }));
  const redisOptions = () => ({ url: required(cfg(), "UPSTASH_REDIS_REST_URL"), token: required(cfg(), "UPSTASH_REDIS_REST_TOKEN") });
  // node:http keep-alive with a deadline per request: a submit answers 503 rather than hanging on a stalled
  // Redis. One retry, only for a request that never reached it (refused, stale socket).
  const requester = once(() => keepAliveRequester({ ...redisOptions(), deadlineMs: cfg().REDIS_TIMEOUT_MS, retries: 1, retryBackoffMs: 50 }));
  const rawRedis = once(() => upstashRedis(requester(), { ...redisOptions(), automaticDeserialization: false }) as unknown as RawRedis);
  const redis = once(() => upstashRedis(requester(), redisOptions()));
  // The same raw client, with the commands the user and cleanup adapters need.
  const rawClient = () => rawRedis() as unknown as Redis;
  const queueNames = () => [...registry.queues.keys()];
  const apiKeys = once((): ApiKey[] => parseApiKeys(cfg().API_KEYS));
  // Every tenant there is: those of the API keys, and the platform's own (lists across tenants walk their indexes).
  const tenants = once(() => [...new Set([...apiKeys().map((key) => key.tenant), SYSTEM_TENANT])]);
  const store = once(() => new RedisTaskStore(rawRedis(), {
    // A little inside the request's deadline: a submit that ran after its caller gave up would leave a record
    // without a Cloud Task (only a clock skew with Redis above that little could still let one through).
    prefix: cfg().KEY_PREFIX, queues: queueNames(), tenants, submitDeadlineMs: cfg().REDIS_TIMEOUT_MS - 100,
  }));
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
      timeoutMs: c.CLOUD_TASKS_TIMEOUT_MS,
    });
  });
  const cipher = once(() => new FieldCipher(cfg().TASKS_ENCRYPTION_KEY ? Buffer.from(cfg().TASKS_ENCRYPTION_KEY!, "base64") : null));
  // The one way out for requests whose URL a caller influenced (callback_url, media URLs).
  const outbound = once(() => {
    try {
      return new OutboundGuard({ allowOrigins: cfg().OUTBOUND_ALLOW_ORIGINS });
    } catch (error) {
      throw new ConfigError(`OUTBOUND_ALLOW_ORIGINS: ${(error as Error).message}`);
    }
  });
  const bus = once(() => new PubSubEventBus(cfg().GCP_PROJECT, cfg().PUBSUB_TIMEOUT_MS));
  return { cfg, log, redis, rawRedis, rawClient, queueNames, apiKeys, store, queue, cipher, outbound, bus };
}

type Infrastructure = ReturnType<typeof infrastructure>;

// One wiring step per area: each binds the adapters behind the ports its tasks declare.

/** The platform's own ports (core/ports.ts): storage, small data, callbacks, its counters and records. */
function wirePlatformPorts(ports: PortBindings, { cfg, redis, rawRedis, rawClient, queueNames, store, outbound }: Infrastructure, sweepOutboxNow: (graceMs: number, limit: number) => ReturnType<typeof sweepOutbox>) {
  ports
    .bind(blobs, () => {
      const c = cfg();
      return new GcsBlobStore({
        bucket: c.GCS_BUCKET,
        project: c.GCP_PROJECT,
        ...(c.GCS_ENDPOINT ? { endpoint: c.GCS_ENDPOINT } : {}),
        publicBucket: c.GCS_PUBLIC_BUCKET,
        signedUrlSeconds: c.SIGNED_URL_SECONDS,
        timeoutMs: c.GCS_TIMEOUT_MS,
        ...(c.GCS_SIGNING_CREDENTIALS ? { signingCredentials: JSON.parse(c.GCS_SIGNING_CREDENTIALS) as { client_email: string; private_key: string } } : {}),
      });
    })
    .bind(kv, () => new RedisKeyValueStore(redis(), cfg().KEY_PREFIX))
    .bind(callbacks, () => new SignedCallbackSender({ signingKey: cfg().CALLBACK_SIGNING_KEY, guard: outbound(), timeoutMs: cfg().NOTIFY_TIMEOUT_MS }))
    .bind(usage, () => new RedisUsageCounters(rawRedis(), cfg().KEY_PREFIX, queueNames))
    .bind(taskHistory, () => new RedisTaskHistory(rawClient(), cfg().KEY_PREFIX, store()))
    .bind(outbox, () => ({ sweep: (options) => sweepOutboxNow(options.graceMs ?? cfg().OUTBOX_GRACE_SECONDS * 1000, options.limit) }));
}

function wireNotifications(ports: PortBindings, { cfg }: Infrastructure) {
  ports.bind(notifier, () => new WebhookNotifier({ url: cfg().NOTIFY_WEBHOOK_URL, secret: cfg().NOTIFY_WEBHOOK_SECRET, timeoutMs: cfg().NOTIFY_TIMEOUT_MS }));
}

function wireTts(ports: PortBindings, { cfg }: Infrastructure) {
  ports.bind(speech, () => {
    const c = cfg();
    return new EdgeSpeechSynthesizer({
      ...(c.EDGE_TTS_ENDPOINT ? { endpoint: c.EDGE_TTS_ENDPOINT } : {}),
      timeoutMs: c.EDGE_TTS_TIMEOUT_SECONDS * 1000,
      maxTextBytes: c.EDGE_TTS_MAX_PART_BYTES,
      voiceCache: ports.get(kv),
    });
  });
}

/** Where documents come from, what embeds them, where vectors go. */
function wireSync(ports: PortBindings, { cfg }: Infrastructure) {
  ports
    .bind(documents, () => {
      const c = cfg();
      if (c.DOCUMENT_SOURCE === "gcs") return new JsonLinesDocumentSource(ports.get(blobs), c.DOCUMENTS_GCS_PREFIX);
      return new HttpDocumentSource({ url: c.INGEST_URL, ...(c.INGEST_API_KEY ? { apiKey: c.INGEST_API_KEY } : {}), timeoutMs: c.INGEST_TIMEOUT_MS });
    })
    .bind(embedder, () => {
      const c = cfg();
      if (c.EMBEDDER === "hashing") return new HashingEmbedder({ dimension: c.EMBEDDING_DIMENSION });
      if (!c.EMBEDDING_URL) throw new NonRetryableError("EMBEDDING_URL is not configured (EMBEDDER=openai needs it)");
      return new OpenAiEmbedder({
        baseUrl: c.EMBEDDING_URL, model: c.EMBEDDING_MODEL, ...(c.EMBEDDING_API_KEY ? { apiKey: c.EMBEDDING_API_KEY } : {}),
        passagePrefix: c.EMBEDDING_PASSAGE_PREFIX, queryPrefix: c.EMBEDDING_QUERY_PREFIX, batchSize: c.EMBEDDING_BATCH_SIZE, timeoutMs: c.EMBEDDING_TIMEOUT_MS,
      });
    })
    .bind(vectors, () => new QdrantVectorStore({ url: cfg().QDRANT_URL, ...(cfg().QDRANT_API_KEY ? { apiKey: cfg().QDRANT_API_KEY } : {}), defaultCollection: cfg().QDRANT_COLLECTION, timeoutMs: cfg().QDRANT_TIMEOUT_MS }));
}

/** Who runs image jobs, and how user URLs are fetched. */
function wireMedia(ports: PortBindings, { cfg, outbound }: Infrastructure) {
  ports
    .bind(imaging, () => {
      const c = cfg();
      const limits = { maxInputBytes: c.MEDIA_MAX_INPUT_BYTES, maxInlineBytes: c.MEDIA_INLINE_MAX_BYTES, maxInputPixels: c.MEDIA_MAX_INPUT_PIXELS };
      if (c.MEDIA_PROVIDER === "local") return new LocalImaging({ limits });
      if (!c.MEDIA_PROVIDER_URL) throw new Error("MEDIA_PROVIDER_URL is not configured (MEDIA_PROVIDER=http needs it)");
      return new HttpImaging({ url: c.MEDIA_PROVIDER_URL, ...(c.MEDIA_PROVIDER_TOKEN ? { token: c.MEDIA_PROVIDER_TOKEN } : {}), timeoutMs: c.MEDIA_PROVIDER_TIMEOUT_MS, limits });
    })
    .bind(remoteFiles, () => new GuardedRemoteFiles({ guard: outbound(), timeoutMs: cfg().MEDIA_FETCH_TIMEOUT_MS, maxRedirects: cfg().MEDIA_FETCH_MAX_REDIRECTS }));
}

/**
 * The game API, slowed by its own rate-limit headers (shared between instances through kv),
 * and Postgres through a small lazy pool.
 */
function wireMatches(ports: PortBindings, { cfg, log }: Infrastructure) {
  const database = lazyPool(() => {
    const c = cfg();
    if (!c.DATABASE_URL) throw new NonRetryableError("DATABASE_URL is not configured");
    return {
      connectionString: c.DATABASE_URL, max: c.DATABASE_POOL_MAX, idleTimeoutMs: c.DATABASE_IDLE_TIMEOUT_MS,
      connectionTimeoutMs: c.DATABASE_CONNECT_TIMEOUT_MS, queryTimeoutMs: c.DATABASE_QUERY_TIMEOUT_MS,
      onIdleError: (error) => log().warn({ err: error }, "an idle Postgres connection failed"),
    };
  });
  ports
    .bind(gameApi, () => {
      const c = cfg();
      return new HttpGameApi({
        baseUrl: c.GAME_API_BASE_URL, apiKey: c.GAME_API_KEY, timeoutMs: c.GAME_API_TIMEOUT_MS,
        guard: new LimitGuard({ kv: () => ports.get(kv), fraction: c.GAME_API_LIMIT_FRACTION, maxWaitMs: c.GAME_API_MAX_WAIT_MS }),
      });
    })
    .bind(matchStore, () => new PostgresMatchStore(database));
}

/** Users' totals and tiers (the user tasks), and the daily quota the api charges at submit. */
function wireUsers(ports: PortBindings, { cfg, rawClient }: Infrastructure) {
  ports
    .bind(users, () => new RedisUserStore(rawClient(), { prefix: cfg().KEY_PREFIX, tiers: cfg().USER_TIERS }))
    .bind(userQuota, () => new RedisUserQuota(rawClient(), {
      prefix: cfg().KEY_PREFIX, defaultLimit: baseTier(cfg().USER_TIERS).dailyLimit, timeZone: cfg().QUOTA_TIME_ZONE,
    }));
}

/** Cache namespaces and conversations in Redis. */
function wireCleanup(ports: PortBindings, { cfg, rawClient }: Infrastructure) {
  ports
    .bind(caches, () => new RedisCacheSweeper(rawClient(), { prefix: cfg().KEY_PREFIX, defaultMaxAgeMs: cfg().CACHE_MAX_AGE_SECONDS * 1000 }))
    .bind(conversations, () => new RedisConversationStore(rawClient(), cfg().KEY_PREFIX));
}

/** The domains' wiring steps; a new domain adds its own here. */
const wireDomains = [wireNotifications, wireTts, wireSync, wireMedia, wireMatches, wireUsers, wireCleanup];

/** Submit, groups, lifecycle events and callbacks, the outbox, the executor. */
function taskRuntime(infra: Infrastructure, ports: PortBindings) {
  const { cfg, log, rawRedis, store, queue, cipher, outbound, bus } = infra;
  const submit = async (request: SubmitRequest) => {
    const submitted = await submitTask({ registry, store: store(), queue: queue(), cipher: cipher(), log: log(), maxTaskBytes: cfg().MAX_TASK_BYTES, ports, outbound: outbound() }, request);
    // The api's request line names the task a request submitted.
    noteTask(submitted.taskId);
    return submitted;
  };
  const groupDeps = once((): GroupDeps => ({
    groups: new RedisGroupStore(rawRedis(), cfg().KEY_PREFIX), store: store(), submit, open: (v) => cipher().open(v), log: log(),
  }));
  const lifecycleDeps = once((): LifecycleDeps => ({ bus, submit, cipher: cipher(), mode: cfg().LIFECYCLE_EVENTS, topics: lifecycleTopics }));
  // What follows a final state, by kind (functions/core/follow-ups.ts): the executor, a redelivery and the outbox sweep share it.
  const runFollowUp: FollowUpRunner = async (task, kind) => {
    switch (kind) {
      case "event": return publishLifecycleEvent(lifecycleDeps(), task);
      case "callback": return submitCallback(lifecycleDeps(), task);
      case "chain":
      case "chord": return runGroupFollowUp(groupDeps(), task, kind);
    }
  };
  const followUpDeps = once((): FollowUpDeps => ({ store: store(), run: runFollowUp, log: log() }));
  const sweepOutboxNow = (graceMs: number, limit: number) => sweepOutbox(followUpDeps(), { graceMs, limit });
  const executor = once((): Executor =>
    createExecutor({
      registry, store: store(), queue: queue(), cipher: cipher(), log: log(), ports, submit,
      workerId: `${cfg().K_REVISION}-${randomBytes(4).toString("hex")}`,
      progressTimeoutMs: cfg().PROGRESS_TIMEOUT_MS,
      revision: cfg().K_REVISION,
      leaseMs: cfg().TASK_LEASE_SECONDS * 1000,
      runFollowUp,
      plannedFollowUps: (status, type, callbackUrl) => lifecycleFollowUps(cfg().LIFECYCLE_EVENTS, status, type, callbackUrl),
      submitGroup: async (spec, options) => {
        const group = await submitGroup(groupDeps(), spec, options);
        return { groupId: group.id, taskIds: await groupDeps().groups.members(group.id, 0, group.total) };
      },
    }),
  );
  const eventsHandler = once(() => createEventsHandler({ events, subscriptions, submit, log: log() }));
  return { submit, groupDeps, sweepOutboxNow, executor, eventsHandler };
}

/** Cloud Scheduler, and the verifier of its OIDC tokens on the trigger endpoint. */
function schedulerParts(cfg: () => Config) {
  const schedulerTarget = () => cfg().SCHEDULER_TARGET_URL ?? cfg().PUBLIC_BASE_URL;
  const scheduler = once(() => {
    const c = cfg();
    return new CloudSchedulerAdapter({
      project: c.GCP_PROJECT,
      location: c.GCP_LOCATION,
      ...(c.CLOUD_SCHEDULER_EMULATOR_HOST ? { emulatorHost: c.CLOUD_SCHEDULER_EMULATOR_HOST } : {}),
      prefix: c.SCHEDULER_JOB_PREFIX,
      targetUrl: schedulerTarget(),
      ...(c.SCHEDULER_SERVICE_ACCOUNT ? { serviceAccountEmail: c.SCHEDULER_SERVICE_ACCOUNT } : {}),
      ...(c.SCHEDULER_AUDIENCE ? { audience: c.SCHEDULER_AUDIENCE } : {}),
      retry: { retryCount: c.SCHEDULER_RETRY_COUNT, minBackoffSeconds: 5, maxBackoffSeconds: 300, maxDoublings: 5, attemptDeadlineSeconds: 60 },
      timeoutMs: c.CLOUD_SCHEDULER_TIMEOUT_MS,
    });
  });
  const schedulerVerifier = once(() => {
    const c = cfg();
    if (!c.SCHEDULER_SERVICE_ACCOUNT) return null;
    const certsUrl = c.SCHEDULER_OIDC_CERTS_URL ?? c.OIDC_CERTS_URL;
    return createOidcVerifier({ audience: c.SCHEDULER_AUDIENCE ?? schedulerTarget(), serviceAccountEmail: c.SCHEDULER_SERVICE_ACCOUNT, ...(certsUrl ? { certsUrl } : {}) });
  });
  return { scheduler, schedulerVerifier };
}

/** Verifies the OIDC tokens Cloud Tasks sends the worker; null when WORKER_VERIFY_OIDC is off. */
function workerVerifier(cfg: () => Config) {
  const verifier = once((): TokenVerifier | null => {
    const c = cfg();
    if (!c.WORKER_VERIFY_OIDC) return null;
    // Tokens are minted for the worker a queue names (composition: workerUrls), and worker-gpu runs this
    // same code with the same variables: either worker's URL is an audience of the platform's own.
    const audience = c.TASKS_AUDIENCE ?? [...new Set([c.WORKER_URL, c.WORKER_GPU_URL].filter((url): url is string => Boolean(url)))];
    if (audience.length === 0) throw new Error("WORKER_URL (or TASKS_AUDIENCE) is needed to verify OIDC tokens; or set WORKER_VERIFY_OIDC=false");
    return createOidcVerifier({
      audience,
      ...(c.TASKS_SERVICE_ACCOUNT ? { serviceAccountEmail: c.TASKS_SERVICE_ACCOUNT } : {}),
      ...(c.OIDC_CERTS_URL ? { certsUrl: c.OIDC_CERTS_URL } : {}),
    });
  });
  return verifier;
}

export function createPlatform(cfg: () => Config = () => config()) {
  const infra = infrastructure(cfg);
  const { log, rawRedis, store, queue, cipher, apiKeys, bus } = infra;
  const ports = new PortBindings();
  const runtime = taskRuntime(infra, ports);
  wirePlatformPorts(ports, infra, runtime.sweepOutboxNow);
  for (const wire of wireDomains) wire(ports, infra);
  const { submit, groupDeps, executor, eventsHandler } = runtime;
  const { scheduler, schedulerVerifier } = schedulerParts(cfg);
  /** A tenant's callback secret (whsec_…), what its receivers verify callbacks with. */
  const callbackSecret = (tenant: string): string => callbackSecretFor(required(cfg(), "CALLBACK_SIGNING_KEY"), tenant);
  const apiDeps = once((): ApiDeps => ({
    callbackSecret,
    registry, store: store(), queue: queue(), cipher: cipher(), log: log(), keys: apiKeys,
    rateLimiter: once(() => new RedisRateLimiter(rawRedis(), cfg().KEY_PREFIX)), submit, publicBaseUrl: cfg().PUBLIC_BASE_URL, bus, scheduler, schedulerVerifier, groups: groupDeps,
    ports, userQuota: () => ports.get(userQuota),
  }));
  /** console.* through the logger, so every line the process writes is a structured entry. */
  const logConsole = () => routeConsole(log());
  return { groupDeps, log, logConsole, store, queue, executor, apiDeps, verifier: workerVerifier(cfg), registry, ports, bus, eventsHandler, scheduler, callbackSecret };
}
