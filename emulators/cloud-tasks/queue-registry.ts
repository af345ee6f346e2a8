// The emulator's state: queues with their tasks and dispatchers, and the names
// that may not be reused yet.
import type { QueueName } from "./names.ts";
import { resolveQueueSettings, type QueueSettings } from "./queue-config.ts";
import { QueueDispatcher, type DispatchContext } from "./queue-dispatcher.ts";
import { queueAlreadyExists, queueExistedRecently, queueNotFound } from "./rpc-error.ts";
import type { TaskRecord } from "./task-record.ts";
import { Tombstones } from "./tombstones.ts";
import { fromMs, type QueueMessage } from "./wire.ts";

export interface QueueEntry {
  name: QueueName;
  settings: QueueSettings;
  state: "RUNNING" | "PAUSED";
  purgeMs?: number;
  tasks: Map<string, TaskRecord>;
  dispatcher: QueueDispatcher;
}

export interface RegistryOptions {
  /** Ceiling for max_dispatches_per_second (the service's is 500). */
  maxRateCap: number;
  /** How long a finished task's name stays reserved. */
  taskTombstoneMs: number;
  /** How long a deleted queue's name stays reserved (the service: days; 0 = not at all). */
  queueTombstoneMs: number;
  context: Omit<DispatchContext, "ended">;
}

export class QueueRegistry {
  readonly queues = new Map<string, QueueEntry>();
  readonly taskTombstones: Tombstones;
  private readonly queueTombstones: Tombstones;
  private readonly options: RegistryOptions;

  constructor(options: RegistryOptions) {
    this.options = options;
    this.taskTombstones = new Tombstones(options.taskTombstoneMs);
    this.queueTombstones = new Tombstones(options.queueTombstoneMs);
  }

  get(name: string): QueueEntry {
    const entry = this.queues.get(name);
    if (!entry) throw queueNotFound();
    return entry;
  }

  create(name: QueueName, input: QueueSettings): QueueEntry {
    if (this.queues.has(name.name)) throw queueAlreadyExists();
    if (this.queueTombstones.has(name.name, Date.now())) throw queueExistedRecently();
    const { settings, policy } = resolveQueueSettings(input, this.options.maxRateCap);
    const tasks = new Map<string, TaskRecord>();
    const dispatcher = new QueueDispatcher(policy, {
      ...this.options.context,
      ended: (task) => this.forgetTask(entry, task),
    });
    const entry: QueueEntry = { name, settings, state: "RUNNING", tasks, dispatcher };
    this.queues.set(name.name, entry);
    this.options.context.log(`queue ${name.name} created`);
    return entry;
  }

  reconfigure(entry: QueueEntry, input: QueueSettings): void {
    const { settings, policy } = resolveQueueSettings(input, this.options.maxRateCap);
    entry.settings = settings;
    entry.dispatcher.setPolicy(policy);
  }

  setPaused(entry: QueueEntry, paused: boolean): void {
    entry.state = paused ? "PAUSED" : "RUNNING";
    entry.dispatcher.setPaused(paused);
    this.options.context.log(`queue ${entry.name.name} ${paused ? "paused" : "resumed"}`);
  }

  delete(entry: QueueEntry): void {
    entry.dispatcher.stop();
    for (const task of entry.tasks.values()) task.gone = true;
    entry.tasks.clear();
    this.queues.delete(entry.name.name);
    this.queueTombstones.add(entry.name.name, Date.now());
    this.options.context.log(`queue ${entry.name.name} deleted`);
  }

  purge(entry: QueueEntry): void {
    entry.dispatcher.purge();
    for (const task of [...entry.tasks.values()]) this.forgetTask(entry, task);
    entry.purgeMs = Date.now();
    this.options.context.log(`queue ${entry.name.name} purged`);
  }

  /** Deleted, purged, succeeded or out of attempts: the task is gone, its name reserved. */
  forgetTask(entry: QueueEntry, task: TaskRecord): void {
    task.gone = true;
    entry.tasks.delete(task.name);
    // Generated ids are random and never repeat; only chosen names are de-duplicated.
    if (task.named) this.taskTombstones.add(task.name, Date.now());
  }

  /** Stops every queue; in-flight attempts are cancelled by the sender's owner. */
  close(): void {
    for (const entry of this.queues.values()) entry.dispatcher.stop();
    this.queues.clear();
  }

  queueMessage(entry: QueueEntry): QueueMessage {
    return {
      name: entry.name.name,
      ...entry.settings,
      state: entry.state,
      ...(entry.purgeMs !== undefined && { purge_time: fromMs(entry.purgeMs) }),
    };
  }
}
