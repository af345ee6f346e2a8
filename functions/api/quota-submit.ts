// A submit that charges one unit of a user's daily quota (top-level `user_id`).
// Order matters: a submit the platform refuses (400) costs nothing, so it is
// checked before the unit is taken; a submit that then does not become a task
// (503, 413, an idempotent replay) gives the unit back.
import { SubmissionError, fieldIssues } from "../core/errors.ts";
import { lookupTask, resolveEta, type SubmitRequest, type SubmitResult } from "../core/submit.ts";
import type { Registry } from "../core/registry.ts";
import type { Logger } from "../core/ports.ts";
import type { UserQuota } from "../tasks/users/ports.ts";

export interface QuotaSubmitDeps {
  registry: Registry;
  quota: UserQuota;
  submit: (request: SubmitRequest) => Promise<SubmitResult>;
  log: Logger;
  /** Counts the caller's rate limit once the submit is known valid, before the unit is taken (a refused one takes none). */
  countRate?: () => Promise<void>;
  now?: () => number;
}

export async function submitCharged(deps: QuotaSubmitDeps, request: SubmitRequest, userId: string): Promise<SubmitResult> {
  const now = (deps.now ?? Date.now)();
  refuseInvalid(deps.registry, request, now);
  await deps.countRate?.();
  const decision = await deps.quota.consume(userId);
  if (!decision.allowed) {
    const retryAfterSeconds = Math.max(1, Math.ceil((decision.resetAt - now) / 1000));
    throw new SubmissionError("over_quota", `user ${userId} has used ${decision.used} of ${decision.limit} submits today`, {
      user_id: userId,
      limit: decision.limit,
      used: decision.used,
      reset_at: new Date(decision.resetAt).toISOString(),
      retry_after_seconds: retryAfterSeconds,
    });
  }
  const giveBack = () =>
    deps.quota.refund(userId).catch((error: unknown) => deps.log.error({ err: error, userId }, "could not give back a quota unit"));
  let result: SubmitResult;
  try {
    result = await deps.submit(request);
  } catch (error) {
    await giveBack();
    throw error;
  }
  // An idempotent replay made no new task: it is not charged twice.
  if (!result.created) await giveBack();
  return result;
}

/** The same checks submit makes first (type, payload, schedule), made before any quota is spent. */
function refuseInvalid(registry: Registry, request: SubmitRequest, now: number): void {
  const task = lookupTask(registry, request.type, request.origin);
  const parsed = task.input.safeParse(request.payload);
  if (!parsed.success) {
    throw new SubmissionError("invalid_payload", `payload does not match ${task.name}`, { fields: fieldIssues(parsed.error.issues, "payload") });
  }
  resolveEta(request, now);
}
