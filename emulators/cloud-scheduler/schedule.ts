// When a job runs next. Job.schedule is "either a crontab or an English-like schedule"
// (cloud.google.com/scheduler/docs/configuring/cron-job-schedules): unix-cron, or the legacy App
// Engine cron syntax. Both evaluate with croner in the job's IANA time zone.
//
// English-like, the forms of App Engine's cron.yaml reference:
// - `every N (minutes|mins|hours)`: end-time interval, the next run N after the previous one ended;
// - `every N (minutes|mins|hours) from HH:MM to HH:MM`, or `… synchronized` (00:00 to 23:59):
//   start-time interval, runs at from, from+N, … up to to, every day;
// - `("every"|ordinals) (day|weekdays) [of (month|months)] HH:MM`: "every day 00:00",
//   "every mon,fri 09:00", "2nd,third mon,wed of march 17:00", "1st monday of sep,oct,nov 17:00".
//
// Daylight saving time. Google documents only that Cloud Scheduler "runs on wall clock time", that
// a job at a time that occurs twice "may observe execution anomalies", and recommends UTC. The
// emulator does what croner 11 does, pinned by test/emulators/cloud-scheduler.test.ts: a fixed
// time (one value in minute and hour) inside a skipped hour runs once at the first instant after the
// gap, inside a repeated hour once on its first occurrence; times of a wildcard, step, list or range
// inside a skipped hour do not run, inside a repeated hour run on both occurrences.
import { Cron } from "croner";

export interface Schedule {
  /** The first slot strictly after `after`, or null when the pattern never matches again. */
  next(after: Date): Date | null;
  /** Set for end-time intervals: the next run is this long after the previous attempt ended. */
  afterEndMs?: number;
}

