// When a "day" ends for daily quotas: local midnight in a configured IANA time
// zone (QUOTA_TIME_ZONE, default UTC). Pure time math, no clock of its own.

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * The default zone, UTC, needs no Intl: its days are whole multiples of 24 hours since the epoch. The
 * first Intl.DateTimeFormat of a process costs ~18 ms of CPU (ICU's zone data), which every cold start
 * paid at config validation and a user's first submit at its quota's reset.
 */
const UTC = "UTC";

/** True when `timeZone` is an IANA time zone this runtime knows ("UTC", "Asia/Tehran"…). */
export function isTimeZone(timeZone: string): boolean {
  if (timeZone === UTC) return true;
  try {
    Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The local calendar date at `instant` in `timeZone`, "YYYY-MM-DD". */
export function localDate(instant: number, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // en-CA formats dates as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, formatter);
  }
  return formatter.format(new Date(instant));
}

/**
 * The first instant (ms) after `now` whose local date in `timeZone` is not
 * today's: the next local midnight, or, where a daylight-saving jump skips
 * midnight (23:59 → 01:00), the instant of the jump.
 *
 * Zones change offset at whole minutes and local midnight falls on one, so a
 * binary search over whole minutes of the next 48 hours finds it exactly
 * (a dozen formatter calls; callers cache the answer for the day).
 */
export function nextDailyReset(now: number, timeZone: string): number {
  if (timeZone === UTC) return (Math.floor(now / DAY) + 1) * DAY;
  const today = localDate(now, timeZone);
  let low = Math.floor(now / MINUTE) * MINUTE; // still today
  let high = low + 48 * 60 * MINUTE; // surely another day
  while (high - low > MINUTE) {
    const mid = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
    if (localDate(mid, timeZone) === today) low = mid;
    else high = mid;
  }
  return high;
}
