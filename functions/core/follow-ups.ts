// The outbox: what follows a task's final state (a lifecycle event, its
// callback_url delivery, the next chain step, a chord's callback) is recorded in
// the same atomic write as that state (the finish script), carried out after it,
// and marked done. A follow-up left pending (a crash, a refusal) is carried out by
// the task's redelivery, or by the outbox sweep (platform.outbox_sweep) once it
// is older than a grace period. Each is idempotent by an id derived from the run
// that wrote the final state, so carrying one out twice has one effect.
import { FollowUpKind, type FinishedTask, type Logger, type OutboxStore, type OutboxSweepReport } from "./ports.ts";

export { FollowUpKind, type FinalOutcome, type FinishedTask, type OutboxStore, type OutboxSweepReport } from "./ports.ts";

/** One id per final outcome: a lifecycle message's event_id, a callback's delivery id. */
export function followUpId(task: Pick<FinishedTask, "taskId" | "runId">): string {
  return `${task.taskId}.${task.runId}`;
}

/** Carries out one follow-up; throws when it could not (it stays pending and is tried again). */
export type FollowUpRunner = (task: FinishedTask, kind: FollowUpKind) => Promise<void>;

export interface FollowUpDeps {
  store: OutboxStore;
  run: FollowUpRunner;
  log: Logger;
}

export function parseFollowUps(list: string | null | undefined): FollowUpKind[] {
  if (!list) return [];
  return list.split(",").filter((k): k is FollowUpKind => (FollowUpKind as readonly string[]).includes(k));
}

/** Runs the pending follow-ups and marks those that succeeded; answers those that failed (still pending). */
export async function carryOutFollowUps(deps: FollowUpDeps, task: FinishedTask, pending: FollowUpKind[]): Promise<FollowUpKind[]> {
  if (pending.length === 0) return [];
  const results = await Promise.allSettled(pending.map((kind) => deps.run(task, kind)));
  const done: FollowUpKind[] = [];
  const failed: FollowUpKind[] = [];
  results.forEach((r, i) => {
    if (r.status === "fulfilled") done.push(pending[i]!);
    else {
      failed.push(pending[i]!);
      deps.log.error({ err: r.reason, taskId: task.taskId, followUp: pending[i] }, "a follow-up failed; it stays pending");
    }
  });
  if (done.length > 0) await deps.store.followUpsDone(task.taskId, done);
  return failed;
}

/** Carries out the follow-ups older than `graceMs` (left by a dead worker or refused once), a bounded batch. */
export async function sweepOutbox(deps: FollowUpDeps, options: { graceMs: number; limit: number; now?: number }): Promise<OutboxSweepReport> {
  const before = (options.now ?? Date.now()) - options.graceMs;
  const ids = await deps.store.outboxDue(before, options.limit);
  const report: OutboxSweepReport = { examined: ids.length, completed: 0, failed: 0, forgotten: 0 };
  for (const id of ids) {
    const found = await deps.store.finishedTask(id);
    if (!found || found.pending.length === 0) {
      await deps.store.outboxForget(id);
      report.forgotten += 1;
      continue;
    }
    const failed = await carryOutFollowUps(deps, found.task, found.pending);
    if (failed.length === 0) report.completed += 1;
    else report.failed += 1;
  }
  return report;
}
