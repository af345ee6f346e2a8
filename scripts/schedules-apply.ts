// npm run schedules:apply [-- --dry-run] [--local]: applies the schedules declared in
// functions/schedules.ts to Cloud Scheduler (or the emulator), printing the plan.
// Only jobs whose origin is "code" are created, updated or deleted; schedules
// created through the API are never touched. A second run changes nothing.
import { readFileSync } from "node:fs";
import { createPlatform } from "../functions/composition.ts";
import { declaredSchedules } from "../functions/schedules.ts";
import { applySchedulePlan, describePlan, planSchedules } from "../functions/core/schedule-plan.ts";

const dryRun = process.argv.includes("--dry-run");
// The Google client's credential lookup rejects a promise of its own besides the call's: both end here.
process.on("unhandledRejection", fail);
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
try {
  const scheduler = createPlatform().scheduler();
  const plan = planSchedules(declaredSchedules(), await scheduler.list());
  for (const line of describePlan(plan)) process.stdout.write(`${line}\n`);
  const changes = plan.create.length + plan.update.length + plan.delete.length;
  if (dryRun) {
    process.stdout.write(`dry run: ${changes} change(s) planned, none made\n`);
  } else {
    await applySchedulePlan(scheduler, plan);
    process.stdout.write(`${changes} change(s) applied\n`);
  }
} catch (error) {
  fail(error);
}
process.exit(0);

/** One line an operator can act on, never a client library's stack. */
function fail(error: unknown): never {
  process.stderr.write(`schedules:apply: ${explain(error)}\n`);
  process.exit(1);
}

function explain(error: unknown): string {
  const messages: string[] = [];
  for (let e: unknown = error; e instanceof Error && messages.length < 5; e = e.cause) messages.push(e.message.split("\n")[0]!);
  const text = messages.join(": ") || String(error);
  if (/default credentials|UNAUTHENTICATED|PERMISSION_DENIED|invalid_grant|Could not refresh access token/i.test(text)) {
    return `no usable Google credentials (${text}). For the local stack of npm run dev: npm run schedules:apply -- --local [--dry-run]. `
      + "For Cloud Scheduler: gcloud auth application-default login (or GOOGLE_APPLICATION_CREDENTIALS), and GCP_PROJECT, GCP_LOCATION.";
  }
  return text;
}
