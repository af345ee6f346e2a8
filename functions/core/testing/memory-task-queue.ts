// TaskQueue in memory: Cloud Tasks as the platform sees it, for unit tests. A name is one task: enqueueing
// it again is a success that creates nothing, also for a while after the task was deleted or dispatched
// (the service reserves names about an hour; the emulator's tombstones). The contract suite
// (test/contracts/task-queue.contract.ts) runs it beside the real client against our emulator.
import { DependencyError } from "../errors.ts";
import type { EnqueueRequest, TaskQueue } from "../ports.ts";

type QueueState = "RUNNING" | "PAUSED";

export interface MemoryTaskQueueOptions {
  /** The queues that exist; another is refused, as Cloud Tasks refuses a queue nobody created. */
  queues: string[];
  /** Default: Date.now. */
  now?: () => number;
  /** How long a deleted or dispatched task's name stays reserved. Default 1 hour (the service's). */
  tombstoneMs?: number;
}

export class MemoryTaskQueue implements TaskQueue {
  readonly #queues = new Map<string, { state: QueueState; tasks: Map<string, EnqueueRequest> }>();
  /** Queue/name → until when (ms) the name stays reserved. */
  readonly #tombstones = new Map<string, number>();
  readonly #now: () => number;
  readonly #tombstoneMs: number;
  /** How many of the next enqueues are refused (a Cloud Tasks outage), for tests of what a refusal leaves. */
  refuseEnqueues = 0;

  constructor(options: MemoryTaskQueueOptions) {
    for (const queue of options.queues) this.#queues.set(queue, { state: "RUNNING", tasks: new Map() });
    this.#now = options.now ?? Date.now;
    this.#tombstoneMs = options.tombstoneMs ?? 3_600_000;
  }

  async enqueue(request: EnqueueRequest): Promise<void> {
    if (this.refuseEnqueues > 0) {
      this.refuseEnqueues -= 1;
      throw new DependencyError("cloud-tasks", "enqueue refused (a test's outage)");
    }
    const queue = this.#queue(request.queue);
    if (queue.tasks.has(request.name) || this.#reserved(request.queue, request.name)) return;
    queue.tasks.set(request.name, { ...request });
  }

  async delete(queue: string, name: string): Promise<boolean> {
    const tasks = this.#queues.get(queue)?.tasks;
    if (!tasks?.delete(name)) return false;
    this.#tombstones.set(`${queue}/${name}`, this.#now() + this.#tombstoneMs);
    return true;
  }

  async pause(queue: string): Promise<void> {
    this.#queue(queue).state = "PAUSED";
  }

  async resume(queue: string): Promise<void> {
    this.#queue(queue).state = "RUNNING";
  }

  async state(queue: string): Promise<"RUNNING" | "PAUSED" | "DISABLED" | "UNKNOWN"> {
    return this.#queue(queue).state;
  }

  /** The tasks waiting in a queue, in the order they were enqueued. */
  tasks(queue: string): EnqueueRequest[] {
    return [...(this.#queues.get(queue)?.tasks.values() ?? [])];
  }

  /**
   * Takes a task off its queue as Cloud Tasks does when it dispatches it (its name stays reserved);
   * null when it is not there, or the queue is paused.
   */
  dispatch(queue: string, name: string): EnqueueRequest | null {
    const found = this.#queues.get(queue);
    const task = found?.state === "RUNNING" ? found.tasks.get(name) : undefined;
    if (!task) return null;
    void this.delete(queue, name);
    return task;
  }

  #queue(name: string) {
    const queue = this.#queues.get(name);
    if (!queue) throw new DependencyError("cloud-tasks", `queue ${name} does not exist (terraform apply, or npm run dev, creates it)`);
    return queue;
  }

  #reserved(queue: string, name: string): boolean {
    const until = this.#tombstones.get(`${queue}/${name}`);
    if (until === undefined) return false;
    if (until > this.#now()) return true;
    this.#tombstones.delete(`${queue}/${name}`);
    return false;
  }
}
