// Celery's canvas on Cloud Tasks: group (parallel, results in member order),
// chain (each result is the next task's input), chord (a group, then a callback
// exactly once with every member's result). Members are ordinary tasks that
// carry their group id; each one's final state is counted in the same atomic
// Redis call that records it (the finish script), which also records the
// group's follow-up in the task's outbox ("chain" for a chain step, "chord" for
// the member that completes a chord): a duplicate delivery counts once, and the
// next step or the callback is submitted until done, under an idempotency key.
// A follow-up the platform refuses (SubmissionError: the payload can never
// pass) ends the group FAILURE with the reason instead of being retried.
import { createHash, randomUUID } from "node:crypto";
import type { GroupMember, GroupSpec } from "./group-spec.ts";
import { SubmissionError } from "./errors.ts";
import type { FinishedTask } from "./follow-ups.ts";
import type { Logger, TaskStore } from "./ports.ts";
import type { SubmitRequest, SubmitResult } from "./submit.ts";
import { publicError, type TaskSummary } from "./task-record.ts";

export { groupSpec, type GroupSpec } from "./group-spec.ts";

export const GroupState = ["PENDING", "STARTED", "SUCCESS", "FAILURE", "REVOKED"] as const;
export type GroupState = (typeof GroupState)[number];

export interface GroupRecord {
  id: string;
  /** Whose group: its members, chain steps and chord callback are that tenant's tasks. */
  tenant: string;
  kind: GroupSpec["kind"];
  total: number;
  done: number;
  succeeded: number;
  failed: number;
  revoked: number;
  /** Members submitted so far (a group is enqueued in batches). */
  submitted: number;
  submitErrors: number;
  cancelled: boolean;
  createdAt: number;
  /** Chain steps and chord callback, as submitted. */
  steps: GroupMember[];
  callback?: GroupMember;
  allowPartial: boolean;
  callbackTaskId?: string;
  error?: string;
}

/** Group bookkeeping in Redis. */
export interface GroupStore {
  create(record: Omit<GroupRecord, "done" | "succeeded" | "failed" | "revoked" | "submitted" | "submitErrors" | "cancelled">): Promise<void>;
  get(id: string): Promise<GroupRecord | null>;
  /** Member task ids, index order, for [start, start+count). */
  members(id: string, start: number, count: number): Promise<string[]>;
  /** Records the task id of member `index` (set once, in order of submission). */
  addMembers(id: string, entries: { index: number; taskId: string }[]): Promise<void>;
  progress(id: string, submitted: number, submitErrors: number): Promise<void>;
  update(id: string, fields: Partial<Pick<GroupRecord, "callbackTaskId" | "error" | "cancelled">>): Promise<void>;
  /** Deletes a group none of whose members was submitted (its submit is refused as a whole). */
  remove(id: string): Promise<void>;
  /** Parsed results of these tasks (null for those without one). */
  results(taskIds: string[]): Promise<unknown[]>;
}

export interface GroupDeps {
  groups: GroupStore;
  store: TaskStore;
  submit: (request: SubmitRequest) => Promise<SubmitResult>;
  open: (sealed: unknown) => unknown;
  log: Logger;
}

const BATCH = 100;

/** Creates the group and submits its first tasks: every member of a group or chord, the first step of a chain. */
export async function submitGroup(deps: GroupDeps, spec: GroupSpec, options: { tenant: string; idempotencyKey?: string }): Promise<GroupRecord> {
  // With an idempotency key the group id is derived from it: submitting again
  // (a retried parent task) finds the same group and the same members.
  const id = options.idempotencyKey ? groupIdFor(options.idempotencyKey) : randomUUID();
  const steps = spec.tasks;
  if (!(await deps.groups.get(id))) await deps.groups.create({
    id, tenant: options.tenant, kind: spec.kind, total: steps.length, createdAt: Date.now(), steps: spec.kind === "chain" ? steps : [],
    ...(spec.kind === "chord" ? { callback: spec.callback, allowPartial: spec.allow_partial } : { allowPartial: false }),
  });
  const first = spec.kind === "chain" ? steps.slice(0, 1) : steps;
  let submitted = 0;
  let errors = 0;
  let firstError: unknown;
  // Batches of concurrent submits: within Cloud Tasks' create rate, and never a
  // silent half: the record says how many went in and how many failed.
  for (let start = 0; start < first.length; start += BATCH) {
    const batch = first.slice(start, start + BATCH);
    const results = await Promise.allSettled(
      batch.map((m, i) => deps.submit({ type: m.type, origin: "platform", tenant: options.tenant, payload: m.payload ?? {}, groupId: id, groupIndex: start + i, idempotencyKey: `group:${options.idempotencyKey ?? id}:${start + i}` })),
    );
    const entries: { index: number; taskId: string }[] = [];
    results.forEach((r, i) => {
      if (r.status === "fulfilled") entries.push({ index: start + i, taskId: r.value.taskId });
      else {
        errors += 1;
        firstError ??= r.reason;
        deps.log.error({ err: r.reason, groupId: id, index: start + i }, "group member could not be submitted");
      }
    });
    submitted += entries.length;
    await deps.groups.addMembers(id, entries);
    await deps.groups.progress(id, submitted, errors);
  }
  // Nothing went in (Cloud Tasks refusing, say): nothing is left behind, and the caller is refused as a whole (503: try again).
  if (submitted === 0 && errors > 0) {
    await deps.groups.remove(id);
    throw firstError;
  }
  // Members that could not be submitted never run: the group can never complete, so it ends FAILURE, saying why
  // (the caller got 207 with submit_errors), instead of waiting for ever.
  if (errors > 0) await deps.groups.update(id, { error: `${errors} of ${first.length} members could not be submitted` });
  return (await deps.groups.get(id))!;
}

