// The whole local stack on loopback: redis-server, the Upstash REST bridge, the
// Cloud Tasks emulator, a webhook receiver standing in for the user system, and
// the api and worker functions under functions-framework. `npm run dev`, the
// integration tests and the benchmark all start it through here.
import { randomBytes } from "node:crypto";
import { startRedisServer, type RedisServer } from "./redis-server.ts";
import { startUpstashBridge, type UpstashBridge } from "./upstash/index.ts";
import { startCloudTasksEmulator, type CloudTasksEmulator } from "./cloud-tasks/index.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver/index.ts";
import { startGcsEmulator, type GcsEmulator } from "./gcs/index.ts";
import { startEdgeTtsEmulator, type EdgeTtsEmulator } from "./edge-tts/index.ts";
import { startQdrantEmulator, type QdrantEmulator } from "./qdrant/index.ts";
import { startIngestEmulator, type IngestEmulator } from "./ingest/index.ts";
import { startPubSubEmulator, type PubSubEmulator } from "./pubsub-emulator.ts";
import { startCloudSchedulerEmulator, type CloudSchedulerEmulator } from "./cloud-scheduler/index.ts";
import { CloudSchedulerAdapter } from "../functions/adapters/cloud-scheduler/scheduler.ts";
import { applySchedulePlan, planSchedules } from "../functions/core/schedule-plan.ts";
import { declaredSchedules } from "../functions/schedules.ts";
import { startPostgresServer, type PostgresServer } from "./postgres-server.ts";
import { startGameApiEmulator, type GameApiEmulator, type GameApiOptions } from "./game-api/index.ts";
import { migrateDatabase } from "../functions/adapters/postgres/migrate.ts";
import { ensureTopology } from "../functions/adapters/pubsub/ensure-topology.ts";
import { events, lifecycleTopics } from "../functions/events/declarations.ts";
import { generateKeyPairSync } from "node:crypto";
import { Storage } from "@google-cloud/storage";
import { startFunction, type FunctionProcess } from "./functions-process.ts";
import { freePort, isPortFree } from "./ports.ts";
import type { OidcSigner } from "./oidc.ts";
import { hashApiKey } from "../functions/api/auth.ts";
import { callbackSecretFor } from "../functions/adapters/webhook/callback-secret.ts";
import { ensureQueues } from "../functions/adapters/cloud-tasks/ensure-queues.ts";
import { registry } from "../functions/registry.ts";

export const TASKS_SERVICE_ACCOUNT = "tasks-invoker@local.iam.gserviceaccount.com";
const SCHEDULER_SERVICE_ACCOUNT = "scheduler-invoker@local.iam.gserviceaccount.com";

export interface StackOptions {
  apiPort?: number;
  apiKey?: string;
  /** Extra API keys: name → {key, scopes, tenant? (default: the name), rate_limit?}. */
  extraKeys?: { name: string; tenant?: string; key: string; scopes: string[]; rate_limit?: string }[];
  /** Keys given already hashed, in API_KEYS' production format (npm run dev passes its environment's API_KEYS). */
  hashedKeys?: readonly { name: string; tenant?: string; sha256: string; scopes: readonly string[]; rate_limit?: string }[];
  keyPrefix?: string;
  logLevel?: string;
  /** Lines from the functions and emulators. */
  log?: (source: string, line: string) => void;
  /** Extra environment for the functions. */
  env?: Record<string, string>;
  /** Signs the emulator's OIDC tokens (tests that replay deliveries sign their own). */
  signer?: OidcSigner;
  /** NOTIFY_WEBHOOK_SECRET, which the stand-in receiver verifies with too. Default: a random one. */
  webhookSecret?: string;
  /** Raise the Cloud Tasks emulator's rate cap (benchmarks). */
  maxDispatchesPerSecondCap?: number;
  /** A Postgres database to use (migrated at start) instead of starting a private server: `npm run dev` passes DATABASE_URL. */
  databaseUrl?: string;
  /** Options for the game API stand-in (rate limits, a request log). */
  gameApi?: Omit<GameApiOptions, "port" | "token">;
  /** Run the functions from this bundle (scripts/package/bundle.ts writeBundle), as deployed; default the sources. */
  functionsBundle?: string;
}

