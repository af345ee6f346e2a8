// Creates or updates the Cloud Tasks queues the registry declares (and their
// priority twins). Terraform does this in production; `npm run dev` and the
// tests do it against the emulator with the same client.
import type { Registry } from "../../core/registry.ts";
import type { QueueDefinition } from "../../core/queues.ts";
import { cloudTasksClient, queuePath, type CloudTasksConnection } from "./client.ts";

/**
 * Cloud Tasks' own retries only cover deliveries that never reached a verdict
 * (a worker crash, a 503 while Redis is down): the platform schedules task
 * retries itself. So they are unbounded, with a short backoff.
 */
export const transportRetry = { maxAttempts: -1, minBackoffSeconds: 1, maxBackoffSeconds: 60, maxDoublings: 5 };

export function transportQueues(queue: QueueDefinition): string[] {
  return queue.priorityTwin ? [queue.name, `${queue.name}-high`] : [queue.name];
}

export async function ensureQueues(connection: CloudTasksConnection, registry: Registry): Promise<string[]> {
  const client = await cloudTasksClient(connection);
  const parent = `projects/${connection.project}/locations/${connection.location}`;
  const ensured: string[] = [];
  for (const queue of registry.queues.values()) {
    for (const name of transportQueues(queue)) {
      const body = {
        name: queuePath(connection, name),
        rateLimits: { maxDispatchesPerSecond: queue.maxDispatchesPerSecond, maxConcurrentDispatches: queue.maxConcurrentDispatches },
        retryConfig: {
          maxAttempts: transportRetry.maxAttempts,
          minBackoff: { seconds: transportRetry.minBackoffSeconds },
          maxBackoff: { seconds: transportRetry.maxBackoffSeconds },
          maxDoublings: transportRetry.maxDoublings,
        },
      };
      try {
        await client.createQueue({ parent, queue: body });
      } catch (error) {
        if ((error as { code?: number }).code !== 6) throw error;
        await client.updateQueue({ queue: body, updateMask: { paths: ["rate_limits", "retry_config"] } });
      }
      ensured.push(name);
    }
  }
  return ensured;
}
