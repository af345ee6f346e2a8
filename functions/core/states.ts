// Task states: Celery's names, so that clients of the old systems keep working.
export const TaskStatus = ["PENDING", "SCHEDULED", "STARTED", "RETRY", "SUCCESS", "FAILURE", "REVOKED"] as const;
export type TaskStatus = (typeof TaskStatus)[number];

/** States a task never leaves; its record expires with its result. */
export const FinalStatus = ["SUCCESS", "FAILURE", "REVOKED"] as const;
export type FinalStatus = (typeof FinalStatus)[number];

/** The one test of finality in TypeScript; the Lua scripts' is_final is generated from FinalStatus (adapters/redis/lua.ts). */
export const isFinal = (status: string): status is FinalStatus => (FinalStatus as readonly string[]).includes(status);

/**
 * The message an outcome leaves on the record, replacing the handler's last progress message
 * ("delivering" would otherwise stay on a task that is long done).
 */
export const OUTCOME_MESSAGE = { SUCCESS: "done", FAILURE: "failed", REVOKED: "revoked", RETRY: "waiting to retry" } as const satisfies Record<FinalStatus | "RETRY", string>;
