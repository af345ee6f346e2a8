// 4. What a million tasks cost at list prices, from the counts measured in 3.
import type { RedisCost } from "./redis-cost.ts";
import type { SectionResult } from "./report.ts";

/** List prices (USD), as published when this was written; free tiers left out (they are per month, not per task). */
export const listPrices = {
  /** Cloud Tasks: per million billable operations (API calls and push deliveries), after 1 M free a month. */
  cloudTasksPerMillionOperations: 0.4,
  /** Upstash Redis pay-as-you-go: per 100,000 commands. */
  upstashPer100kCommands: 0.2,
  /**
   * Upstash Redis "Fixed 250MB": per month, commands not billed (250 MB of data, 50 GB of bandwidth a month),
   * from upstash.com/pricing/redis. Priced here at `fixedPlanTasksPerDay`.
   */
  upstashFixed250MbPerMonth: 10,
  /** Cloud Functions (gen2, Cloud Run request pricing): per million invocations, CPU and memory time not included. */
  functionsPerMillionInvocations: 0.4,
};

/** Per task: createTask + one push delivery (a no-op under 32 KB succeeds on its first attempt). */
const cloudTasksOperationsPerTask = 2;
/** Per task: the submit, the worker's delivery and one status poll. */
const invocationsPerTask = 3;
/** The volume at which the fixed plan is priced per task: a million tasks a day, 30 days a month. */
export const fixedPlanTasksPerDay = 1e6;

export function costPerMillion(lifecycle: RedisCost): SectionResult {
  const section = "4 cost / 1M tasks";
  const cloudTasks = cloudTasksOperationsPerTask * listPrices.cloudTasksPerMillionOperations;
  const functions = invocationsPerTask * listPrices.functionsPerMillionInvocations;
  // Upstash bills the commands a request carries; whether it bills the redis.call inside a script is
  // not something the bridge can know, so both counts are priced.
  const upstashSent = (lifecycle.commands * 1e6 / 1e5) * listPrices.upstashPer100kCommands;
  const upstashExecuted = (lifecycle.executed * 1e6 / 1e5) * listPrices.upstashPer100kCommands;
  const upstashFixed = listPrices.upstashFixed250MbPerMonth / (fixedPlanTasksPerDay * 30 / 1e6);
  const usd = (value: number) => `$${value.toFixed(2)}`;
  return {
    values: {
      cost_usd_per_million_tasks: cloudTasks + upstashSent + functions,
      cost_usd_per_million_tasks_fixed_plan: cloudTasks + upstashFixed + functions,
    },
    figures: [
      { section, figure: `Cloud Tasks (${cloudTasksOperationsPerTask} operations/task × $${listPrices.cloudTasksPerMillionOperations}/M)`, value: usd(cloudTasks) },
      { section, figure: `Upstash, ${lifecycle.commands.toFixed(2)} commands sent/task × $${listPrices.upstashPer100kCommands}/100K`, value: usd(upstashSent) },
      { section, figure: `Upstash if each Lua redis.call bills (${lifecycle.executed.toFixed(2)}/task)`, value: usd(upstashExecuted) },
      { section, figure: `Cloud Functions (${invocationsPerTask} invocations/task × $${listPrices.functionsPerMillionInvocations}/M)`, value: usd(functions) },
      { section, figure: `Upstash Fixed 250MB ($${listPrices.upstashFixed250MbPerMonth}/month) at ${(fixedPlanTasksPerDay / 1e6).toLocaleString("en-US")} M tasks/day`, value: usd(upstashFixed) },
      { section, figure: "total per million tasks, Upstash pay-as-you-go", value: `${usd(cloudTasks + upstashSent + functions)} (up to ${usd(cloudTasks + upstashExecuted + functions)})` },
      { section, figure: "total per million tasks, Upstash Fixed 250MB", value: usd(cloudTasks + upstashFixed + functions) },
    ],
    notes: [
      "Cost: list prices, free tiers ignored (1 M Cloud Tasks operations and 2 M invocations a month are free; Upstash's free plan has 500 K commands). " +
        "Cloud Tasks bills each API call and each push delivery attempt (per 32 KB chunk); a retry adds a createTask and a delivery. " +
        `Upstash pay-as-you-go bills per command; its ${lifecycle.requests.toFixed(2)} HTTP requests/task are not billed themselves (bandwidth is free up to 200 GB a month). ` +
        "Cloud Functions also bill CPU and memory time (not included: it depends on instance size and concurrency) and egress. " +
        `The fixed plan bills no command: its price per task is the month's price over the month's tasks (${(fixedPlanTasksPerDay * 30 / 1e6).toFixed(0)} M at ` +
        `${(fixedPlanTasksPerDay / 1e6).toFixed(0)} M a day); its 250 MB hold the records that live (about an hour's tasks at the default result TTL) because index ` +
        "entries leave with their records (section 3b), where before every index grew by one entry per task for good.",
    ],
  };
}
