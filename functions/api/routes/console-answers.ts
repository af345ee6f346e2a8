// What the console's routes answer, for OpenAPI and the typed client.
import { z } from "zod";
import { Scope } from "../auth.ts";
import { taskError, taskView, workerList } from "../answers.ts";

export const consoleAsset = z.string().describe("the console's script or style sheet");

export const whoami = z.object({ name: z.string(), tenant: z.string(), scopes: z.array(z.enum(Scope)).describe("admin implies submit implies read") });

const overviewQueue = z.object({
  name: z.string(),
  state: z.string().describe("RUNNING, PAUSED, DISABLED or UNKNOWN (Cloud Tasks unreachable)"),
  counts: z.object({
    PENDING: z.number().int(), SCHEDULED: z.number().int(), STARTED: z.number().int(), RETRY: z.number().int(),
    totals: z.object({ SUCCESS: z.number().int(), FAILURE: z.number().int(), REVOKED: z.number().int(), RETRY: z.number().int() }).describe("cumulative outcomes"),
  }).describe("live tasks among the queue's 100 newest, by state; totals: cumulative outcomes"),
  finished_last_minute: z.number(),
  latency: z.object({ mean_wait_seconds: z.number().nullable(), mean_run_seconds: z.number().nullable() }),
});

const overviewSchedule = z.object({
  name: z.string(), origin: z.string(), cron: z.string(), task: z.string(), state: z.string(),
  next_run: z.string().nullable(), last_status: z.string().nullable(),
});

export const overview = z.object({
  at: z.string().describe("when this overview was read"),
  queues: z.array(overviewQueue),
  tasks: z.array(taskView).describe("the newest tasks matching the filters, as GET /v1/tasks"),
  next_cursor: z.string().nullable(),
  workers: workerList.shape.workers,
  schedules: z.array(overviewSchedule).nullable().describe("null when Cloud Scheduler is unreachable"),
});

export const taskDetail = taskView.extend({
  error: taskError.extend({ traceback: z.string().optional().describe("the first lines of the stack the handler threw (an Error's)") }).nullable(),
  payload: z.unknown().describe("the stored payload; fields the task marks sensitive show masked"),
  result: z.unknown().describe("the stored result (SUCCESS), sensitive fields masked"),
});
