// What the TaskStore contract runs against: a fresh, empty store (its own key prefix in Redis) with the
// test's clock, the group store its finish counts into, and a way to let a record's TTL run out.
import { randomUUID } from "node:crypto";
import type { GroupStore } from "../../functions/core/groups.ts";
import type { TaskStore } from "../../functions/core/ports.ts";
import type { NewTask } from "../../functions/core/task-record.ts";
import type { RateLimiter } from "../../functions/core/rate-limit.ts";

export interface TaskStoreSubject {
  store: TaskStore;
  groups: GroupStore;
  /** The standalone rate limiter over the same counters the store's create and summary count in. */
  rateLimiter: RateLimiter;
  /** The store's clock: leases, ETAs and worker visibility follow it. */
  clock: { now: number };
  /** Lets `ms` pass for record expiry too: the memory store's clock; for Redis, real time as well (EXPIRE knows no other). */
  letTimePass(ms: number): Promise<void>;
}

interface SubjectOptions {
  queues: string[];
  tenants: string[];
}

export type MakeSubject = (options: SubjectOptions) => Promise<TaskStoreSubject>;

export const QUEUE = "default";

export function taskOf(subject: TaskStoreSubject, extra: Partial<NewTask> = {}): NewTask {
  const id = extra.id ?? randomUUID();
  return {
    id, tenant: "acme", type: "testing.noop", queue: QUEUE, priority: "normal", status: "PENDING", createdAt: subject.clock.now,
    maxAttempts: 3, resultTtlSeconds: 3600, leaseMs: 305_000, cloudTask: id, payload: '{"n":1}', ...extra,
  };
}

/** Creates a task; answers its id. */
export async function newTask(subject: TaskStoreSubject, extra: Partial<NewTask> = {}): Promise<string> {
  const task = taskOf(subject, extra);
  const outcome = await subject.store.create(task);
  if (!outcome.created) throw new Error("the contract's task was not created");
  return task.id;
}

export const claimOf = (subject: TaskStoreSubject, id: string, cloudTask: string, runId: string, leaseMs = 30_000) =>
  subject.store.claim(id, { cloudTask, runId, leaseMs, workerId: "worker-1" });

export const success = (value: unknown) => ({ status: "SUCCESS" as const, result: JSON.stringify(value) });
export const failure = (message = "no") => ({ status: "FAILURE" as const, error: { type: "Boom", message } });
export const retryTo = (cloudTask: string, nextAttemptAt: number) =>
  ({ status: "RETRY" as const, error: { type: "Error", message: "again" }, nextAttemptAt, cloudTask });
