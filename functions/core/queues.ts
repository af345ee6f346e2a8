// A queue decides transport, rate limits and retries for the tasks routed to it.
// Each declared queue becomes a Cloud Tasks queue (and a "-high" twin for
// priority "high", since Cloud Tasks has no priorities).
import { defaultRetryPolicy, type RetryPolicy } from "./backoff.ts";

export interface QueueOptions {
  /** Cloud Tasks queue id: lowercase letters, digits and hyphens. */
  name: string;
  description?: string;
  /** Cloud Tasks `max_dispatches_per_second`. Default 500 (the Cloud Tasks maximum). */
  maxDispatchesPerSecond?: number;
  /** Cloud Tasks `max_concurrent_dispatches`. Default 1000. */
  maxConcurrentDispatches?: number;
  /** Upper bound for the retry policies of the tasks on this queue. Default {maxAttempts 10, 1 s, 3600 s}. */
  retry?: Partial<RetryPolicy>;
  /** Declare a "<name>-high" twin that serves priority "high". Default true. */
  priorityTwin?: boolean;
  /** Which worker function serves the queue: "worker" (default) or a larger one, e.g. "worker-gpu". */
  worker?: string;
}

export interface QueueDefinition {
  name: string;
  description: string;
  maxDispatchesPerSecond: number;
  maxConcurrentDispatches: number;
  retry: RetryPolicy;
  priorityTwin: boolean;
  worker: string;
}

const QUEUE_NAME = /^[a-z][a-z0-9-]{0,62}$/;

export function defineQueue(options: QueueOptions): QueueDefinition {
  if (!QUEUE_NAME.test(options.name)) {
    throw new Error(`queue name "${options.name}" must match ${QUEUE_NAME} (a Cloud Tasks queue id)`);
  }
  return {
    name: options.name,
    description: options.description ?? "",
    maxDispatchesPerSecond: options.maxDispatchesPerSecond ?? 500,
    maxConcurrentDispatches: options.maxConcurrentDispatches ?? 1000,
    retry: { ...defaultRetryPolicy, maxAttempts: 10, maxBackoffSeconds: 3600, ...options.retry },
    priorityTwin: options.priorityTwin ?? true,
    worker: options.worker ?? "worker",
  };
}

export const Priority = ["normal", "high"] as const;
export type Priority = (typeof Priority)[number];

/** The Cloud Tasks queue that carries a task of this queue at this priority. */
export function transportQueueName(queue: QueueDefinition, priority: Priority): string {
  return priority === "high" && queue.priorityTwin ? `${queue.name}-high` : queue.name;
}