export interface Stack {
  apiUrl: string;
  workerUrl: string;
  apiKey: string;
  webhookSecret: string;
  env: Record<string, string>;
  redis: RedisServer;
  bridge: UpstashBridge;
  /** Stops the Upstash bridge (Redis unreachable for the platform) and starts it again on the same port. */
  stopBridge(): Promise<void>;
  startBridge(): Promise<void>;
  cloudTasks: CloudTasksEmulator;
  receiver: WebhookReceiver;
  /** CALLBACK_SIGNING_KEY: each tenant's callback secret is callbackSecretFor(it, tenant). */
  callbackSigningKey: string;
  gcs: GcsEmulator;
  edgeTts: EdgeTtsEmulator;
  /** The Qdrant stand-in; the functions use it unless QDRANT_URL names a real Qdrant (then env.QDRANT_URL is that). */
  qdrant: QdrantEmulator;
  /** The ingest API stand-in serving the sample corpus (INGEST_URL). */
  ingest: IngestEmulator;
  pubsub: PubSubEmulator;
  scheduler: CloudSchedulerEmulator;
  /** The private Postgres server; null when StackOptions.databaseUrl named a database. */
  postgres: PostgresServer | null;
  databaseUrl: string;
  gameApi: GameApiEmulator;
  eventsUrl: string;
  api: FunctionProcess;
  worker: FunctionProcess;
  /** Restarts a function process (after a kill in a test). */
  restart(name: "api" | "worker" | "events"): Promise<FunctionProcess>;
  stop(): Promise<void>;
}

/** What the stack has started, stopped in reverse on stop() or when a later step fails. */
class Stoppers {
  private readonly stops: (() => Promise<void>)[] = [];
  /** Registers `stop` for `started` and returns it. */
  own<T>(started: T, stop: (it: T) => Promise<void> | void): T {
    this.stops.push(async () => { await stop(started); });
    return started;
  }
  async stopAll(): Promise<void> {
    for (const stop of this.stops.reverse()) await stop().catch(() => undefined);
    this.stops.length = 0;
  }
}

type Log = (source: string, line: string) => void;
type FunctionName = "api" | "worker" | "events";
const PROJECT = "local";
const LOCATION = "us-central1";
/** GCS_BUCKET: the one bucket the functions write to. */
const GCS_BUCKET = "tasks-local";
/** The service account that signs the functions' URLs: the emulator accepts its signatures only. */
const GCS_SIGNER = "signer@local.iam.gserviceaccount.com";

/** Redis and the Upstash REST bridge in front of it, which fault tests stop and start again on the same port. */
async function startRedisAndBridge(stoppers: Stoppers) {
  const redis = stoppers.own(await startRedisServer(), (r) => r.stop());
  let bridge = await startUpstashBridge({ redisPort: redis.port });
  let up = true;
  stoppers.own(null, async () => { if (up) await bridge.close(); });
  return {
    redis,
    get bridge() { return bridge; },
    async stop() {
      if (!up) return;
      up = false;
      await bridge.close();
    },
    async start() {
      if (up) return;
      bridge = await startUpstashBridge({ redisPort: redis.port, port: bridge.port, token: bridge.token });
      up = true;
    },
  };
}

