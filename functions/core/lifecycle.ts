// What happens when a task ends, besides its record: a lifecycle event on
// Pub/Sub (task.succeeded / task.failed / task.revoked), the dead-letter topic
// for failures, and a signed callback, run as a task of its own so that a
// receiver that is down delays the callback instead of losing it.
import type { FinalEvent, OnFinal } from "./executor.ts";
import type { EventBus, Logger } from "./ports.ts";
import type { FieldCipher } from "./sensitive-fields.ts";
import type { SubmitRequest, SubmitResult } from "./submit.ts";

export const LifecycleMode = ["all", "failures", "off"] as const;
export type LifecycleMode = (typeof LifecycleMode)[number];

export interface LifecycleDeps {
  bus: () => EventBus;
  submit: (request: SubmitRequest) => Promise<SubmitResult>;
  cipher: FieldCipher;
  log: Logger;
  mode: LifecycleMode;
  topics: { lifecycle: string; deadLetter: string };
}

const EVENT_TYPE = { SUCCESS: "task.succeeded", FAILURE: "task.failed", REVOKED: "task.revoked" } as const;

export function lifecycleEvent(event: FinalEvent, cipher: FieldCipher) {
  const { outcome } = event;
  return {
    type: EVENT_TYPE[outcome.status],
    task_id: event.taskId,
    task_type: event.type,
    queue: event.queue,
    status: outcome.status,
    attempts: event.attempt,
    finished_at: new Date().toISOString(),
    ...(outcome.status === "SUCCESS" ? { result: cipher.open(JSON.parse(outcome.result)) } : { error: outcome.error }),
  };
}

export function createLifecycle(deps: LifecycleDeps): OnFinal {
  return async (event) => {
    const body = lifecycleEvent(event, deps.cipher);
    const work: Promise<unknown>[] = [];
    const failed = event.outcome.status === "FAILURE";
    if (deps.mode === "all" || (deps.mode === "failures" && failed)) {
      work.push(deps.bus().publish(deps.topics.lifecycle, body, { type: body.type, task_type: event.type, queue: event.queue }));
    }
    if (failed && deps.mode !== "off") {
      work.push(deps.bus().publish(deps.topics.deadLetter, body, { type: body.type, task_type: event.type }));
    }
    if (event.callbackUrl && event.type !== "platform.callback") {
      work.push(deps.submit({ type: "platform.callback", origin: "platform", tenant: event.tenant, payload: { url: event.callbackUrl, event: body }, idempotencyKey: `callback:${event.taskId}:${event.attempt}` }));
    }
    const results = await Promise.allSettled(work);
    for (const r of results) if (r.status === "rejected") deps.log.error({ err: r.reason, taskId: event.taskId }, "lifecycle side effect failed");
  };
}
