// A handler's ctx for unit tests, built as the executor builds it: the ports the
// task declared (from the in-memory stand-ins given, and no other), and a runtime
// that records progress and what the handler enqueued instead of submitting it.
import type { AnyTaskDefinition, TaskRuntime } from "../define-task.ts";
import { contextFor } from "../define-task.ts";
import { PortBindings, type Port, type PortUses, type UsedPorts } from "../port.ts";
import type { Logger } from "../ports.ts";

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

export interface RecordedRun {
  progress: [number, string | undefined][];
  /** Children (by type) and continuations (the task's own type), in order. */
  enqueued: { type: string; payload: unknown; idempotencyKey?: string }[];
}

/** ctx for `task.handler(input, ctx)`: `ports` gives each declared port's stand-in by the name the task reads it by. */
export function testContext<T extends AnyTaskDefinition>(
  task: T,
  ports: UsedPorts<T["uses"] & PortUses>,
  runtime: Partial<Omit<TaskRuntime, "enqueue" | "continueAsNew">> = {},
): { ctx: Parameters<T["handler"]>[1] } & RecordedRun {
  const run: RecordedRun = { progress: [], enqueued: [] };
  const bindings = new PortBindings();
  for (const [name, port] of Object.entries(task.uses as PortUses)) {
    bindings.bind(port as Port<unknown>, () => (ports as Record<string, unknown>)[name]);
  }
  const submitted = (type: string, payload: unknown, idempotencyKey?: string) => {
    run.enqueued.push({ type, payload, ...(idempotencyKey ? { idempotencyKey } : {}) });
    return Promise.resolve({ taskId: `child-${run.enqueued.length}` });
  };
  const own: TaskRuntime = {
    taskId: "task-1",
    tenant: "acme",
    attempt: 1,
    maxAttempts: task.retry.maxAttempts,
    signal: new AbortController().signal,
    progress: async (percent, message) => void run.progress.push([percent, message]),
    log: silent,
    enqueueGroup: () => Promise.reject(new Error("enqueueGroup is not recorded by testContext")),
    ...runtime,
    enqueue: (child, payload, options) => submitted(child.name, payload, options?.idempotencyKey),
    continueAsNew: (payload, options) => submitted(task.name, payload, options?.idempotencyKey ?? "continuation"),
  };
  return { ctx: contextFor(task, own, bindings) as Parameters<T["handler"]>[1], ...run };
}