/** The stand-ins for outside systems: the user system's webhook receiver, Cloud Storage, Edge TTS, Qdrant, the ingest and game APIs. */
async function startStandIns(options: StackOptions, log: Log, stoppers: Stoppers) {
  const webhookSecret = options.webhookSecret ?? randomBytes(24).toString("base64url");
  // Callbacks are signed with a secret per tenant derived from this key; the receiver knows every tenant's here.
  const callbackSigningKey = randomBytes(32).toString("base64");
  const tenants = ["_system", "dev", ...(options.extraKeys ?? []).map((k) => k.tenant ?? k.name)];
  const receiver = stoppers.own(await startWebhookReceiver({
    secret: webhookSecret,
    callbackSecrets: Object.fromEntries(tenants.map((tenant) => [tenant, callbackSecretFor(callbackSigningKey, tenant)])),
    log: (line) => log("receiver", line),
  }), (r) => r.close());
  // Signed URLs: the functions sign with a key of their own, the emulator checks with its public half.
  const signing = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
  const gcs = stoppers.own(await startGcsEmulator({ signers: { [GCS_SIGNER]: signing.publicKey }, log: (line) => log("gcs", line) }), (g) => g.close());
  const edgeTts = stoppers.own(await startEdgeTtsEmulator({ log: (line) => log("edge-tts", line) }), (e) => e.close());
  const qdrant = stoppers.own(await startQdrantEmulator({ apiKey: randomBytes(18).toString("base64url"), log: (line) => log("qdrant", line) }), (q) => q.close());
  const ingest = stoppers.own(await startIngestEmulator({ log: (line) => log("ingest", line) }), (i) => i.close());
  const gameApi = stoppers.own(await startGameApiEmulator({ log: (line) => log("game-api", line), ...options.gameApi }), (g) => g.close());
  return { webhookSecret, callbackSigningKey, receiver, signingPrivateKey: signing.privateKey, gcs, edgeTts, qdrant, ingest, gameApi };
}

/** Cloud Scheduler's emulator and the official Pub/Sub emulator, which this process's client library finds through the environment. */
async function startSchedulerAndPubSub(log: Log, stoppers: Stoppers) {
  const scheduler = stoppers.own(await startCloudSchedulerEmulator({ log: (line) => log("scheduler", line) }), (s) => s.close());
  const pubsub = stoppers.own(await startPubSubEmulator({ log: (line) => log("pubsub", line) }), (p) => p.stop());
  process.env.PUBSUB_EMULATOR_HOST = pubsub.host;
  // Nothing here runs on Google Cloud: the auth library need not probe the metadata server.
  process.env.METADATA_SERVER_DETECTION ??= "none";
  return { scheduler, pubsub };
}

/** API_KEYS: the dev key, the options' extra keys (hashed here) and the ones given hashed. */
function apiKeys(options: StackOptions, apiKey: string) {
  return [
    { name: "dev", sha256: hashApiKey(apiKey), scopes: ["admin"] },
    ...(options.extraKeys ?? []).map((k) => ({
      name: k.name, ...(k.tenant ? { tenant: k.tenant } : {}), sha256: hashApiKey(k.key), scopes: k.scopes, ...(k.rate_limit ? { rate_limit: k.rate_limit } : {}),
    })),
    ...(options.hashedKeys ?? []),
  ];
}

interface Started {
  bridge: UpstashBridge;
  cloudTasks: CloudTasksEmulator;
  standIns: Awaited<ReturnType<typeof startStandIns>>;
  scheduler: CloudSchedulerEmulator;
  pubsub: PubSubEmulator;
  databaseUrl: string;
}

