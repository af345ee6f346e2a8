// The deployed functions and the variables each one gets: the part of the
// Terraform manifest that is not in the registry, kept beside the rules that
// derive the rest (timeouts and instance caps from the queues a worker serves).
import { configVariables } from "../../functions/config.ts";
import { dispatchDeadline } from "../../functions/core/submit.ts";
import { transportQueues } from "../../functions/adapters/cloud-tasks/ensure-queues.ts";
import type { Registry } from "../../functions/core/registry.ts";

export const FunctionName = ["api", "events", "worker", "worker-gpu"] as const;
export type FunctionName = (typeof FunctionName)[number];

/** Who may invoke a function: everyone (the api checks X-API-Key itself) or only one service account. */
type Invoker = "public" | "tasks" | "pubsub-push";

export interface FunctionManifest {
  entryPoint: "api" | "worker" | "events";
  /** What functions-framework serves; index.ts registers it, so it needs no deploy flag. */
  signatureType: "http" | "cloudevent";
  description: string;
  memory: string;
  cpu: string;
  timeoutSeconds: number;
  minInstances: number;
  maxInstances: number;
  /** Requests one instance serves at once. */
  concurrency: number;
  ingress: "ALLOW_ALL" | "ALLOW_INTERNAL_ONLY";
  invoker: Invoker;
  /** Service account key in the module: worker and worker-gpu run the same code with the same rights. */
  serviceAccount: "api" | "events" | "worker";
  /** Plain environment variables it reads. */
  env: string[];
  /** Variables it reads from Secret Manager. */
  secrets: string[];
}

/** Variables a deployment never sets. */
const undeployedVariables = new Set([
  // Only the local stack sets these (emulators, stand-ins, dev allow-lists); Cloud Run sets K_REVISION and K_SERVICE.
  "CLOUD_TASKS_EMULATOR_HOST", "PUBSUB_EMULATOR_HOST", "CLOUD_SCHEDULER_EMULATOR_HOST", "GCS_ENDPOINT", "EDGE_TTS_ENDPOINT",
  "OIDC_CERTS_URL", "SCHEDULER_OIDC_CERTS_URL", "K_REVISION", "K_SERVICE",
  // Never in a deployment: its non-public addresses stay out of reach of any caller-given URL.
  "OUTBOUND_ALLOW_ORIGINS",
  // Never in a deployment: testing.* stay unknown to callers there.
  "TESTING_TASKS",
  // Their default (the target URL) is the audience Cloud Run accepts and Terraform's jobs send.
  "TASKS_AUDIENCE", "SCHEDULER_AUDIENCE",
]);

/** Variables Terraform fills itself from what it creates (URLs, service accounts, the bucket). */
export const wiredVariables = new Set([
  "GCP_PROJECT", "GCP_LOCATION", "UPSTASH_REDIS_REST_URL", "WORKER_URL", "WORKER_GPU_URL", "TASKS_SERVICE_ACCOUNT",
  "GCS_BUCKET", "PUBLIC_BASE_URL", "SCHEDULER_TARGET_URL", "SCHEDULER_SERVICE_ACCOUNT", "SCHEDULER_JOB_PREFIX",
]);

/** A token, key, password or credential: it lives in Secret Manager, never in a plain variable. */
export const isSecretVariable = (name: string): boolean => /(TOKEN|SECRET|_KEYS?|PASSWORD|CREDENTIALS)$/.test(name) || name === "DATABASE_URL";

/** Secrets every deployment sets before the first apply; the others are created only when named in `optional_secrets`. */
export const requiredSecrets = new Set([
  "UPSTASH_REDIS_REST_TOKEN", "API_KEYS", "TASKS_ENCRYPTION_KEY", "NOTIFY_WEBHOOK_SECRET", "CALLBACK_SIGNING_KEY", "GAME_API_KEY", "DATABASE_URL",
]);

/**
 * Which functions read a secret (least privilege: each service account may read only these).
 * A secret not listed goes to the api and the workers, where task code and submit-time steps run.
 */
const secretReaders: Record<string, FunctionName[]> = {
  UPSTASH_REDIS_REST_TOKEN: ["api", "events", "worker", "worker-gpu"],
  TASKS_ENCRYPTION_KEY: ["api", "events", "worker", "worker-gpu"],
  API_KEYS: ["api"],
  NOTIFY_WEBHOOK_SECRET: ["worker"],
  // The worker signs callbacks; the api will show tenants their callback secret.
  CALLBACK_SIGNING_KEY: ["api", "worker"],
  GAME_API_KEY: ["worker"],
  DATABASE_URL: ["worker"],
  INGEST_API_KEY: ["worker"],
  MEDIA_PROVIDER_TOKEN: ["worker", "worker-gpu"],
};
const defaultSecretReaders: FunctionName[] = ["api", "worker", "worker-gpu"];

