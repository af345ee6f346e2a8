// When a job runs next: unix-cron as Cloud Scheduler accepts it, evaluated by croner
// in the job's IANA time zone.
//
// Daylight saving time. Google documents only that Cloud Scheduler "runs on wall
// clock time", that a job scheduled at a time that occurs twice (clocks going back)
// "may observe execution anomalies", and recommends UTC to avoid the problem
// (cloud.google.com/scheduler/docs/configuring/cron-job-schedules, "Time zone").
// It says nothing precise about a time that never occurs. The emulator does what
// croner 11 does, pinned by test/emulators/cloud-scheduler.test.ts:
// - fixed-time schedules (one value each in minute and hour, e.g. `30 2 * * *`):
//   a time inside a skipped hour runs once at the first instant after the gap
//   (2026-03-08 America/New_York: 03:00 EDT = 07:00Z, not 03:30); a time inside
//   a repeated hour runs once, on its first occurrence (2026-11-01 New York:
//   01:30 EDT = 05:30Z, not again at 01:30 EST).
// - every other schedule (wildcard, step, list or range in minute or hour, e.g.
//   `*/30 1 * * *`): times inside a skipped hour do not run at all; times inside
//   a repeated hour run on both occurrences.
// Zones without DST (Asia/Ho_Chi_Minh, UTC+7 all year) have neither case. Use UTC
// for schedules that must not drift, as Google advises.
import { Cron } from "croner";

export interface CronSchedule {
  /** The first slot strictly after `after`, or null when the pattern never matches again. */
  next(after: Date): Date | null;
}

/** Why a schedule or time zone was refused; becomes INVALID_ARGUMENT. */
export class ScheduleError extends Error {
  override name = "ScheduleError";
}

const MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/**
 * Only what unix-cron (and so Cloud Scheduler) has: `*`, numbers, ranges, steps, lists,
 * and month or weekday names. croner also takes L, W, #, ? and @nicknames; refusing them
 * here keeps a schedule that works locally from failing on the real service.
 */
function checkUnixCronSyntax(fields: string[]): void {
  const withSeconds = fields.length === 6;
  fields.forEach((field, index) => {
    const position = withSeconds ? index : index + 1; // 0 seconds, 1 minute … 5 weekday
    const names = position === 4 ? MONTH_NAMES : position === 5 ? DAY_NAMES : [];
    const value = names.length > 0 ? `(?:\\d+|${names.join("|")})` : "\\d+";
    const item = new RegExp(`^(?:\\*|${value}(?:-${value})?)(?:/\\d+)?$`, "i");
    for (const part of field.split(",")) {
      if (!item.test(part)) throw new ScheduleError(`schedule field "${field}" is not unix-cron`);
    }
  });
}

/** True for a tz database name Node knows (aliases such as "utc" or "Asia/Saigon" included). */
export function isTimeZone(name: string): boolean {
  // Intl also takes UTC offsets such as "+07:00"; the real service wants tz names only.
  if (name === "" || /^[+-]/.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses a job's schedule. `allowSeconds` accepts a leading seconds field, which the
 * real service refuses; the emulator offers it so tests need not wait for minutes.
 */
export function parseCronSchedule(
  schedule: string,
  timeZone: string,
  { allowSeconds = false }: { allowSeconds?: boolean } = {},
): CronSchedule {
  if (!isTimeZone(timeZone)) throw new ScheduleError(`unknown time zone "${timeZone}"`);
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5 && !(allowSeconds && fields.length === 6)) {
    throw new ScheduleError(
      `schedule "${schedule}" must have 5 fields (minute hour day-of-month month day-of-week)` +
        (allowSeconds ? " or 6 with seconds first" : ""),
    );
  }
  checkUnixCronSyntax(fields);
  let cron: Cron;
  try {
    cron = new Cron(fields.join(" "), { paused: true, timezone: timeZone, mode: "5-or-6-parts" });
  } catch (error) {
    throw new ScheduleError(`schedule "${schedule}" is invalid: ${(error as Error).message}`);
  }
  return { next: (after) => cron.nextRun(after) };
}
