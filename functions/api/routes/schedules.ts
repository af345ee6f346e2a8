// /v1/schedules: the periodic jobs declared in code and those created at run
// time, all kept in Cloud Scheduler; trigger runs one (at most one task per
// schedule and slot, however often a slot fires).
import { z } from "zod";
import { ApiError, iso, jsonBody, sendJson, type ApiRequest } from "../../http/json.ts";
import { parseOrThrow } from "./tasks.ts";
import { checkCron, nextRuns, SCHEDULE_NAME, type ScheduleDefinition } from "../../core/define-schedule.ts";
import { ScheduleConflict, fieldIssues } from "../../core/errors.ts";
import type { KeyValueStore, ScheduledJob, Scheduler } from "../../core/ports.ts";
import type { ApiDeps } from "../deps.ts";
import type { Route } from "../router.ts";
import { scheduleDeleted, scheduleList, scheduleTriggered, scheduleView } from "../answers.ts";

export interface ScheduleDeps {
  /** The schedules declared in code, by name (functions/schedules.ts defines them on first use). */
  declared: () => ReadonlyMap<string, ScheduleDefinition>;
  scheduler: () => Scheduler;
  kv: () => KeyValueStore;
}

const scheduleFields = {
  cron: z.string().min(1),
  time_zone: z.string(),
  task: z.string().min(1),
  payload: z.record(z.string(), z.unknown()),
  description: z.string().max(500),
};
export const createScheduleBody = z.strictObject({
  name: z.string().regex(SCHEDULE_NAME, "lowercase letters, digits, - and _, at most 63"),
  ...scheduleFields,
  time_zone: scheduleFields.time_zone.default("UTC"),
  payload: scheduleFields.payload.default({}),
  description: scheduleFields.description.default(""),
});
// No defaults here: a field the PATCH leaves out keeps the schedule's value (a default would reset it).
export const patchScheduleBody = z.strictObject(scheduleFields).partial();
const triggerBody = z.strictObject({ scheduled_time: z.iso.datetime({ offset: true }).optional(), schedule: z.string().optional(), origin: z.string().optional(), task: z.string().optional(), payload: z.unknown().optional() }).optional();

/** What every schedule route works with: the api's deps and the scheduler's (the schedules declared in code among them). */
interface Schedules {
  deps: ApiDeps;
  s: ScheduleDeps;
}

export function scheduleRoutes(deps: ApiDeps, s: ScheduleDeps): Route[] {
  const c: Schedules = { deps, s };
  return [listSchedules(c), createSchedule(c), updateSchedule(c), deleteSchedule(c), pauseOrResume(c, "pause"), pauseOrResume(c, "resume"), triggerSchedule(c)];
}

function listSchedules(c: Schedules): Route {
  return {
    method: "GET", path: "/v1/schedules", scope: "read", summary: "Periodic jobs with next run and last outcome", operationId: "listSchedules",
    doc: { responses: { 200: scheduleList } },
    async handle({ res }) {
      const jobs = await c.s.scheduler().list();
      const byName = new Map(jobs.map((j) => [j.name, j]));
      const names = new Set([...c.s.declared().keys(), ...byName.keys()]);
      const schedules = await Promise.all([...names].sort().map((name) => present(c, byName.get(name) ?? null, c.s.declared().get(name))));
      sendJson(res, 200, { schedules });
    },
  };
}

function createSchedule(c: Schedules): Route {
  return {
    method: "POST", path: "/v1/schedules", scope: "admin", summary: "Create a schedule (kept in Cloud Scheduler)", operationId: "createSchedule",
    doc: { body: createScheduleBody, responses: { 201: scheduleView }, errors: [409] },
    async handle({ req, res }) {
      const body = parseOrThrow(createScheduleBody, jsonBody(req) ?? {});
      if (c.s.declared().has(body.name)) throw new ApiError(409, "conflict", `schedule "${body.name}" is declared in code`);
      validate(c, body.cron, body.time_zone, body.task, body.payload);
      try {
        const job = await c.s.scheduler().create({ name: body.name, origin: "api", cron: body.cron, timeZone: body.time_zone, task: body.task, payload: body.payload, description: body.description });
        sendJson(res, 201, await present(c, job));
      } catch (error) {
        if (error instanceof ScheduleConflict) throw new ApiError(409, "conflict", error.message);
        throw error;
      }
    },
  };
}

function updateSchedule(c: Schedules): Route {
  return {
    method: "PATCH", path: "/v1/schedules/{name}", scope: "admin", summary: "Change a schedule created at run time", operationId: "updateSchedule",
    doc: { body: patchScheduleBody, responses: { 200: scheduleView }, errors: [409] },
    async handle({ req, res, params }) {
      const body = parseOrThrow(patchScheduleBody, jsonBody(req) ?? {});
      const job = await existing(c, params.name!);
      runtimeOnly(job);
      const next = { name: job.name, origin: "api" as const, cron: body.cron ?? job.cron, timeZone: body.time_zone ?? job.timeZone, task: body.task ?? job.task, payload: body.payload ?? job.payload, description: body.description ?? job.description };
      validate(c, next.cron, next.timeZone, next.task, next.payload);
      sendJson(res, 200, await present(c, await c.s.scheduler().update(next)));
    },
  };
}

function deleteSchedule(c: Schedules): Route {
  return {
    method: "DELETE", path: "/v1/schedules/{name}", scope: "admin", summary: "Delete a schedule created at run time", operationId: "deleteSchedule",
    doc: { responses: { 200: scheduleDeleted }, errors: [409] },
    async handle({ res, params }) {
      const job = await existing(c, params.name!);
      runtimeOnly(job);
      await c.s.scheduler().delete(job.name);
      sendJson(res, 200, { name: job.name, deleted: true });
    },
  };
}

