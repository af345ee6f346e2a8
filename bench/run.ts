// `npm run bench`: starts the local stack on loopback, runs each measurement in
// turn, prints a summary table and writes it to bench/RESULTS.md, and the
// headline figures as named numbers to bench/results.json. Figures only:
// nothing here asserts a time. Everything it starts, it stops.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { startStack, type Stack } from "../emulators/stack.ts";
import { createOidcSigner } from "../emulators/oidc.ts";
import { benchApi } from "./api.ts";
import { benchColdStarts } from "./cold-start.ts";
import { benchDashboardRefresh } from "./dashboard.ts";
import { costPerMillion, fixedPlanTasksPerDay, listPrices } from "./cost.ts";
import { benchEndToEnd } from "./end-to-end.ts";
import { benchIndexExpiry } from "./index-expiry.ts";
import { resultsFile } from "./results-file.ts";
import { benchGroup } from "./group.ts";
import { benchSync } from "./sync.ts";
import { queueControl } from "./queue-control.ts";
import { pauseScheduledJobs } from "./quiet-schedules.ts";
import { commandMix, costFigures, lifecycleCost } from "./redis-cost.ts";
import { machine, markdown, say, textTable, type SectionResult } from "./report.ts";
import { benchSubmit } from "./submit.ts";

/** BENCH_ENV: JSON of extra environment for the functions, e.g. '{"LIFECYCLE_EVENTS":"off"}', to compare configurations. */
const extraEnv = JSON.parse(process.env.BENCH_ENV ?? "{}") as Record<string, string>;
/** BENCH_SCALE (default 1) shrinks every count, for a quick look while working on the bench itself. */
const scale = Number(process.env.BENCH_SCALE ?? 1);
const scaled = (n: number) => Math.max(5, Math.round(n * scale));
/** The sizes of every measurement: bounded so the whole run stays within a few minutes on 2 cores. */
const sizes = {
  concurrency: 50,
  submits: scaled(6000),
  submitWarmup: scaled(1000),
  sequentialTasks: scaled(200),
  /** Tasks per throughput run: about throughputSeconds of submits at the measured rate, within these bounds. */
  throughputTasks: { min: scaled(300), max: scaled(5000) },
  throughputSeconds: 8,
  drainWithinMs: 45_000,
  notifications: scaled(50),
  raisedRate: 5000,
  costTasks: scaled(200),
  /** Tasks whose index entries must leave with their expired records (the issue's figure is for 10,000). */
  expiryTasks: scaled(10_000),
  coldStartRepeats: Math.max(1, Math.round(5 * Math.min(1, scale))),
  /** No new round of cold starts begins after this long (a loaded machine makes each one slow). */
  coldStartBudgetMs: 90_000,
};
/** BENCH_ONLY: a comma-separated list of the sections to run (default all), e.g. BENCH_ONLY=cold; such a run prints its figures and writes no file. */
const sectionNames = ["redis", "expiry", "dashboard", "submit", "e2e", "cold", "group", "sync"] as const;
const only = (process.env.BENCH_ONLY ?? "").split(",").map((name) => name.trim()).filter(Boolean);
const unknownSections = only.filter((name) => !(sectionNames as readonly string[]).includes(name));
if (unknownSections.length) {
  process.stderr.write(`BENCH_ONLY names no section: ${unknownSections.join(", ")} (sections: ${sectionNames.join(", ")})\n`);
  process.exit(2);
}
const runs = (section: (typeof sectionNames)[number]) => only.length === 0 || only.includes(section);
/** The whole run is abandoned (and everything stopped) past this. */
const deadlineMs = 8 * 60_000;

const limitedKey = `bench_limited_${randomBytes(12).toString("base64url")}`;
const here = path.dirname(fileURLToPath(import.meta.url));
const reportFile = path.join(here, "RESULTS.md");
const resultsJsonFile = path.join(here, "results.json");
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

