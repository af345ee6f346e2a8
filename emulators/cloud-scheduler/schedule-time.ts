// The X-CloudScheduler-ScheduleTime header: RFC3339 wall time in the job's own zone with
// its UTC offset, as the real service sends it ("2023-11-03T08:27:00-07:00" for a
// Los Angeles job, "2026-03-24T22:00:00Z" for a UTC one). Fractions of a second only
// when there are some (forced runs are not on a whole second).

function offsetMinutes(instant: Date, timeZone: string): number {
  const label = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(instant)
    .find((part) => part.type === "timeZoneName")?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(label ?? "");
  if (!match) return 0; // "GMT" alone: offset zero
  const [, sign, hours, minutes] = match;
  return (sign === "-" ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
}

export function formatScheduleTime(instant: Date, timeZone: string): string {
  const offset = offsetMinutes(instant, timeZone);
  const local = new Date(instant.getTime() + offset * 60_000).toISOString(); // wall time, labelled Z
  const wall = local.slice(0, 19) + (instant.getUTCMilliseconds() ? local.slice(19, 23) : "");
  if (offset === 0) return `${wall}Z`;
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${wall}${offset < 0 ? "-" : "+"}${hh}:${mm}`;
}