/** The "chain" and "chord" follow-ups of a member that reached a final state. */
export async function runGroupFollowUp(deps: GroupDeps, task: FinishedTask, kind: "chain" | "chord"): Promise<void> {
  if (!task.group) return;
  const group = await deps.groups.get(task.group.id);
  if (!group || group.cancelled || group.error) return;
  try {
    if (kind === "chain") await advanceChain(deps, group, task, task.group.index);
    else await fireCallback(deps, group);
  } catch (error) {
    if (!(error instanceof SubmissionError)) throw error;
    // Retrying cannot change the answer: the group ends visibly instead of waiting forever.
    const what = kind === "chain" ? `chain step ${task.group.index + 1} (${group.steps[task.group.index + 1]?.type})` : `chord callback (${group.callback?.type})`;
    deps.log.warn({ groupId: group.id, err: error }, "a group follow-up was refused; the group fails");
    await deps.groups.update(group.id, { error: `${what} was refused: ${error.message}${error.details ? ` ${JSON.stringify(error.details).slice(0, 1500)}` : ""}` });
  }
}

async function advanceChain(deps: GroupDeps, group: GroupRecord, task: FinishedTask, index: number): Promise<void> {
  if (task.outcome.status !== "SUCCESS") {
    await deps.groups.update(group.id, { error: `step ${index} (${task.taskId}) ended ${task.outcome.status}: ${task.outcome.error.message}` });
    return;
  }
  const next = group.steps[index + 1];
  if (!next) return;
  const result = deps.open(JSON.parse(task.outcome.result));
  const submitted = await deps.submit({
    type: next.type,
    origin: "platform",
    tenant: group.tenant,
    payload: chainInput(result, next.payload),
    groupId: group.id,
    groupIndex: index + 1,
    idempotencyKey: `chain:${group.id}:${index + 1}`,
  });
  await deps.groups.addMembers(group.id, [{ index: index + 1, taskId: submitted.taskId }]);
  await deps.groups.progress(group.id, index + 2, group.submitErrors);
}

function groupIdFor(key: string): string {
  const hex = createHash("sha256").update(`group\n${key}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A chain step's input: the previous result, with the step's own payload fields on top. */
export function chainInput(previous: unknown, payload: unknown): unknown {
  if (payload === undefined) return previous;
  if (previous && typeof previous === "object" && !Array.isArray(previous) && payload && typeof payload === "object") return { ...previous, ...payload };
  return payload;
}

async function fireCallback(deps: GroupDeps, group: GroupRecord): Promise<void> {
  const ids = await deps.groups.members(group.id, 0, group.total);
  const summaries = await Promise.all(ids.map((id) => deps.store.summary(id)));
  const failed = summaries.filter((s): s is TaskSummary => !!s && s.status !== "SUCCESS");
  if (failed.length > 0 && !group.allowPartial) {
    await deps.groups.update(group.id, { error: `chord members failed: ${failed.map((s) => `${s.id} (${s.status})`).join(", ").slice(0, 2000)}` });
    return;
  }
  const results = (await deps.groups.results(ids)).map((r) => deps.open(r));
  const payload = {
    ...(group.callback?.payload && typeof group.callback.payload === "object" ? group.callback.payload : {}),
    results,
    failed: failed.map((s) => ({ task_id: s.id, status: s.status, error: s.error ? publicError(s.error) : null })),
  };
  const submitted = await deps.submit({ type: group.callback!.type, origin: "platform", tenant: group.tenant, payload, idempotencyKey: `chord:${group.id}` });
  await deps.groups.update(group.id, { callbackTaskId: submitted.taskId });
}

/** A group's state, derived from its counts (and its callback's state, for a chord). */
export function groupState(group: GroupRecord, callback: TaskSummary | null): GroupState {
  if (group.cancelled) return "REVOKED";
  if (group.error) return "FAILURE";
  if (group.kind === "chord" && group.done === group.total) return callback ? (callback.status === "SUCCESS" || callback.status === "FAILURE" || callback.status === "REVOKED" ? callback.status : "STARTED") : "STARTED";
  if (group.done === group.total && group.submitted === group.total) return group.failed + group.revoked > 0 ? "FAILURE" : "SUCCESS";
  return group.done === 0 ? "PENDING" : "STARTED";
}
