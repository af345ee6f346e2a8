// npm run schedules:apply [-- --dry-run] [--local]: applies the schedules declared in
// functions/schedules.ts to Cloud Scheduler (or the emulator), printing the plan.
// Only jobs whose origin is "code" are created, updated or deleted; schedules
// created through the API are never touched. A second run changes nothing.
import { readFileSync } from "node:fs";
import { createPlatform } from "../functions/composition.ts";
import { schedules } from "../functions/schedules.ts";
import { applySchedulePlan, describePlan, planSchedules } from "../functions/core/schedule-plan.ts";

const dryRun = process.argv.includes("--dry-run");
if (process.argv.includes("--local")) {
  // The stack `npm run dev` runs: its environment, as it wrote it.
  let text: string;
  try {
    text = readFileSync(".dev/stack.env", "utf8");
  } catch {
    process.stderr.write("no .dev/stack.env: start the local stack with npm run dev first\n");
    process.exit(2);
  }
  for (const line of text.split("\n")) {
    const at = line.indexOf("=");
    if (at > 0) process.env[line.slice(0, at)] = JSON.parse(line.slice(at + 1)) as string;
  }
  process.stdout.write(`local stack: Cloud Scheduler emulator at ${process.env.CLOUD_SCHEDULER_EMULATOR_HOST}\n`);
}
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
