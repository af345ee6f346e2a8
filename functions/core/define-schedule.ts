// A periodic job (Celery beat's entry): the one source for Cloud Scheduler
// (Terraform or `npm run schedules:apply`) and for the local emulator.
import { Cron } from "croner";

export interface ScheduleDefinition {
  /** Lowercase letters, digits, hyphens and underscores; part of the Cloud Scheduler job id. */
  name: string;
  /** Unix cron, five fields, in `timeZone`. */
  cron: string;
  /** IANA time zone. Default "UTC". */
  timeZone: string;
  /** Task type it submits. */
  task: string;
  payload: Record<string, unknown>;
  description: string;
}

export const SCHEDULE_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Throws with a message naming the problem; the API turns it into a 400. */
export function checkCron(cron: string, timeZone: string): void {
  if (cron.trim().split(/\s+/).length !== 5) throw new Error(`cron "${cron}" must have five fields (minute hour day month weekday)`);
  try {
    Intl.DateTimeFormat("en-US", { timeZone });
  } catch {
    throw new Error(`"${timeZone}" is not an IANA time zone`);
  }
  try {
    new Cron(cron, { timezone: timeZone, paused: true });
  } catch (error) {
    throw new Error(`cron "${cron}" is invalid: ${(error as Error).message}`);
  }
}

/** The next `count` run times after `from`, as Cloud Scheduler would fire them. */
export function nextRuns(cron: string, timeZone: string, count = 1, from = new Date()): Date[] {
  return new Cron(cron, { timezone: timeZone, paused: true }).nextRuns(count, from);
}

export function defineSchedule(options: Omit<ScheduleDefinition, "timeZone" | "payload" | "description"> & Partial<ScheduleDefinition>): ScheduleDefinition {
  if (!SCHEDULE_NAME.test(options.name)) throw new Error(`schedule name "${options.name}" must match ${SCHEDULE_NAME}`);
  const schedule = { timeZone: "UTC", payload: {}, description: "", ...options };
  checkCron(schedule.cron, schedule.timeZone);
  return schedule;
}
