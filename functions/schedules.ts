// Periodic jobs declared in code, Celery beat's table: applied to Cloud Scheduler
// by Terraform or by `npm run schedules:apply`, and to the local emulator by `npm run dev`.
import { defineSchedule, type ScheduleDefinition } from "./core/define-schedule.ts";

let declared: ScheduleDefinition[] | null = null;
let byName: ReadonlyMap<string, ScheduleDefinition> | null = null;

/**
 * The table, defined (and each entry checked) on first use, not at import: checking a time zone builds the
 * process's first Intl.DateTimeFormat (~15 ms of CPU), which the api's wiring, importing this for its
 * schedule routes, would otherwise pay on a cold start's first request whatever it asks. The tools that
 * apply the table (Terraform's manifest, schedules:apply, the local stack) call this first thing, so a bad
 * entry still fails before anything is deployed.
 */
export function declaredSchedules(): ScheduleDefinition[] {
  return (declared ??= [
    defineSchedule({ name: "outbox_sweep", cron: "* * * * *", task: "platform.outbox_sweep", description: "Carry out the follow-ups a dead worker left (lifecycle events, callbacks, chain steps, chord callbacks), every minute" }),
    defineSchedule({ name: "reset_all_daily_limits", cron: "0 0 * * *", task: "user.reset_all_daily_limits", description: "Reset every user's daily limit at midnight" }),
    defineSchedule({ name: "cleanup_cache", cron: "0 */6 * * *", task: "cleanup.cache", description: "Remove stale cache keys every 6 hours" }),
    defineSchedule({ name: "cleanup_query_cache", cron: "0 2 * * *", task: "cleanup.query_cache", payload: { days: 30 }, description: "Remove query-cache entries older than 30 days, daily at 02:00" }),
    defineSchedule({ name: "usage_statistics", cron: "0 * * * *", task: "notify.usage_statistics", description: "Send usage statistics to the user system hourly" }),
    defineSchedule({ name: "tts_cleanup_audio", cron: "30 3 * * *", timeZone: "Asia/Ho_Chi_Minh", task: "tts.cleanup_audio", payload: { max_age_hours: 24 }, description: "Delete TTS audio older than a day (and its cache entries), daily at 03:30 Vietnam time" }),
    defineSchedule({ name: "sync_process_queue", cron: "*/5 * * * *", task: "sync.process_queue", description: "Sync the documents queued for sync, every 5 minutes" }),
    defineSchedule({ name: "sync_all_regions", cron: "0 4 * * *", timeZone: "Asia/Ho_Chi_Minh", task: "sync.all_regions", description: "Full vector sync of all regions into Qdrant, daily at 04:00 Vietnam time" }),
  ]);
}

/** The same table by schedule name (what the api's schedule and console routes look names up in). */
export function declaredSchedulesByName(): ReadonlyMap<string, ScheduleDefinition> {
  return (byName ??= new Map(declaredSchedules().map((d) => [d.name, d])));
}