/** Plain variables only one role reads: the api manages and verifies schedules; workers verify Cloud Tasks' token. */
const roleOnly: Record<string, FunctionName[]> = {
  SCHEDULER_TARGET_URL: ["api"], SCHEDULER_SERVICE_ACCOUNT: ["api"], SCHEDULER_JOB_PREFIX: ["api"], SCHEDULER_RETRY_COUNT: ["api"],
  WORKER_VERIFY_OIDC: ["worker", "worker-gpu"],
};

const deployedVariables = () => configVariables.filter((name) => !undeployedVariables.has(name));
export const secretVariables = () => deployedVariables().filter(isSecretVariable).sort();
/** What a tfvars `settings` map may set: every deployed plain variable Terraform does not fill itself. */
export const settingVariables = () => deployedVariables().filter((name) => !isSecretVariable(name) && !wiredVariables.has(name)).sort();

const readsPlain = (fn: FunctionName, name: string) => roleOnly[name]?.includes(fn) ?? true;
const readsSecret = (fn: FunctionName, name: string) => (secretReaders[name] ?? defaultSecretReaders).includes(fn);

const WORKER_CONCURRENCY = 8;
const GPU_WORKER_CONCURRENCY = 1;
const MAX_INSTANCES = 100;

/** Longest a delivery to this worker may take: the longest dispatch deadline of its tasks, plus room to record the outcome. */
function workerTimeout(registry: Registry, worker: string): number {
  const deadlines = [...registry.tasks.values()].filter((task) => registry.queue(task.queue).worker === worker).map(dispatchDeadline);
  return Math.min(3600, Math.max(60, ...deadlines) + 30);
}

/** Instances that cover every concurrent dispatch the worker's queues (and their twins) allow, capped. */
function workerInstances(registry: Registry, worker: string, concurrency: number): number {
  const dispatches = [...registry.queues.values()]
    .filter((queue) => queue.worker === worker)
    .reduce((sum, queue) => sum + queue.maxConcurrentDispatches * transportQueues(queue).length, 0);
  return Math.max(1, Math.min(MAX_INSTANCES, Math.ceil(dispatches / concurrency)));
}

export function functionManifests(registry: Registry): Record<FunctionName, FunctionManifest> {
  const variables = (fn: FunctionName) => ({
    env: deployedVariables().filter((name) => !isSecretVariable(name) && readsPlain(fn, name)).sort(),
    secrets: secretVariables().filter((name) => readsSecret(fn, name)),
  });
  return {
    api: {
      entryPoint: "api", signatureType: "http", description: "HTTP API: submit, status, results, queues, schedules (X-API-Key)",
      memory: "512Mi", cpu: "1", timeoutSeconds: 60, minInstances: 0, maxInstances: MAX_INSTANCES, concurrency: 80,
      ingress: "ALLOW_ALL", invoker: "public", serviceAccount: "api", ...variables("api"),
    },
    events: {
      // As long as the push subscription's ack deadline: Pub/Sub redelivers after it anyway.
      entryPoint: "events", signatureType: "cloudevent", description: "Pub/Sub push target: domain events become tasks",
      memory: "256Mi", cpu: "1", timeoutSeconds: 60, minInstances: 0, maxInstances: 20, concurrency: 40,
      ingress: "ALLOW_INTERNAL_ONLY", invoker: "pubsub-push", serviceAccount: "events", ...variables("events"),
    },
    worker: {
      entryPoint: "worker", signatureType: "http", description: "Cloud Tasks target: runs tasks",
      memory: "1Gi", cpu: "1", timeoutSeconds: workerTimeout(registry, "worker"), minInstances: 0,
      maxInstances: workerInstances(registry, "worker", WORKER_CONCURRENCY), concurrency: WORKER_CONCURRENCY,
      ingress: "ALLOW_INTERNAL_ONLY", invoker: "tasks", serviceAccount: "worker", ...variables("worker"),
    },
    "worker-gpu": {
      entryPoint: "worker", signatureType: "http", description: "Cloud Tasks target for media-gpu: the worker with more memory, one task at a time",
      memory: "4Gi", cpu: "2", timeoutSeconds: workerTimeout(registry, "worker-gpu"), minInstances: 0,
      maxInstances: workerInstances(registry, "worker-gpu", GPU_WORKER_CONCURRENCY), concurrency: GPU_WORKER_CONCURRENCY,
      ingress: "ALLOW_INTERNAL_ONLY", invoker: "tasks", serviceAccount: "worker", ...variables("worker-gpu"),
    },
  };
}