/** Why a schedule or time zone was refused; becomes INVALID_ARGUMENT. */
export class ScheduleError extends Error {
  override name = "ScheduleError";
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const ORDINALS = ["first", "second", "third", "fourth", "fifth"];

/** True for a tz database name Node knows (aliases such as "utc" or "Asia/Saigon" included). */
function isTimeZone(name: string): boolean {
  // Intl also takes UTC offsets such as "+07:00"; the real service wants tz names only.
  if (name === "" || /^[+-]/.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function crons(patterns: string[], timeZone: string): Schedule {
  const all = patterns.map((pattern) => new Cron(pattern, { paused: true, timezone: timeZone, mode: "5-or-6-parts" }));
  return {
    next(after) {
      const runs = all.map((cron) => cron.nextRun(after)).filter((run): run is Date => run !== null);
      return runs.length > 0 ? new Date(Math.min(...runs.map(Number))) : null;
    },
  };
}

/**
 * Only what unix-cron (and so Cloud Scheduler) has: `*`, numbers, ranges, steps, lists, month and
 * weekday names. croner also takes L, W, #, ? and @nicknames; refusing them here keeps a schedule that
 * works locally from failing on the real service.
 */
function checkUnixCron(fields: string[]): void {
  fields.forEach((field, index) => {
    const position = fields.length === 6 ? index : index + 1; // 0 seconds, 1 minute … 5 weekday
    const names = (position === 4 ? MONTHS : position === 5 ? DAYS : []).map((name) => name.slice(0, 3));
    const value = names.length > 0 ? `(?:\\d+|${names.join("|")})` : "\\d+";
    const item = new RegExp(`^(?:\\*|${value}(?:-${value})?)(?:/\\d+)?$`, "i");
    if (!field.split(",").every((part) => item.test(part))) throw new ScheduleError(`schedule field "${field}" is not unix-cron`);
  });
}

const minutesOf = (time: string): number => {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new ScheduleError(`"${time}" is not a time of day (HH:MM, 24-hour)`);
  return Number(match[1]) * 60 + Number(match[2]);
};

/** Names ("mon,wednesday", "march") as cron numbers; `every` ("day", "month") stands for all. */
function listOf(text: string, names: string[], offset: number, every: string): string {
  if (text === every) return "*";
  return text.split(",").map((name) => {
    const index = names.findIndex((full) => name === full || name === full.slice(0, 3));
    if (index === -1) throw new ScheduleError(`"${name}" is not a ${every === "day" ? "weekday" : "month"}`);
    return String(index + offset);
  }).join(",");
}

function englishLike(schedule: string, timeZone: string): Schedule {
  const text = schedule.trim().toLowerCase().replace(/\s+/g, " ");
  const interval = /^every (\d+) (minutes|mins|hours)(?: (synchronized)| from (\S+) to (\S+))?$/.exec(text);
  if (interval) {
    const [, count = "", unit = "", synchronized, from, to] = interval;
    const stepMinutes = Number(count) * (unit === "hours" ? 60 : 1);
    if (!(stepMinutes > 0)) throw new ScheduleError(`the interval of "${schedule}" must be at least one minute`);
    if (!synchronized && from === undefined) {
      return { afterEndMs: stepMinutes * 60_000, next: (after) => new Date(after.getTime() + stepMinutes * 60_000) };
    }
    const [start, end] = from === undefined ? [0, 23 * 60 + 59] : [minutesOf(from), minutesOf(to ?? "")];
    // The day's slots, one cron per hour that has any (at most 24): croner does the zone and DST.
    const byHour = new Map<number, number[]>();
    for (let minute = start; minute <= (end >= start ? end : end + 24 * 60); minute += stepMinutes) {
      const ofDay = minute % (24 * 60);
      byHour.set(Math.floor(ofDay / 60), [...(byHour.get(Math.floor(ofDay / 60)) ?? []), ofDay % 60]);
    }
    return crons([...byHour].map(([hour, minutes]) => `${minutes.join(",")} ${hour} * * *`), timeZone);
  }
  const custom = /^(every|(?:(?:\d(?:st|nd|rd|th)|first|second|third|fourth|fifth),?)+) (\S+)(?: of (\S+))? (\S+)$/.exec(text);
  if (!custom) {
    throw new ScheduleError(`schedule "${schedule}" is neither unix-cron (5 fields) nor an English-like schedule ("every 5 minutes", "every monday 09:00")`);
  }
  const [, which = "", days = "", months = "month", time = ""] = custom;
  const minutes = minutesOf(time);
  const weekdays = listOf(days, DAYS, 0, "day");
  const monthList = listOf(months, MONTHS, 1, "month");
  let dayField = weekdays;
  if (which !== "every") {
    if (weekdays === "*") throw new ScheduleError(`"${schedule}": an ordinal needs weekdays ("1st monday of month 09:00")`);
    const nths = which.split(",").map((ordinal) => (/^\d/.test(ordinal) ? Number(ordinal[0]) : ORDINALS.indexOf(ordinal) + 1));
    if (nths.some((nth) => nth < 1 || nth > 5)) throw new ScheduleError(`"${which}" is not a list of ordinals from 1st to 5th`);
    dayField = weekdays.split(",").flatMap((day) => nths.map((nth) => `${day}#${nth}`)).join(",");
  }
  return crons([`${minutes % 60} ${Math.floor(minutes / 60)} * ${monthList} ${dayField}`], timeZone);
}

/**
 * Parses a job's schedule. `allowSeconds` accepts a unix-cron with a leading seconds field, which
 * the real service refuses; the emulator offers it so tests need not wait for minutes.
 */
export function parseSchedule(schedule: string, timeZone: string, { allowSeconds = false }: { allowSeconds?: boolean } = {}): Schedule {
  if (!isTimeZone(timeZone)) throw new ScheduleError(`unknown time zone "${timeZone}"`);
  const fields = schedule.trim().split(/\s+/);
  if (!/^(every|first|second|third|fourth|fifth|\d(st|nd|rd|th))\b/i.test(schedule.trim())) {
    if (fields.length !== 5 && !(allowSeconds && fields.length === 6)) {
      throw new ScheduleError(`schedule "${schedule}" must have 5 fields (minute hour day-of-month month day-of-week)${allowSeconds ? " or 6 with seconds first" : ""}, or be English-like ("every 5 minutes")`);
    }
    checkUnixCron(fields);
    try {
      return crons([fields.join(" ")], timeZone);
    } catch (error) {
      throw new ScheduleError(`schedule "${schedule}" is invalid: ${(error as Error).message}`);
    }
  }
  try {
    return englishLike(schedule, timeZone);
  } catch (error) {
    if (error instanceof ScheduleError) throw error;
    throw new ScheduleError(`schedule "${schedule}" is invalid: ${(error as Error).message}`);
  }
}

/**
 * The X-CloudScheduler-ScheduleTime header: RFC3339 wall time in the job's zone with its UTC offset,
 * as the real service sends it ("2023-11-03T08:27:00-07:00", "2026-03-24T22:00:00Z" for UTC).
 * Fractions of a second only when there are some (forced runs are not on a whole second).
 */
export function formatScheduleTime(instant: Date, timeZone: string): string {
  const label = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" }).formatToParts(instant)
    .find((part) => part.type === "timeZoneName")?.value ?? "";
  const [, sign = "+", hours = "0", minutes = "0"] = /GMT([+-])(\d{2}):(\d{2})/.exec(label) ?? []; // "GMT" alone: offset zero
  const offset = (sign === "-" ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  const local = new Date(instant.getTime() + offset * 60_000).toISOString(); // wall time, labelled Z
  const wall = local.slice(0, 19) + (instant.getUTCMilliseconds() ? local.slice(19, 23) : "");
  return offset === 0 ? `${wall}Z` : `${wall}${sign}${hours}:${minutes}`;
}