function pauseOrResume(c: Schedules, action: "pause" | "resume"): Route {
  return {
    method: "POST", path: `/v1/schedules/{name}/${action}`, scope: "admin", summary: `${action === "pause" ? "Pause" : "Resume"} a schedule`, operationId: `${action}Schedule`,
    doc: { responses: { 200: scheduleView } },
    async handle({ res, params }) {
      await existing(c, params.name!);
      sendJson(res, 200, await present(c, await c.s.scheduler()[action](params.name!), c.s.declared().get(params.name!)));
    },
  };
}

function triggerSchedule(c: Schedules): Route {
  return {
    method: "POST", path: "/v1/schedules/{name}/trigger", scope: "admin", oidc: "scheduler", summary: "Run a schedule now (Cloud Scheduler calls this); one task per slot", operationId: "triggerSchedule",
    doc: { body: triggerBody, responses: { 202: scheduleTriggered } },
    async handle({ req, res, params }) {
      const name = params.name!;
      const body = parseOrThrow(triggerBody, jsonBody(req));
      let task = c.s.declared().get(name)?.task;
      let payload: unknown = c.s.declared().get(name)?.payload;
      if (!task) {
        const job = await existing(c, name);
        task = job.task;
        payload = job.payload;
      }
      const slot = slotOf(req, body?.scheduled_time);
      const submitted = await c.deps.submit({ type: task, origin: "platform", payload: payload ?? {}, idempotencyKey: `schedule:${name}:${slot}` });
      await c.s.kv().set(`schedule:last:${name}`, { task_id: submitted.taskId, slot, at: new Date().toISOString() }, { ttlSeconds: 30 * 86400 }).catch(() => undefined);
      sendJson(res, 202, { schedule: name, slot, task_id: submitted.taskId, status: submitted.status, duplicate: !submitted.created });
    },
  };
}

/** A schedule's cron, time zone, task type and payload, checked as a submit would check them. */
function validate(c: Schedules, cron: string, timeZone: string, task: string, payload: unknown): void {
  try {
    checkCron(cron, timeZone);
  } catch (error) {
    const field = (error as Error).message.includes("time zone") ? "time_zone" : "cron";
    throw new ApiError(400, "validation_failed", (error as Error).message, { fields: [{ path: field, message: (error as Error).message }] });
  }
  const definition = c.deps.registry.callerTask(task);
  if (!definition) throw new ApiError(400, "unknown_type", `unknown task type "${task}"`, { known_types: c.deps.registry.callerTaskTypes() });
  const parsed = definition.input.safeParse(payload);
  if (!parsed.success) {
    const fields = fieldIssues(parsed.error.issues, "payload");
    throw new ApiError(400, "validation_failed", `payload does not match ${task}: ${fields.map((f) => `${f.path}: ${f.message}`).join("; ")}`, { fields });
  }
}

/** A schedule as answered: the job Cloud Scheduler holds (or the declaration not applied yet), and its last task. */
async function present(c: Schedules, job: ScheduledJob | null, definition?: ScheduleDefinition) {
  const cron = job?.cron ?? definition!.cron;
  const timeZone = job?.timeZone ?? definition!.timeZone;
  const name = job?.name ?? definition!.name;
  const last = await c.s.kv().get<{ task_id: string; slot: string; at: string }>(`schedule:last:${name}`).catch(() => null);
  return {
    name,
    origin: job?.origin ?? "code",
    cron,
    time_zone: timeZone,
    task: job?.task ?? definition!.task,
    payload: job?.payload ?? definition!.payload,
    description: job?.description ?? definition!.description,
    state: job?.state ?? "NOT_APPLIED",
    next_run: job?.state === "PAUSED" ? null : iso(nextRuns(cron, timeZone, 1)[0]?.getTime()),
    last_attempt_time: iso(job?.lastAttemptTime?.getTime()),
    last_status: job?.lastStatus ? (job.lastStatus.code === 0 ? "OK" : `error ${job.lastStatus.code}: ${job.lastStatus.message}`) : null,
    last_task_id: last?.task_id ?? null,
  };
}

async function existing(c: Schedules, name: string): Promise<ScheduledJob> {
  const job = await c.s.scheduler().get(name);
  if (!job) throw new ApiError(404, "not_found", `no schedule "${name}"`);
  return job;
}

function runtimeOnly(job: ScheduledJob): void {
  if (job.origin === "code") throw new ApiError(409, "conflict", `schedule "${job.name}" is declared in code (functions/schedules.ts); change it there`);
}

/** How far ahead of our clock a slot may lie (clock skew between Cloud Scheduler and us). */
const SLOT_SKEW_MS = 60_000;

/**
 * The slot a trigger is for: Cloud Scheduler's X-CloudScheduler-ScheduleTime (the
 * same on its retries), or the time a manual trigger names; a manual trigger
 * without one is a slot of its own. A slot in the future is refused: taking it
 * now would make the real run at that time a duplicate, and so skip it.
 */
function slotOf(req: ApiRequest, named: string | undefined, now = Date.now()): string {
  const header = req.headers["x-cloudscheduler-scheduletime"];
  const fromHeader = typeof header === "string" && header !== "";
  const value = fromHeader ? header : named;
  if (value) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) {
      if (ms > now + SLOT_SKEW_MS) {
        const field = fromHeader ? "X-CloudScheduler-ScheduleTime" : "scheduled_time";
        const message = `${field} ${value} is in the future: a trigger may run a slot that is due, not take one ahead of time`;
        throw new ApiError(400, "validation_failed", message, { fields: [{ path: field, message: "in the future" }] });
      }
      return new Date(Math.floor(ms / 1000) * 1000).toISOString();
    }
  }
  return `manual-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
}