async function measureAll(stack: Stack, signer: ReturnType<typeof createOidcSigner>): Promise<SectionResult[]> {
  const api = benchApi(stack.apiUrl, stack.apiKey);
  const limitedApi = benchApi(stack.apiUrl, limitedKey);
  const queues = queueControl(stack);
  const results: SectionResult[] = [];
  try {
    say(`paused ${await pauseScheduledJobs(stack)} scheduled jobs for the duration of the run`);
    if (runs("redis")) {
      say("3. Redis cost per task lifecycle");
      // One lifecycle per key first: it builds the functions' clients and loads the Lua scripts
      // (a script's first use costs an EVAL after the NOSCRIPT, once per Redis server, not per task).
      for (const client of [api, limitedApi]) {
        const id = await client.submit("testing.noop", {});
        await queues.waitGone("default", id);
        await client.status(id);
      }
      const dev = await lifecycleCost(stack, api, queues, "dev key", sizes.costTasks);
      const limited = await lifecycleCost(stack, limitedApi, queues, "rate-limited key", sizes.costTasks);
      results.push({
        values: {
          upstash_requests_per_lifecycle: dev.lifecycle.requests, upstash_requests_per_lifecycle_rate_limited: limited.lifecycle.requests,
          redis_commands_per_lifecycle: dev.lifecycle.executed, redis_commands_per_lifecycle_rate_limited: limited.lifecycle.executed,
        },
        figures: costFigures([dev, limited]),
        notes: [
          `Redis: ${sizes.costTasks} no-ops one after the other (submit, wait until Cloud Tasks has the delivery acknowledged, one GET /v1/tasks/{id}), then ${sizes.costTasks} more ` +
            "split into phases (submitted to the paused queue; run after resuming it; polled once each). Counted at the Upstash bridge: HTTP requests, commands in them (\"sent\": " +
            "an EVALSHA is one) and commands Redis executed (INFO commandstats: each EVALSHA plus every redis.call inside it). The rate-limited key has a limit of 1,000,000/60s, " +
            `never reached, so only its bookkeeping shows. Status polls that found the task not yet SUCCESS: ${dev.extraPolls + limited.extraPolls}. ` +
            "The worker's heartbeat rides on a claim every 10 s (one more HSET inside the claim script), which shows as a few hundredths of a command per task.",
          `Redis commands executed per lifecycle, dev key: ${commandMix(dev.lifecycle)}; rate-limited key: ${commandMix(limited.lifecycle)}.`,
        ],
      });
      results.push(costPerMillion(dev.lifecycle));
    }

    if (runs("expiry")) {
      say(`3b. index entries of ${sizes.expiryTasks} expired tasks`);
      results.push(await benchIndexExpiry(stack, { tasks: sizes.expiryTasks, concurrency: sizes.concurrency }));
    }

    if (runs("dashboard")) {
      say("3c. console refresh");
      results.push(await benchDashboardRefresh(stack, api));
    }

    let apiPerSecond: number | null = null;
    if (runs("submit")) {
      say("1. submit through the api vs a bare function");
      const submit = await benchSubmit(stack, queues, { total: sizes.submits, warmup: sizes.submitWarmup, concurrency: sizes.concurrency });
      results.push(submit);
      apiPerSecond = submit.apiPerSecond;
    }

    if (runs("e2e")) {
      // Each throughput run is sized to take about throughputSeconds at the submit rate just measured (the shortest without it).
      const measured = apiPerSecond === null ? sizes.throughputTasks.min : Math.round(apiPerSecond * sizes.throughputSeconds);
      const throughputTasks = Math.min(sizes.throughputTasks.max, Math.max(sizes.throughputTasks.min, measured));
      say(`2. end to end (throughput runs of ${throughputTasks} tasks)`);
      results.push(await benchEndToEnd(stack, api, queues, {
        sequential: sizes.sequentialTasks, total: throughputTasks, concurrency: sizes.concurrency,
        notifications: sizes.notifications, raisedRate: sizes.raisedRate, drainWithinMs: sizes.drainWithinMs,
      }));
    }

    if (runs("cold")) {
      say("5. cold starts");
      results.push(await benchColdStarts(stack, api, queues, signer, sizes.coldStartRepeats, sizes.coldStartBudgetMs));
    }

    if (runs("group")) {
      say("6. a 1,000-member group");
      results.push(await benchGroup({ stack, api, queues }));
    }
    if (runs("sync")) {
      say("6. vector sync");
      results.push(await benchSync({ stack, api, queues }));
    }
  } finally {
    api.close();
    limitedApi.close();
    await queues.close();
  }
  return results;
}

