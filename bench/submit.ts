// 1. Submit through the api against a bare functions-framework function: the
// same CLI, the same request body, the same closed-loop clients.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startFunction } from "../emulators/functions-process.ts";
import { freePort } from "../emulators/ports.ts";
import type { Stack } from "../emulators/stack.ts";
import { cpuMeter, cpuFigure, cpuPerUnit, cpuWithin, perUnit, stackProcesses, type CpuReading } from "./cpu.ts";
import { runLoad, type LoadRequest, type LoadResult } from "./load.ts";
import type { QueueControl } from "./queue-control.ts";
import { ms, perSecond, times, type SectionResult } from "./report.ts";
import { summarize } from "./stats.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
export const bareFunctionSource = path.join(here, "bare-function.ts");
/** The same function in plain JS, for the cold start without type stripping. */
export const bareFunctionJsSource = path.join(here, "bare-function.js");

export interface SubmitOptions {
  total: number;
  warmup: number;
  concurrency: number;
}

const noopSubmit = (apiKey: string) => (i: number): LoadRequest => ({
  method: "POST",
  path: "/v1/tasks",
  headers: { "x-api-key": apiKey },
  body: JSON.stringify({ type: "testing.noop", payload: { n: i } }),
});

export async function benchSubmit(stack: Stack, queues: QueueControl, options: SubmitOptions): Promise<SectionResult & { apiPerSecond: number }> {
  const bare = await startFunction({ target: "bare", source: bareFunctionSource, port: await freePort(), env: { LOG_LEVEL: "warn" } });
  let bareRun: LoadResult;
  let bareCpu: CpuReading;
  try {
    const load = { baseUrl: bare.url, concurrency: options.concurrency, request: noopSubmit(stack.apiKey) };
    await runLoad({ ...load, total: options.warmup });
    const meter = cpuMeter({ bare: bare.process.pid, "bench (client)": process.pid });
    bareRun = await runLoad({ ...load, total: options.total });
    bareCpu = meter.read();
  } finally {
    await bare.stop();
  }

  // The queue is paused so that no delivery competes with the api for the CPU;
  // the Cloud Tasks emulator still takes every createTask.
  await queues.pause("default", "default-high");
  let apiRun: LoadResult;
  let apiCpu: CpuReading;
  try {
    const load = { baseUrl: stack.apiUrl, concurrency: options.concurrency, request: noopSubmit(stack.apiKey) };
    await runLoad({ ...load, total: options.warmup });
    const meter = cpuMeter(stackProcesses(stack));
    apiRun = await runLoad({ ...load, total: options.total });
    apiCpu = meter.read();
  } finally {
    await queues.purge("default", "default-high");
    await queues.resume("default", "default-high");
  }

  const b = summarize(bareRun.latenciesMs);
  const a = summarize(apiRun.latenciesMs);
  const throughputRatio = apiRun.perSecond / bareRun.perSecond;
  const p99Ratio = a.p99 / b.p99;
  const section = "1 submit";
  const apiCpuPerSubmit = cpuPerUnit(apiCpu, apiRun.total, "api");
  const failures = (run: LoadResult) => (run.failures ? `, ${run.failures} failed: ${JSON.stringify(run.statuses)}` : "");
  return {
    apiPerSecond: apiRun.perSecond,
    values: { api_cpu_ms_per_submit: apiCpuPerSubmit },
    figures: [
      { section, figure: `bare function, ${options.concurrency} clients`, value: `${perSecond(bareRun.perSecond)}, p50 ${ms(b.p50)}, p99 ${ms(b.p99)}${failures(bareRun)}` },
      { section, figure: `api POST /v1/tasks, ${options.concurrency} clients`, value: `${perSecond(apiRun.perSecond)}, p50 ${ms(a.p50)}, p99 ${ms(a.p99)}${failures(apiRun)}` },
      { section, figure: "CPU per request, bare run", value: perUnit(bareCpu, bareRun.total) },
      { section, figure: "CPU per request, api run", value: perUnit(apiCpu, apiRun.total) },
      { section, figure: "  api CPU per submit", value: cpuFigure(apiCpuPerSubmit), target: "≤ 1.0 ms", met: cpuWithin(apiCpuPerSubmit, 1) },
      { section, figure: "api throughput / bare", value: times(throughputRatio), target: "≥ 0.50×", met: throughputRatio >= 0.5 && apiRun.failures === 0 },
      { section, figure: "api p99 / bare p99", value: times(p99Ratio), target: "≤ 2.00×", met: p99Ratio <= 2 && apiRun.failures === 0 },
    ],
    notes: [
      `Submit: ${options.total} requests per side after ${options.warmup} of warm-up, ${options.concurrency} closed-loop clients on keep-alive connections. ` +
        "The bare function answers the same JSON body with a constant JSON answer. The api validates, authenticates, writes Redis (through the Upstash bridge) and creates a Cloud Task; " +
        "the default queue is paused during the run so no delivery competes for the CPU, and purged afterwards. The Upstash bridge and the Cloud Tasks emulator run inside the bench process, " +
        "sharing its CPU with the load client; redis-server is a separate process. On 2 cores the api run therefore has 3 busy processes against the bare run's 2. " +
        "The rest of the local stack (worker, events function, Pub/Sub emulator, Postgres, the scheduler emulator whose declared cron jobs call the api) stays up and mostly idle. " +
        "CPU per request is read from /proc for each process: less sensitive to a loaded machine than the rates.",
    ],
  };
}
