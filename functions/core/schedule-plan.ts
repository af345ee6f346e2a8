// Reconciling the schedules declared in code with Cloud Scheduler: a plan of
// creates, updates and deletes that touches only jobs whose origin is "code",
// never the ones created at run time. Applying a plan twice changes nothing.
import type { ScheduleDefinition } from "./define-schedule.ts";
import type { ScheduledJob, ScheduledJobSpec, Scheduler } from "./ports.ts";

export interface SchedulePlan {
  create: ScheduledJobSpec[];
  update: { spec: ScheduledJobSpec; changes: string[] }[];
  delete: string[];
  unchanged: string[];
  /** Declared names taken by a schedule created at run time: left alone, reported. */
  conflicts: string[];
}

export const specOf = (schedule: ScheduleDefinition): ScheduledJobSpec => ({
  name: schedule.name,
  origin: "code",
  cron: schedule.cron,
  timeZone: schedule.timeZone,
  task: schedule.task,
  payload: schedule.payload,
  description: schedule.description,
});

function differences(spec: ScheduledJobSpec, job: ScheduledJob): string[] {
  const changes: string[] = [];
  if (spec.cron !== job.cron) changes.push(`cron ${job.cron} → ${spec.cron}`);
  if (spec.timeZone !== job.timeZone) changes.push(`time zone ${job.timeZone} → ${spec.timeZone}`);
  if (spec.task !== job.task) changes.push(`task ${job.task} → ${spec.task}`);
  if (JSON.stringify(spec.payload) !== JSON.stringify(job.payload)) changes.push("payload");
  if (spec.description !== job.description) changes.push("description");
  return changes;
}

export function planSchedules(declared: ScheduleDefinition[], existing: ScheduledJob[]): SchedulePlan {
  const byName = new Map(existing.map((job) => [job.name, job]));
  const plan: SchedulePlan = { create: [], update: [], delete: [], unchanged: [], conflicts: [] };
  for (const schedule of declared) {
    const spec = specOf(schedule);
    const job = byName.get(schedule.name);
    if (!job) plan.create.push(spec);
    else if (job.origin !== "code") plan.conflicts.push(schedule.name);
    else {
      const changes = differences(spec, job);
      if (changes.length) plan.update.push({ spec, changes });
      else plan.unchanged.push(schedule.name);
    }
  }
  const declaredNames = new Set(declared.map((s) => s.name));
  for (const job of existing) if (job.origin === "code" && !declaredNames.has(job.name)) plan.delete.push(job.name);
  return plan;
}

export async function applySchedulePlan(scheduler: Scheduler, plan: SchedulePlan): Promise<void> {
  for (const spec of plan.create) await scheduler.create(spec);
  for (const { spec } of plan.update) await scheduler.update(spec);
  for (const name of plan.delete) await scheduler.delete(name);
}

export function describePlan(plan: SchedulePlan): string[] {
  return [
    ...plan.create.map((s) => `create     ${s.name} (${s.cron} ${s.timeZone} → ${s.task})`),
    ...plan.update.map((u) => `update     ${u.spec.name}: ${u.changes.join(", ")}`),
    ...plan.delete.map((n) => `delete     ${n} (no longer declared)`),
    ...plan.unchanged.map((n) => `unchanged  ${n}`),
    ...plan.conflicts.map((n) => `conflict   ${n}: a schedule created through the API has this name; left alone`),
  ];
}
