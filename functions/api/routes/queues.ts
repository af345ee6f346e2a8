// /v1/queues and /v1/workers: what Flower showed.
import { ApiError, iso, sendJson } from "../../http/json.ts";
import type { ApiDeps } from "../deps.ts";
import type { Route } from "../router.ts";
import type { QueueDefinition } from "../../core/queues.ts";
import { queueList, queueState, workerList } from "../answers.ts";

export function queueRoutes(deps: ApiDeps): Route[] {
  const transportQueues = (queue: QueueDefinition) => (queue.priorityTwin ? [queue.name, `${queue.name}-high`] : [queue.name]);
  const known = (name: string) => {
    const queue = deps.registry.queues.get(name);
    if (!queue) throw new ApiError(404, "not_found", `no queue "${name}"`, { known_queues: [...deps.registry.queues.keys()] });
    return queue;
  };
  const setState = (action: "pause" | "resume"): Route => ({
    method: "POST", path: `/v1/queues/{name}/${action}`, scope: "admin", summary: `${action === "pause" ? "Pause" : "Resume"} a queue (and its priority twin)`, operationId: `${action}Queue`,
    doc: { responses: { 200: queueState } },
    async handle({ res, params }) {
      const queue = known(params.name!);
      for (const name of transportQueues(queue)) await deps.queue[action](name);
      sendJson(res, 200, { name: queue.name, state: action === "pause" ? "PAUSED" : "RUNNING" });
    },
  });
  return [
    {
      method: "GET", path: "/v1/queues", scope: "read", summary: "Queues with counts, rates and latency", operationId: "listQueues",
      doc: { responses: { 200: queueList } },
      async handle({ res }) {
        const queues = await Promise.all(
          [...deps.registry.queues.values()].map(async (queue) => {
            const [counts, state] = await Promise.all([
              deps.store.queueCounts(queue.name),
              deps.queue.state(queue.name).catch(() => "UNKNOWN" as const),
            ]);
            return {
              name: queue.name,
              description: queue.description,
              state,
              priority_queue: queue.priorityTwin ? `${queue.name}-high` : null,
              worker: queue.worker,
              rate_limits: { max_dispatches_per_second: queue.maxDispatchesPerSecond, max_concurrent_dispatches: queue.maxConcurrentDispatches },
              retry: {
                max_attempts: queue.retry.maxAttempts, min_backoff_seconds: queue.retry.minBackoffSeconds, max_backoff_seconds: queue.retry.maxBackoffSeconds,
              },
              tasks: Object.fromEntries(
                deps.registry.taskTypes().filter((t) => deps.registry.task(t)?.queue === queue.name).map((t) => [t, deps.registry.task(t)?.description ?? ""]),
              ),
              counts: { ...counts.live, totals: counts.totals },
              finished_last_minute: counts.finishedLastMinute,
              latency: { mean_wait_seconds: counts.meanWaitSeconds, mean_run_seconds: counts.meanRunSeconds },
              sampled_tasks: counts.sampled,
            };
          }),
        );
        sendJson(res, 200, { queues });
      },
    },
    setState("pause"),
    setState("resume"),
    {
      method: "GET", path: "/v1/workers", scope: "read", summary: "Worker instances seen in the last minute", operationId: "listWorkers",
      doc: { responses: { 200: workerList } },
      async handle({ res }) {
        const workers = await deps.store.workers();
        sendJson(res, 200, {
          workers: workers.map((w) => ({ instance: w.instance, revision: w.revision, last_seen: iso(w.lastSeen), started_at: iso(w.startedAt), running: w.running })),
          total_workers: workers.length,
        });
      },
    },
  ];
}
