// Renders what the code declares (queues, events, schedules, configuration)
// into the manifest Terraform reads with jsondecode(file(...)): the same
// names and settings `npm run dev` creates locally, so infra cannot drift.
import { registry } from "../../functions/registry.ts";
import { events, lifecycleTopics, subscriptions } from "../../functions/events/declarations.ts";
import { declaredSchedules } from "../../functions/schedules.ts";
import { transportQueues, transportRetry } from "../../functions/adapters/cloud-tasks/ensure-queues.ts";
import { inspectSubscriptionName, pushSubscriptionName } from "../../functions/adapters/pubsub/ensure-topology.ts";
import type { JobBody } from "../../functions/adapters/cloud-scheduler/scheduler.ts";
import { FunctionName, functionManifests, requiredSecrets, secretVariables, settingVariables, wiredVariables } from "./functions.ts";

/** Push subscriptions to the events function: what emulators/stack.ts gives ensureTopology. */
const eventDelivery = {
  deadLetterTopic: lifecycleTopics.eventsDeadLetter,
  maxDeliveryAttempts: 5,
  retryPolicy: { minimumBackoffSeconds: 1, maximumBackoffSeconds: 10 },
  ackDeadlineSeconds: 60,
};

/** Cloud Scheduler jobs: the retry that composition.ts gives the scheduler adapter (SCHEDULER_RETRY_COUNT default 3). */
const schedulerJobs = {
  jobPrefix: "tq-",
  retry: { retryCount: 3, minBackoffSeconds: 5, maxBackoffSeconds: 300, maxDoublings: 5 },
  attemptDeadlineSeconds: 60,
};

/** The worker URL variable each worker function is reached by (composition.ts: workerUrls). */
const workerUrlVariable: Record<string, string> = { worker: "WORKER_URL", "worker-gpu": "WORKER_GPU_URL" };

function renderQueues() {
  const queues: Record<string, unknown> = {};
  for (const queue of registry.queues.values()) {
    if (!(FunctionName as readonly string[]).includes(queue.worker)) {
      throw new Error(`queue "${queue.name}" is served by "${queue.worker}", which no function deploys (scripts/manifest/functions.ts)`);
    }
    for (const name of transportQueues(queue)) {
      queues[name] = {
        queue: queue.name,
        priority: name === queue.name ? "normal" : "high",
        description: queue.description,
        maxDispatchesPerSecond: queue.maxDispatchesPerSecond,
        maxConcurrentDispatches: queue.maxConcurrentDispatches,
        // Cloud Tasks only redelivers what never reached a verdict; the task retry policy is the platform's.
        retry: transportRetry,
        taskRetry: queue.retry,
        worker: queue.worker,
        workerUrlVariable: workerUrlVariable[queue.worker],
        tasks: [...registry.tasks.values()].filter((task) => task.queue === queue.name).map((task) => task.name).sort(),
      };
    }
  }
  return queues;
}

/** `publishers`: the service accounts that publish there (the api: POST /v1/events; the worker: lifecycle.ts). */
function renderTopics() {
  const topics: Record<string, unknown> = {};
  for (const event of events) topics[event.topic] = { kind: "event", event: event.name, description: event.description, publishers: ["api"] };
  const platform: Record<string, { description: string; publishers: string[] }> = {
    [lifecycleTopics.lifecycle]: { description: "task.succeeded / task.failed / task.revoked for every task that ends", publishers: ["worker"] },
    [lifecycleTopics.deadLetter]: { description: "Tasks that failed for good", publishers: ["worker"] },
    // Pub/Sub's own service agent publishes here, through the push subscriptions' dead-letter policy.
    [lifecycleTopics.eventsDeadLetter]: { description: "Event deliveries the events function could not process after all attempts", publishers: [] },
  };
  for (const topic of Object.values(lifecycleTopics)) {
    const known = platform[topic];
    if (!known) throw new Error(`platform topic "${topic}" has no publishers declared in scripts/manifest/render.ts`);
    topics[topic] = { kind: "platform", event: null, ...known };
  }
  return topics;
}

function renderSubscriptions() {
  const subs: Record<string, unknown> = {};
  for (const event of events) {
    subs[pushSubscriptionName(event.topic)] = {
      topic: event.topic,
      type: "push",
      pushTo: "events",
      // functions-framework turns a push into a CloudEvent only for this path shape; {project} is filled by Terraform.
      pushPath: `/projects/{project}/topics/${event.topic}`,
      deadLetterTopic: eventDelivery.deadLetterTopic,
      maxDeliveryAttempts: eventDelivery.maxDeliveryAttempts,
      retryPolicy: eventDelivery.retryPolicy,
      ackDeadlineSeconds: eventDelivery.ackDeadlineSeconds,
      tasks: subscriptions.filter((s) => s.event === event.name).map((s) => s.task).sort(),
    };
  }
  // A pull subscription on each platform topic keeps what is published there (Pub/Sub drops messages no subscription holds).
  for (const topic of Object.values(lifecycleTopics)) {
    subs[inspectSubscriptionName(topic)] = {
      topic, type: "pull", pushTo: null, pushPath: null, deadLetterTopic: null, maxDeliveryAttempts: null,
      retryPolicy: null, ackDeadlineSeconds: eventDelivery.ackDeadlineSeconds, tasks: [],
    };
  }
  return subs;
}

function renderSchedules() {
  const jobs: Record<string, unknown> = {};
  for (const schedule of declaredSchedules()) {
    // The body exactly as the scheduler adapter's #toJob writes it, so Terraform and `npm run schedules:apply` agree byte for byte.
    const body: JobBody = { schedule: schedule.name, origin: "code", task: schedule.task, payload: schedule.payload };
    jobs[schedule.name] = {
      jobId: `${schedulerJobs.jobPrefix}${schedule.name}`,
      cron: schedule.cron,
      timeZone: schedule.timeZone,
      description: schedule.description,
      task: schedule.task,
      path: `/v1/schedules/${encodeURIComponent(schedule.name)}/trigger`,
      body: JSON.stringify(body),
    };
  }
  return jobs;
}

function renderSecrets() {
  return Object.fromEntries(
    secretVariables().map((name) => [name, { secretId: name.toLowerCase().replaceAll("_", "-"), required: requiredSecrets.has(name) }]),
  );
}

export function renderManifest() {
  return {
    $comment: "Generated by `npm run infra:manifest` from functions/registry.ts, events/declarations.ts, schedules.ts and config.ts. Do not edit.",
    version: 1,
    functions: functionManifests(registry),
    queues: renderQueues(),
    topics: renderTopics(),
    subscriptions: renderSubscriptions(),
    schedules: renderSchedules(),
    scheduler: schedulerJobs,
    secrets: renderSecrets(),
    settings: settingVariables(),
    wiredVariables: [...wiredVariables].sort(),
    monitoring: {
      // The line functions/core/executor.ts writes once per task outcome (jsonPayload.message), and the status of
      // one that failed for good and goes to the dead-letter topic (jsonPayload.status; jsonPayload.errorType says why).
      deadLetterLog: { message: "task outcome", status: "FAILURE" },
    },
  };
}

/** JSON with every object's keys sorted, two-space indented, one trailing newline: the same bytes for the same input. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
    return v;
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}
