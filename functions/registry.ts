// Every queue and task this deployment runs: the one list that the api, the
// worker, OpenAPI and the Terraform manifest read.
import { createRegistry } from "./core/registry.ts";
import { defineQueue } from "./core/queues.ts";
import { notifyQueryResult, notifySystem, notifyUsageStatistics } from "./tasks/notifications/index.ts";
import { flaky, noop, sleep } from "./tasks/testing/noop.ts";

export const queues = [
  defineQueue({ name: "default", description: "General tasks" }),
  defineQueue({
    name: "notifications",
    description: "Webhooks to the user system",
    maxDispatchesPerSecond: 100,
    maxConcurrentDispatches: 200,
  }),
];

export const tasks = [notifyQueryResult, notifySystem, notifyUsageStatistics, noop, sleep, flaky];

export const registry = createRegistry({ queues, tasks });
