// The registry: every task and queue the deployment knows, checked once.
import type { AnyTaskDefinition } from "./define-task.ts";
import type { QueueDefinition } from "./queues.ts";

export interface Registry {
  tasks: ReadonlyMap<string, AnyTaskDefinition>;
  queues: ReadonlyMap<string, QueueDefinition>;
  task(name: string): AnyTaskDefinition | undefined;
  queue(name: string): QueueDefinition;
  taskTypes(): string[];
  /** A task a caller may name (API submits, groups, run-time schedules): internal ones never, testing ones where enabled. */
  callerTask(name: string): AnyTaskDefinition | undefined;
  callerTaskTypes(): string[];
}

export interface RegistryOptions {
  queues: QueueDefinition[];
  tasks: AnyTaskDefinition[];
  /** Whether "testing" tasks are open to callers; read on every check (configuration is lazy). Default never. */
  testingEnabled?: () => boolean;
}

export function createRegistry(options: RegistryOptions): Registry {
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
  const callable = (task: AnyTaskDefinition | undefined): task is AnyTaskDefinition =>
    !!task && (task.visibility === "public" || (task.visibility === "testing" && (options.testingEnabled?.() ?? false)));
  return {
    tasks,
    queues,
    task: (name) => tasks.get(name),
    callerTask: (name) => {
      const task = tasks.get(name);
      return callable(task) ? task : undefined;
    },
    callerTaskTypes: () => [...tasks.values()].filter(callable).map((t) => t.name).sort(),
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