/** The functions' environment, as production's variables name the real services. */
function functionEnv(options: StackOptions, started: Started, apiKey: string, ports: Record<FunctionName, number>): Record<string, string> {
  const { bridge, cloudTasks, standIns: s, scheduler, pubsub } = started;
  return {
    UPSTASH_REDIS_REST_URL: bridge.url,
    UPSTASH_REDIS_REST_TOKEN: bridge.token,
    KEY_PREFIX: options.keyPrefix ?? "tq",
    GCP_PROJECT: PROJECT,
    GCP_LOCATION: LOCATION,
    CLOUD_TASKS_EMULATOR_HOST: cloudTasks.endpoint,
    WORKER_URL: `http://127.0.0.1:${ports.worker}/`,
    TASKS_SERVICE_ACCOUNT,
    OIDC_CERTS_URL: cloudTasks.certsUrl,
    API_KEYS: JSON.stringify(apiKeys(options, apiKey)),
    TASKS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    PUBLIC_BASE_URL: `http://127.0.0.1:${ports.api}`,
    NOTIFY_WEBHOOK_URL: `${s.receiver.url}/notifications`,
    NOTIFY_WEBHOOK_SECRET: s.webhookSecret,
    PUBSUB_EMULATOR_HOST: pubsub.host,
    METADATA_SERVER_DETECTION: "none",
    CLOUD_SCHEDULER_EMULATOR_HOST: scheduler.endpoint,
    SCHEDULER_SERVICE_ACCOUNT,
    SCHEDULER_OIDC_CERTS_URL: scheduler.certsUrl,
    SCHEDULER_TARGET_URL: `http://127.0.0.1:${ports.api}`,
    GCS_ENDPOINT: s.gcs.url,
    EDGE_TTS_ENDPOINT: s.edgeTts.url,
    // A real Qdrant when the environment names one (QDRANT_API_KEY passes through too): configuration only.
    QDRANT_URL: process.env.QDRANT_URL ?? s.qdrant.url,
    ...(process.env.QDRANT_URL ? {} : { QDRANT_API_KEY: s.qdrant.apiKey as string }),
    INGEST_URL: s.ingest.url,
    DATABASE_URL: started.databaseUrl,
    GAME_API_BASE_URL: `${s.gameApi.url}/{routing}`,
    GAME_API_KEY: s.gameApi.token,
    GCS_BUCKET,
    GCS_SIGNING_CREDENTIALS: JSON.stringify({ client_email: GCS_SIGNER, private_key: s.signingPrivateKey }),
    LOG_LEVEL: options.logLevel ?? "info",
    TESTING_TASKS: "true",
    CALLBACK_SIGNING_KEY: s.callbackSigningKey,
    ...options.env,
    // The stand-in a caller's URL may name (callback_url to the user system's receiver), and whatever the
    // options add; never all of loopback: the bridge, the worker and the emulators stay out of reach.
    OUTBOUND_ALLOW_ORIGINS: [s.receiver.url, options.env?.OUTBOUND_ALLOW_ORIGINS].filter(Boolean).join(","),
  };
}

/**
 * What `terraform apply` creates in production, made in the emulators: the Cloud Tasks queues, the
 * Pub/Sub topics and subscriptions, the declared Cloud Scheduler jobs (as `npm run schedules:apply`
 * does) and the Cloud Storage bucket. A resource the functions need and production provisions
 * belongs here, so that an emulator refusing what does not exist (as the real service does) sees it.
 */
async function provisionResources(started: Started, ports: Record<FunctionName, number>, env: Record<string, string>): Promise<void> {
  await ensureQueues({ project: PROJECT, location: LOCATION, emulatorHost: started.cloudTasks.endpoint }, registry);
  await ensureTopology({
    project: PROJECT,
    events,
    platformTopics: Object.values(lifecycleTopics),
    eventsUrl: `http://127.0.0.1:${ports.events}`,
    deadLetterTopic: lifecycleTopics.eventsDeadLetter,
    maxDeliveryAttempts: 5,
  });
  const schedulerAdapter = new CloudSchedulerAdapter({
    project: PROJECT, location: LOCATION, emulatorHost: started.scheduler.endpoint, prefix: "tq-", targetUrl: `http://127.0.0.1:${ports.api}`,
    serviceAccountEmail: SCHEDULER_SERVICE_ACCOUNT, retry: { retryCount: 3, minBackoffSeconds: 5, maxBackoffSeconds: 300, maxDoublings: 5, attemptDeadlineSeconds: 60 },
  });
  await applySchedulePlan(schedulerAdapter, planSchedules(declaredSchedules(), await schedulerAdapter.list()));
  // Cloud Storage: the bucket env.GCS_BUCKET names (terraform's google_storage_bucket), for an emulator
  // that refuses writes to a missing bucket as GCS does.
  await new Storage({ apiEndpoint: env.GCS_ENDPOINT, projectId: PROJECT }).createBucket(env.GCS_BUCKET as string);
}

