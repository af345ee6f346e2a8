// The registry: every task and queue the deployment knows, checked once.
import type { AnyTaskDefinition } from "./define-task.ts";
import type { QueueDefinition } from "./queues.ts";

export interface Registry {
  tasks: ReadonlyMap<string, AnyTaskDefinition>;
  queues: ReadonlyMap<string, QueueDefinition>;
  task(name: string): AnyTaskDefinition | undefined;
  queue(name: string): QueueDefinition;
  taskTypes(): string[];
}

export function createRegistry(options: { queues: QueueDefinition[]; tasks: AnyTaskDefinition[] }): Registry {
  const queues = new Map<string, QueueDefinition>();
  for (const queue of options.queues) {
    if (queues.has(queue.name)) throw new Error(`queue "${queue.name}" is declared twice`);
    queues.set(queue.name, queue);
  }
  const twins = [...queues.values()].filter((q) => q.priorityTwin).map((q) => `${q.name}-high`);
  for (const twin of twins) {
    if (queues.has(twin)) throw new Error(`queue "${twin}" clashes with the priority twin of another queue`);
  }
  const tasks = new Map<string, AnyTaskDefinition>();
  for (const task of options.tasks) {
    if (tasks.has(task.name)) throw new Error(`task "${task.name}" is declared twice`);
    if (!queues.has(task.queue)) throw new Error(`task "${task.name}" names queue "${task.queue}", which is not declared`);
    tasks.set(task.name, task);
  }
  return {
    tasks,
    queues,
    task: (name) => tasks.get(name),
    queue(name) {
      const queue = queues.get(name);
      if (!queue) throw new Error(`unknown queue "${name}"`);
      return queue;
    },
    taskTypes: () => [...tasks.keys()].sort(),
  };
}

/** The retry policy a task gets: its own, capped by its queue's. */
export function effectiveRetry(task: AnyTaskDefinition, queue: QueueDefinition) {
  return {
    maxAttempts: Math.min(task.retry.maxAttempts, queue.retry.maxAttempts),
    minBackoffSeconds: task.retry.minBackoffSeconds,
    maxBackoffSeconds: Math.min(task.retry.maxBackoffSeconds, queue.retry.maxBackoffSeconds),
  };
}
