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
import { startPubSubEmulator, type PubSubEmulator } from "./pubsub-emulator.ts";
import { ensureTopology } from "../functions/adapters/pubsub/ensure-topology.ts";
import { events, lifecycleTopics } from "../functions/events/declarations.ts";
import { generateKeyPairSync } from "node:crypto";
import { startFunction, type FunctionProcess } from "./functions-process.ts";
import { freePort, isPortFree } from "./ports.ts";
import type { OidcSigner } from "./oidc.ts";
import { hashApiKey } from "../functions/api/auth.ts";
import { ensureQueues } from "../functions/adapters/cloud-tasks/ensure-queues.ts";
import { registry } from "../functions/registry.ts";

export const TASKS_SERVICE_ACCOUNT = "tasks-invoker@local.iam.gserviceaccount.com";

export interface StackOptions {
  apiPort?: number;
  apiKey?: string;
  /** Extra API keys: name → {key, scopes, rate_limit?}. */
  extraKeys?: { name: string; key: string; scopes: string[]; rate_limit?: string }[];
  keyPrefix?: string;
  logLevel?: string;
  /** Lines from the functions and emulators. */
  log?: (source: string, line: string) => void;
  /** Extra environment for the functions. */
  env?: Record<string, string>;
  /** Signs the emulator's OIDC tokens (tests that replay deliveries sign their own). */
  signer?: OidcSigner;
  /** Raise the Cloud Tasks emulator's rate cap (benchmarks). */
  maxDispatchesPerSecondCap?: number;
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
  gcs: GcsEmulator;
  edgeTts: EdgeTtsEmulator;
  pubsub: PubSubEmulator;
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
    const webhookSecret = randomBytes(24).toString("base64url");
    const receiver = await startWebhookReceiver({ secret: webhookSecret, log: (line) => log("receiver", line) });
    stoppers.push(() => receiver.close());

    // Signed URLs: the functions sign with a key of their own, the emulator checks with its public half.
    const signing = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
    const gcs = await startGcsEmulator({ autoCreateBuckets: true, signerPublicKeyPem: signing.publicKey, log: (line) => log("gcs", line) });
    stoppers.push(() => gcs.close());
    const edgeTts = await startEdgeTtsEmulator({ log: (line) => log("edge-tts", line) });
    stoppers.push(() => edgeTts.close());

    const pubsub = await startPubSubEmulator({ log: (line) => log("pubsub", line) });
    stoppers.push(() => pubsub.stop());
    // The client library in this process (topology below) and in the functions finds the emulator through this.
    process.env.PUBSUB_EMULATOR_HOST = pubsub.host;

    const apiKey = options.apiKey ?? `dev_${randomBytes(18).toString("base64url")}`;
    const apiPort = options.apiPort ?? (await freePort());
    const workerPort = await freePort();
    const workerUrl = `http://127.0.0.1:${workerPort}/`;
    const eventsPort = await freePort();
    const eventsUrl = `http://127.0.0.1:${eventsPort}`;
    const keys = [
      { name: "dev", sha256: hashApiKey(apiKey), scopes: ["admin"] },
      ...(options.extraKeys ?? []).map((k) => ({ name: k.name, sha256: hashApiKey(k.key), scopes: k.scopes, ...(k.rate_limit ? { rate_limit: k.rate_limit } : {}) })),
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
      GCS_ENDPOINT: gcs.url,
      EDGE_TTS_ENDPOINT: edgeTts.url,
      GCS_BUCKET: "tasks-local",
      GCS_SIGNING_CREDENTIALS: JSON.stringify({ client_email: "signer@local.iam.gserviceaccount.com", private_key: signing.privateKey }),
      LOG_LEVEL: options.logLevel ?? "info",
      ...options.env,
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

    type Name = "api" | "worker" | "events";
    const ports: Record<Name, number> = { api: apiPort, worker: workerPort, events: eventsPort };
    const processes = {} as Record<Name, FunctionProcess>;
    const launch = async (name: Name) => {
      processes[name] = await startFunction({
        target: name, port: ports[name], env, onOutput: (line) => log(name, line),
        signatureType: name === "events" ? "cloudevent" : "http",
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
      pubsub,
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
