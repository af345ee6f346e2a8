// Every key the platform writes, under one prefix so that deployments (and
// tests) sharing a database never see each other's data.
import { createHash } from "node:crypto";

/** An unambiguous encoding of a tuple: "a:b"+"c" and "a"+"b:c" never meet. */
const lengthPrefixed = (parts: readonly string[]): string => parts.map((p) => `${Buffer.byteLength(p)}:${p}`).join("");

export function taskKeys(prefix: string) {
  return {
    taskPrefix: `${prefix}:task:`,
    task: (id: string) => `${prefix}:task:${id}`,
    /** One idempotency key of one tenant on one route (scope): hashed, so no caller-chosen text reaches a key name. */
    idempotency: (tenant: string, scope: string, key: string) =>
      `${prefix}:idem:${createHash("sha256").update(lengthPrefixed([tenant, scope, key])).digest("base64url")}`,
    /** A tenant's tasks on one queue, by creation time. The queue is the last segment (queue names have no ':'). */
    index: (tenant: string, queue: string) => `${prefix}:idx:${tenant}:${queue}`,
    indexPrefix: `${prefix}:idx:`,
    /** Where the index sweep stopped in each index (functions/adapters/redis/maintenance-scripts.ts SWEEP INDEXES). */
    indexSweep: `${prefix}:idx-sweep`,
    queueStats: (queue: string) => `${prefix}:stats:${queue}`,
    /** Every tenant's FAILURE records, by finish time: the dead-letter list. */
    failed: `${prefix}:failed`,
    /** Tasks with follow-ups not yet carried out, by finish time (functions/core/follow-ups.ts). */
    outbox: `${prefix}:outbox`,
    workers: `${prefix}:workers`,
    group: (id: string) => `${prefix}:group:${id}`,
    groupMembers: (id: string) => `${prefix}:group:${id}:members`,
  };
}
export type TaskKeys = ReturnType<typeof taskKeys>;
