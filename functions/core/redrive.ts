// Redrive: a FAILURE runs again with a fresh attempt budget, on a new Cloud
// Task. Redis is written first (FAILURE → PENDING), then the Cloud Task is
// created; if Cloud Tasks refuses, the FAILURE is put back, so nothing is
// half-done: the caller sees the refusal and the task is as it was.
import { randomBytes } from "node:crypto";
import { cloudTaskFor } from "./submit.ts";
import type { Registry } from "./registry.ts";
import type { TaskQueue, TaskStore } from "./ports.ts";
import type { TaskStatus } from "./states.ts";
import type { TaskSummary } from "./task-record.ts";

export type RedriveOutcome =
  | { kind: "redriven" }
  /** Not a FAILURE (any more): its status, or null when the record is gone. */
  | { kind: "not_failed"; status: TaskStatus | null }
  /** Its type is not deployed here any more. */
  | { kind: "unknown_type" };

export async function redriveTask(deps: { registry: Registry; store: TaskStore; queue: TaskQueue }, task: TaskSummary): Promise<RedriveOutcome> {
  if (task.status !== "FAILURE") return { kind: "not_failed", status: task.status };
  const definition = deps.registry.task(task.type);
  if (!definition) return { kind: "unknown_type" };
  const cloudTask = `${task.id}-d${randomBytes(4).toString("hex")}`;
  const redriven = await deps.store.redrive(task.id, cloudTask);
  if (!redriven.ok) return { kind: "not_failed", status: redriven.status };
  try {
    await deps.queue.enqueue(cloudTaskFor(deps.registry, { ...task, cloudTask }, undefined));
  } catch (error) {
    await deps.store.unredrive(task.id, cloudTask, task.error ?? { type: "Error", message: "failed" }, definition.resultTtlSeconds);
    throw error;
  }
  return { kind: "redriven" };
}