async function main(): Promise<void> {
  const began = performance.now();
  const loadBefore = load();
  const loadBeforeRun = os.loadavg();
  say(`starting the stack (${machine()}; load average ${loadBefore})`);
  const signer = createOidcSigner();
  const stack = await startStack({
    logLevel: "warn",
    keyPrefix: `bench${Date.now().toString(36)}`,
    maxDispatchesPerSecondCap: sizes.raisedRate,
    signer,
    env: extraEnv,
    extraKeys: [{ name: "bench-limited", key: limitedKey, scopes: ["submit"], rate_limit: "1000000/60s" }],
    log: (source, line) => { if (/error|fatal/i.test(line)) process.stderr.write(`${source} ${line}\n`); },
  });
  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= stack.stop());
  const abandon = (reason: string) => {
    process.stderr.write(`bench: ${reason}; stopping everything\n`);
    void stop().finally(() => process.exit(1));
  };
  const timer = setTimeout(() => abandon(`over ${deadlineMs / 60_000} minutes`), deadlineMs);
  process.once("SIGINT", () => abandon("interrupted"));
  process.once("SIGTERM", () => abandon("terminated"));

  let results: SectionResult[];
  try {
    results = await measureAll(stack, signer);
  } finally {
    clearTimeout(timer);
    await stop();
  }
  const sectionNumber = (section: string) => Number.parseFloat(section);
  const figures = results.flatMap((r) => r.figures).sort((a, b) => sectionNumber(a.section) - sectionNumber(b.section));
  const seconds = (performance.now() - began) / 1000;
  const notes = [
    ...(Object.keys(extraEnv).length ? [`Run with BENCH_ENV=${JSON.stringify(extraEnv)} (extra environment for the functions).`] : []),
    `The machine is shared: load average ${loadBefore} before the run, ${load()} after (1, 5, 15 min). Other processes compete for the same cores, so compare figures taken in one run.`,
    ...results.flatMap((r) => r.notes),
  ];
  if (only.length) {
    // A partial run leaves the full run's report and figures as they are.
    process.stdout.write(`\n${textTable(figures)}\n\n${notes.join("\n\n")}\n\n${machine()}; ${seconds.toFixed(0)} s; BENCH_ONLY=${only.join(",")}: bench/RESULTS.md and bench/results.json left as they were\n`);
    return;
  }
  process.stdout.write(`\n${textTable(figures)}\n\n${machine()}; ${seconds.toFixed(0)} s; details in bench/RESULTS.md, figures in bench/results.json\n`);
  const date = new Date();
  const command = `${process.env.BENCH_ENV ? `BENCH_ENV='${process.env.BENCH_ENV}' ` : ""}${scale !== 1 ? `BENCH_SCALE=${scale} ` : ""}npm run bench`;
  writeFileSync(reportFile, markdown({ figures, notes, date, command: `${command}   (node --import ./emulators/loopback.ts bench/run.ts)`, seconds }));
  const assumptions = {
    upstash_pay_as_you_go_usd_per_100k_commands: listPrices.upstashPer100kCommands,
    upstash_fixed_plan: "Fixed 250MB, commands not billed (upstash.com/pricing/redis)",
    upstash_fixed_plan_usd_per_month: listPrices.upstashFixed250MbPerMonth,
    fixed_plan_priced_at_tasks_per_day: fixedPlanTasksPerDay,
    cloud_tasks_usd_per_million_operations: listPrices.cloudTasksPerMillionOperations,
    cloud_functions_usd_per_million_invocations: listPrices.functionsPerMillionInvocations,
    pay_as_you_go_counts: "commands sent (an EVALSHA is one); bench/RESULTS.md also prices each Lua redis.call",
  };
  const loadAverages = loadBeforeRun.map((l) => Math.round(l * 100) / 100);
  writeFileSync(resultsJsonFile, `${JSON.stringify(resultsFile({ results, command, scale, loadBefore: loadAverages, date, assumptions }), null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
