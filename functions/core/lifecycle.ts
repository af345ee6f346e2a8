// What a task's end tells the outside, as follow-ups (functions/core/follow-ups.ts):
// "event", a lifecycle message on Pub/Sub (task.succeeded / task.failed /
// task.revoked) and the dead-letter topic for failures; "callback", a signed POST
// to the callback_url, run as a platform.callback task of its own so that a
// receiver that is down delays the callback instead of losing it.
import { publicError } from "./task-record.ts";
import { followUpId, type FinishedTask } from "./follow-ups.ts";
import type { EventBus } from "./ports.ts";
import type { FieldCipher } from "./sensitive-fields.ts";
import type { SubmitRequest, SubmitResult } from "./submit.ts";
import type { TaskStatus } from "./states.ts";

/**
 * Which final states publish a lifecycle event. "failures" (the default) publishes task.failed (and the
 * dead-letter copy) only: an event for every success would cost every task a publish and an outbox round trip.
 */
export const LifecycleMode = ["all", "failures", "off"] as const;
export type LifecycleMode = (typeof LifecycleMode)[number];

export interface LifecycleDeps {
  bus: () => EventBus;
  submit: (request: SubmitRequest) => Promise<SubmitResult>;
  cipher: FieldCipher;
  mode: LifecycleMode;
  topics: { lifecycle: string; deadLetter: string };
}

const EVENT_TYPE = { SUCCESS: "task.succeeded", FAILURE: "task.failed", REVOKED: "task.revoked" } as const;

/** The follow-ups a final state implies besides the group's: recorded by the finish script with the state. */
export function lifecycleFollowUps(mode: LifecycleMode, status: TaskStatus, type: string, callbackUrl: string | undefined): ("event" | "callback")[] {
  const kinds: ("event" | "callback")[] = [];
  if (mode === "all" || (mode === "failures" && status === "FAILURE")) kinds.push("event");
  // A callback's own outcome is not called back (it would loop on a dead receiver).
  if (callbackUrl && type !== "platform.callback") kinds.push("callback");
  return kinds;
}

function lifecycleEvent(task: FinishedTask, cipher: FieldCipher) {
  const { outcome } = task;
  return {
    type: EVENT_TYPE[outcome.status],
    /** One id per outcome: receivers de-duplicate on it (a follow-up may be carried out twice). */
    event_id: followUpId(task),
    task_id: task.taskId,
    task_type: task.type,
    queue: task.queue,
    status: outcome.status,
    attempts: task.attempt,
    finished_at: new Date(task.finishedAt).toISOString(),
    ...(outcome.status === "SUCCESS" ? { result: cipher.open(JSON.parse(outcome.result)) } : { error: publicError(outcome.error) }),
  };
}

/** Publishes the lifecycle event (and the dead-letter copy of a failure); Pub/Sub consumers de-duplicate by event_id. */
export async function publishLifecycleEvent(deps: LifecycleDeps, task: FinishedTask): Promise<void> {
  const body = lifecycleEvent(task, deps.cipher);
  const attributes = { type: body.type, task_type: task.type, queue: task.queue, event_id: body.event_id };
  const work = [deps.bus().publish(deps.topics.lifecycle, body, attributes)];
  if (task.outcome.status === "FAILURE") work.push(deps.bus().publish(deps.topics.deadLetter, body, attributes));
  await Promise.all(work);
}

/** Submits the platform.callback task; its idempotency key is the delivery id, so one outcome is one callback. */
export async function submitCallback(deps: LifecycleDeps, task: FinishedTask): Promise<void> {
  if (!task.callbackUrl) return;
  const event = lifecycleEvent(task, deps.cipher);
  await deps.submit({ type: "platform.callback", origin: "platform", tenant: task.tenant, payload: { url: task.callbackUrl, event }, idempotencyKey: `callback:${event.event_id}` });
}
