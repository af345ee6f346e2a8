/** A schedule of that name exists already (Cloud Scheduler's ALREADY_EXISTS). */
export class ScheduleConflict extends Error {
  override readonly name = "ScheduleConflict";
}
