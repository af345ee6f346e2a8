// npm run schedules:apply [-- --dry-run]: applies the schedules declared in
// functions/schedules.ts to Cloud Scheduler (or the emulator), printing the plan.
// Only jobs whose origin is "code" are created, updated or deleted; schedules
// created through the API are never touched. A second run changes nothing.
import { createPlatform } from "../functions/composition.ts";
import { schedules } from "../functions/schedules.ts";
import { applySchedulePlan, describePlan, planSchedules } from "../functions/core/schedule-plan.ts";

const dryRun = process.argv.includes("--dry-run");
const scheduler = createPlatform().scheduler();
const plan = planSchedules(schedules, await scheduler.list());
for (const line of describePlan(plan)) process.stdout.write(`${line}\n`);
const changes = plan.create.length + plan.update.length + plan.delete.length;
if (dryRun) {
  process.stdout.write(`dry run: ${changes} change(s) planned, none made\n`);
} else {
  await applySchedulePlan(scheduler, plan);
  process.stdout.write(`${changes} change(s) applied\n`);
}
process.exit(0);