/** The api, worker and events functions under functions-framework, and a way to restart one. */
async function startFunctions(env: Record<string, string>, ports: Record<FunctionName, number>, log: Log, stoppers: Stoppers, bundle?: string) {
  const processes = {} as Record<FunctionName, FunctionProcess>;
  const launch = async (name: FunctionName) => {
    processes[name] = await startFunction({
      target: name, port: ports[name], env, onOutput: (line) => log(name, line),
      signatureType: name === "events" ? "cloudevent" : "http",
      ...(bundle ? { bundle } : {}),
    });
    return processes[name];
  };
  stoppers.own(null, () => Promise.all(Object.values(processes).map((p) => p.stop())).then(() => undefined));
  await Promise.all([launch("api"), launch("worker"), launch("events")]);
  return {
    processes,
    restart: async (name: FunctionName) => {
      await processes[name].stop();
      return launch(name);
    },
  };
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log: Log = options.log ?? (() => undefined);
  const stoppers = new Stoppers();
  try {
    if (options.apiPort && !(await isPortFree(options.apiPort))) {
      throw new Error(`port ${options.apiPort} is in use (another npm run dev?); set API_PORT to another port`);
    }
    // initdb takes a second or two: it runs while the rest starts.
    const postgresStarting = options.databaseUrl ? null : startPostgresServer({ log: (line) => log("postgres", line) });
    // Handled where it is awaited below; this keeps an early failure from being an unhandled rejection meanwhile.
    postgresStarting?.catch(() => undefined);
    stoppers.own(postgresStarting, async (starting) => { await (await starting)?.stop(); });
    const redisAndBridge = await startRedisAndBridge(stoppers);
    const cloudTasks = stoppers.own(await startCloudTasksEmulator({
      log: (line) => log("cloud-tasks", line),
      ...(options.maxDispatchesPerSecondCap ? { maxDispatchesPerSecondCap: options.maxDispatchesPerSecondCap } : {}),
      ...(options.signer ? { signer: options.signer } : {}),
    }), (c) => c.close());
    const standIns = await startStandIns(options, log, stoppers);
    const postgres = await postgresStarting;
    const databaseUrl = options.databaseUrl ?? (postgres as PostgresServer).url;
    await migrateDatabase(databaseUrl, (line) => log("postgres", line));
    const { scheduler, pubsub } = await startSchedulerAndPubSub(log, stoppers);

    const apiKey = options.apiKey ?? `dev_${randomBytes(18).toString("base64url")}`;
    const ports: Record<FunctionName, number> = { api: options.apiPort ?? (await freePort()), worker: await freePort(), events: await freePort() };
    const started: Started = { bridge: redisAndBridge.bridge, cloudTasks, standIns, scheduler, pubsub, databaseUrl };
    const env = functionEnv(options, started, apiKey, ports);
    await provisionResources(started, ports, env);
    const functions = await startFunctions(env, ports, log, stoppers, options.functionsBundle);

    const { receiver, gcs, edgeTts, qdrant, ingest, gameApi, webhookSecret, callbackSigningKey } = standIns;
    return {
      apiUrl: `http://127.0.0.1:${ports.api}`,
      workerUrl: env.WORKER_URL!,
      apiKey,
      webhookSecret,
      callbackSigningKey,
      env,
      redis: redisAndBridge.redis,
      get bridge() { return redisAndBridge.bridge; },
      stopBridge: () => redisAndBridge.stop(),
      startBridge: () => redisAndBridge.start(),
      cloudTasks,
      receiver,
      gcs,
      edgeTts,
      qdrant,
      ingest,
      pubsub,
      scheduler,
      postgres,
      databaseUrl,
      gameApi,
      eventsUrl: `http://127.0.0.1:${ports.events}`,
      get api() { return functions.processes.api; },
      get worker() { return functions.processes.worker; },
      restart: functions.restart,
      stop: () => stoppers.stopAll(),
    };
  } catch (error) {
    await stoppers.stopAll();
    throw error;
  }
}
