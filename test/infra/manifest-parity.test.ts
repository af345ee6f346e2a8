// The manifest against the code that creates the same resources locally and
// through `npm run schedules:apply`: each adapter runs against a client stub
// that records what it would send to Google, and the manifest must say the same.
import { describe, expect, it, vi } from "vitest";
import { renderManifest } from "../../scripts/manifest/render.ts";
import { registry } from "../../functions/registry.ts";
import { events, lifecycleTopics } from "../../functions/events/declarations.ts";
import { declaredSchedules } from "../../functions/schedules.ts";
import { config } from "../../functions/config.ts";
import { createPlatform } from "../../functions/composition.ts";
import { specOf } from "../../functions/core/schedule-plan.ts";
import { ensureQueues } from "../../functions/adapters/cloud-tasks/ensure-queues.ts";
import { ensureTopology } from "../../functions/adapters/pubsub/ensure-topology.ts";

const sent = vi.hoisted(() => ({
  queues: [] as Record<string, unknown>[],
  jobs: [] as Record<string, unknown>[],
  subscriptions: [] as { topic: string; name: string; options?: Record<string, unknown> }[],
}));

// The adapter imports the v2 client's module itself (functions/adapters/cloud-tasks/client.ts), not the package index.
vi.mock("../../node_modules/@google-cloud/tasks/build/esm/src/v2/index.js", () => ({
  CloudTasksClient: class {
    async createQueue(request: { queue: Record<string, unknown> }) {
      sent.queues.push(request.queue);
      return [request.queue];
    }
  },
}));

vi.mock("@google-cloud/scheduler", () => ({
  CloudSchedulerClient: class {
    async createJob(request: { job: Record<string, unknown> }) {
      sent.jobs.push(request.job);
      return [request.job];
    }
  },
}));

vi.mock("@google-cloud/pubsub", () => ({
  PubSub: class {
    async createTopic() {}
    topic(topic: string) {
      return {
        exists: async () => [false],
        subscription: () => ({ exists: async () => [false], delete: async () => undefined }),
        createSubscription: async (name: string, options?: Record<string, unknown>) => {
          sent.subscriptions.push({ topic, name, ...(options ? { options } : {}) });
        },
      };
    }
  },
}));

const manifest = renderManifest();
const project = "p";
const location = "europe-west1";

describe("manifest parity with the adapters", () => {
  it("queues: what ensureQueues creates (npm run dev)", async () => {
    await ensureQueues({ project, location }, registry);
    const expected = Object.entries(manifest.queues).map(([name, q]) => {
      const queue = q as { maxDispatchesPerSecond: number; maxConcurrentDispatches: number; retry: { maxAttempts: number; minBackoffSeconds: number; maxBackoffSeconds: number; maxDoublings: number } };
      return {
        name: `projects/${project}/locations/${location}/queues/${name}`,
        rateLimits: { maxDispatchesPerSecond: queue.maxDispatchesPerSecond, maxConcurrentDispatches: queue.maxConcurrentDispatches },
        retryConfig: {
          maxAttempts: queue.retry.maxAttempts,
          minBackoff: { seconds: queue.retry.minBackoffSeconds },
          maxBackoff: { seconds: queue.retry.maxBackoffSeconds },
          maxDoublings: queue.retry.maxDoublings,
        },
      };
    });
    const byName = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.name).localeCompare(String(b.name));
    expect([...sent.queues].sort(byName)).toEqual(expected.sort(byName));
  });

  it("scheduler jobs: what the scheduler adapter creates (npm run schedules:apply)", async () => {
    const api = "https://tasks-api-123.europe-west1.run.app";
    const account = "tasks-scheduler@p.iam.gserviceaccount.com";
    const cfg = config({ GCP_PROJECT: project, GCP_LOCATION: location, SCHEDULER_TARGET_URL: api, SCHEDULER_SERVICE_ACCOUNT: account });
    const scheduler = createPlatform(() => cfg).scheduler();
    for (const schedule of declaredSchedules()) await scheduler.create(specOf(schedule));
    const { retry, attemptDeadlineSeconds, jobPrefix } = manifest.scheduler;
    expect(cfg.SCHEDULER_JOB_PREFIX).toBe(jobPrefix);
    expect(cfg.SCHEDULER_RETRY_COUNT).toBe(retry.retryCount);
    const expected = Object.values(manifest.schedules).map((j) => {
      const job = j as { jobId: string; cron: string; timeZone: string; description: string; path: string; body: string };
      return {
        name: `projects/${project}/locations/${location}/jobs/${job.jobId}`,
        description: job.description,
        schedule: job.cron,
        timeZone: job.timeZone,
        httpTarget: {
          uri: `${api}${job.path}`,
          httpMethod: "POST",
          headers: { "Content-Type": "application/json" },
          body: job.body,
          oidcToken: { serviceAccountEmail: account, audience: api },
        },
        retryConfig: {
          retryCount: retry.retryCount,
          minBackoffDuration: { seconds: retry.minBackoffSeconds },
          maxBackoffDuration: { seconds: retry.maxBackoffSeconds },
          maxDoublings: retry.maxDoublings,
        },
        attemptDeadline: { seconds: attemptDeadlineSeconds },
      };
    });
    const created = sent.jobs.map((job) => {
      const target = job.httpTarget as { body: Buffer };
      return { ...job, httpTarget: { ...target, body: Buffer.from(target.body).toString("utf8") } };
    });
    expect(created).toEqual(expected);
  });

  it("subscriptions: what ensureTopology creates (npm run dev)", async () => {
    const eventsUrl = "https://tasks-events-123.europe-west1.run.app";
    const push = Object.values(manifest.subscriptions).find((s) => (s as { type: string }).type === "push") as
      { deadLetterTopic: string; maxDeliveryAttempts: number } | undefined;
    await ensureTopology({
      project, events, platformTopics: Object.values(lifecycleTopics), eventsUrl,
      deadLetterTopic: push?.deadLetterTopic ?? lifecycleTopics.eventsDeadLetter, maxDeliveryAttempts: push?.maxDeliveryAttempts ?? 5,
    });
    const expected = Object.entries(manifest.subscriptions).map(([name, s]) => {
      const sub = s as { topic: string; type: string; pushPath: string; deadLetterTopic: string; maxDeliveryAttempts: number; ackDeadlineSeconds: number; retryPolicy: { minimumBackoffSeconds: number; maximumBackoffSeconds: number } };
      if (sub.type === "pull") return { topic: sub.topic, name };
      return {
        topic: sub.topic,
        name,
        options: {
          pushConfig: { pushEndpoint: `${eventsUrl}${sub.pushPath.replace("{project}", project)}` },
          deadLetterPolicy: { deadLetterTopic: `projects/${project}/topics/${sub.deadLetterTopic}`, maxDeliveryAttempts: sub.maxDeliveryAttempts },
          retryPolicy: { minimumBackoff: { seconds: sub.retryPolicy.minimumBackoffSeconds }, maximumBackoff: { seconds: sub.retryPolicy.maximumBackoffSeconds } },
          ackDeadlineSeconds: sub.ackDeadlineSeconds,
        },
      };
    });
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect([...sent.subscriptions].sort(byName)).toEqual(expected.sort(byName));
  });
});
