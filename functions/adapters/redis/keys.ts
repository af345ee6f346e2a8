// Every key the platform writes, under one prefix so that deployments (and
// tests) sharing a database never see each other's data.
import { createHash } from "node:crypto";

export function taskKeys(prefix: string) {
  return {
    taskPrefix: `${prefix}:task:`,
    task: (id: string) => `${prefix}:task:${id}`,
    /** The caller's scope keeps two API keys' idempotency keys apart. */
    idempotency: (scopedKey: string) => `${prefix}:idem:${createHash("sha256").update(scopedKey).digest("base64url")}`,
    queueIndex: (queue: string) => `${prefix}:idx:${queue}`,
    queueStats: (queue: string) => `${prefix}:stats:${queue}`,
    failed: `${prefix}:failed`,
    /** Tasks with follow-ups not yet carried out, by finish time (functions/core/follow-ups.ts). */
    outbox: `${prefix}:outbox`,
    workers: `${prefix}:workers`,
    group: (id: string) => `${prefix}:group:${id}`,
    groupMembers: (id: string) => `${prefix}:group:${id}:members`,
  };
}
export type TaskKeys = ReturnType<typeof taskKeys>;
