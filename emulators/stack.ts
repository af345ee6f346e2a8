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
import { schedules } from "../functions/schedules.ts";
import { startPostgresServer, type PostgresServer } from "./postgres-server.ts";
import { startGameApiEmulator, type GameApiEmulator, type GameApiOptions } from "./game-api/index.ts";
import { migrateDatabase } from "../functions/adapters/postgres/migrate.ts";
import { ensureTopology } from "../functions/adapters/pubsub/ensure-topology.ts";
import { events, lifecycleTopics } from "../functions/events/declarations.ts";
import { generateKeyPairSync } from "node:crypto";
import { startFunction, type FunctionProcess } from "./functions-process.ts";
import { freePort, isPortFree } from "./ports.ts";
import type { OidcSigner } from "./oidc.ts";
import { hashApiKey } from "../functions/api/auth.ts";
import { callbackSecretFor } from "../functions/adapters/webhook/callback-secret.ts";
import { ensureQueues } from "../functions/adapters/cloud-tasks/ensure-queues.ts";
import { registry } from "../functions/registry.ts";

export const TASKS_SERVICE_ACCOUNT = "tasks-invoker@local.iam.gserviceaccount.com";
export const SCHEDULER_SERVICE_ACCOUNT = "scheduler-invoker@local.iam.gserviceaccount.com";

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

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? (() => undefined);
  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
  };
  try {
    if (options.apiPort && !(await isPortFree(options.apiPort))) {
      throw new Error(`port ${options.apiPort} is in use (another npm run dev?); set API_PORT to another port`);
    }
    // initdb takes a second or two: it runs while the rest starts.
    const postgresStarting = options.databaseUrl ? null : startPostgresServer({ log: (line) => log("postgres", line) });
    // Handled where it is awaited below; this keeps an early failure from being an unhandled rejection meanwhile.
    postgresStarting?.catch(() => undefined);
    stoppers.push(async () => { await (await postgresStarting)?.stop(); });
    const redis = await startRedisServer();
    stoppers.push(() => redis.stop());
    let bridge = await startUpstashBridge({ redisPort: redis.port });
    let bridgeUp = true;
    stoppers.push(async () => { if (bridgeUp) await bridge.close(); });
    const cloudTasks = await startCloudTasksEmulator({
      log: (line) => log("cloud-tasks", line),
      ...(options.maxDispatchesPerSecondCap ? { maxDispatchesPerSecondCap: options.maxDispatchesPerSecondCap } : {}),
      ...(options.signer ? { signer: options.signer } : {}),
    });
    stoppers.push(() => cloudTasks.close());
    const webhookSecret = options.webhookSecret ?? randomBytes(24).toString("base64url");
    // Callbacks are signed with a secret per tenant derived from this key; the receiver knows every tenant's here.
    const callbackSigningKey = randomBytes(32).toString("base64");
    const tenants = ["_system", "dev", ...(options.extraKeys ?? []).map((k) => k.tenant ?? k.name)];
    const receiver = await startWebhookReceiver({
      secret: webhookSecret,
      callbackSecrets: Object.fromEntries(tenants.map((tenant) => [tenant, callbackSecretFor(callbackSigningKey, tenant)])),
      log: (line) => log("receiver", line),
    });
    stoppers.push(() => receiver.close());

    // Signed URLs: the functions sign with a key of their own, the emulator checks with its public half.
    const signing = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
    const gcs = await startGcsEmulator({ autoCreateBuckets: true, signerPublicKeyPem: signing.publicKey, log: (line) => log("gcs", line) });
    stoppers.push(() => gcs.close());
    const edgeTts = await startEdgeTtsEmulator({ log: (line) => log("edge-tts", line) });
    stoppers.push(() => edgeTts.close());
    const qdrant = await startQdrantEmulator({ log: (line) => log("qdrant", line) });
    stoppers.push(() => qdrant.close());
    const ingest = await startIngestEmulator({ log: (line) => log("ingest", line) });
    stoppers.push(() => ingest.close());
    const gameApi = await startGameApiEmulator({ log: (line) => log("game-api", line), ...options.gameApi });
    stoppers.push(() => gameApi.close());
    const postgres = await postgresStarting;
    const databaseUrl = options.databaseUrl ?? (postgres as PostgresServer).url;
    await migrateDatabase(databaseUrl, (line) => log("postgres", line));

    const scheduler = await startCloudSchedulerEmulator({ log: (line) => log("scheduler", line) });
    stoppers.push(() => scheduler.close());
    const pubsub = await startPubSubEmulator({ log: (line) => log("pubsub", line) });
    stoppers.push(() => pubsub.stop());
    // The client library in this process (topology below) and in the functions finds the emulator through this.
    process.env.PUBSUB_EMULATOR_HOST = pubsub.host;
    // Nothing here runs on Google Cloud: the auth library need not probe the metadata server.
    process.env.METADATA_SERVER_DETECTION ??= "none";

    const apiKey = options.apiKey ?? `dev_${randomBytes(18).toString("base64url")}`;
    const apiPort = options.apiPort ?? (await freePort());
    const workerPort = await freePort();
    const workerUrl = `http://127.0.0.1:${workerPort}/`;
    const eventsPort = await freePort();
    const eventsUrl = `http://127.0.0.1:${eventsPort}`;
    const keys = [
      { name: "dev", sha256: hashApiKey(apiKey), scopes: ["admin"] },
      ...(options.extraKeys ?? []).map((k) => ({
        name: k.name, ...(k.tenant ? { tenant: k.tenant } : {}), sha256: hashApiKey(k.key), scopes: k.scopes, ...(k.rate_limit ? { rate_limit: k.rate_limit } : {}),
      })),
      ...(options.hashedKeys ?? []),
    ];
    const env: Record<string, string> = {
      UPSTASH_REDIS_REST_URL: bridge.url,
      UPSTASH_REDIS_REST_TOKEN: bridge.token,
      KEY_PREFIX: options.keyPrefix ?? "tq",
      GCP_PROJECT: "local",
      GCP_LOCATION: "us-central1",
      CLOUD_TASKS_EMULATOR_HOST: cloudTasks.endpoint,
      WORKER_URL: workerUrl,
      TASKS_SERVICE_ACCOUNT,
      OIDC_CERTS_URL: cloudTasks.certsUrl,
      API_KEYS: JSON.stringify(keys),
      TASKS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}`,
      NOTIFY_WEBHOOK_URL: `${receiver.url}/notifications`,
      NOTIFY_WEBHOOK_SECRET: webhookSecret,
      PUBSUB_EMULATOR_HOST: pubsub.host,
      METADATA_SERVER_DETECTION: "none",
      CLOUD_SCHEDULER_EMULATOR_HOST: scheduler.endpoint,
      SCHEDULER_SERVICE_ACCOUNT,
      SCHEDULER_OIDC_CERTS_URL: scheduler.certsUrl,
      SCHEDULER_TARGET_URL: `http://127.0.0.1:${apiPort}`,
      GCS_ENDPOINT: gcs.url,
      EDGE_TTS_ENDPOINT: edgeTts.url,
      // A real Qdrant when the environment names one (QDRANT_API_KEY passes through too): configuration only.
      QDRANT_URL: process.env.QDRANT_URL ?? qdrant.url,
      INGEST_URL: ingest.url,
      DATABASE_URL: databaseUrl,
      GAME_API_BASE_URL: `${gameApi.url}/{routing}`,
      GAME_API_KEY: gameApi.token,
      GCS_BUCKET: "tasks-local",
      GCS_SIGNING_CREDENTIALS: JSON.stringify({ client_email: "signer@local.iam.gserviceaccount.com", private_key: signing.privateKey }),
      LOG_LEVEL: options.logLevel ?? "info",
      TESTING_TASKS: "true",
      CALLBACK_SIGNING_KEY: callbackSigningKey,
      ...options.env,
      // The stand-in a caller's URL may name (callback_url to the user system's receiver), and whatever the
      // options add; never all of loopback: the bridge, the worker and the emulators stay out of reach.
      OUTBOUND_ALLOW_ORIGINS: [receiver.url, options.env?.OUTBOUND_ALLOW_ORIGINS].filter(Boolean).join(","),
    };
    await ensureQueues({ project: "local", location: "us-central1", emulatorHost: cloudTasks.endpoint }, registry);

    await ensureTopology({
      project: "local",
      events,
      platformTopics: Object.values(lifecycleTopics),
      eventsUrl,
      deadLetterTopic: lifecycleTopics.eventsDeadLetter,
      maxDeliveryAttempts: 5,
    });

    // The schedules declared in code, applied to the emulator as `npm run schedules:apply` does.
    const schedulerAdapter = new CloudSchedulerAdapter({
      project: "local", location: "us-central1", emulatorHost: scheduler.endpoint, prefix: "tq-", targetUrl: `http://127.0.0.1:${apiPort}`,
      serviceAccountEmail: SCHEDULER_SERVICE_ACCOUNT, retry: { retryCount: 3, minBackoffSeconds: 5, maxBackoffSeconds: 300, maxDoublings: 5, attemptDeadlineSeconds: 60 },
    });
    await applySchedulePlan(schedulerAdapter, planSchedules(schedules, await schedulerAdapter.list()));

    type Name = "api" | "worker" | "events";
    const ports: Record<Name, number> = { api: apiPort, worker: workerPort, events: eventsPort };
    const processes = {} as Record<Name, FunctionProcess>;
    const launch = async (name: Name) => {
      processes[name] = await startFunction({
        target: name, port: ports[name], env, onOutput: (line) => log(name, line),
        signatureType: name === "events" ? "cloudevent" : "http",
        ...(options.functionsBundle ? { bundle: options.functionsBundle } : {}),
      });
      return processes[name];
    };
    await Promise.all([launch("api"), launch("worker"), launch("events")]);
    stoppers.push(async () => {
      await Promise.all(Object.values(processes).map((p) => p.stop()));
    });

    return {
      apiUrl: `http://127.0.0.1:${apiPort}`,
      workerUrl,
      apiKey,
      webhookSecret,
      callbackSigningKey,
      env,
      redis,
      get bridge() { return bridge; },
      stopBridge: async () => { if (bridgeUp) { bridgeUp = false; await bridge.close(); } },
      startBridge: async () => {
        if (bridgeUp) return;
        bridge = await startUpstashBridge({ redisPort: redis.port, port: bridge.port, token: bridge.token });
        bridgeUp = true;
      },
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
      eventsUrl,
      get api() { return processes.api; },
      get worker() { return processes.worker; },
      restart: async (name) => {
        await processes[name].stop();
        return launch(name);
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
