// 5. Cold starts: from spawning a function process to its first answer, for the
// api (/healthz, and a first submit) and the worker (a first delivery) running
// from the deployed bundle (scripts/package/bundle.ts), the same from the
// sources, and a bare functions-framework function, each started fresh several
// times. Wall time, and the CPU time the process had used by its first answer
// (the figure that holds on a loaded machine).
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { ChildProcess } from "node:child_process";
import { encodeEnvelope } from "../functions/core/envelope.ts";
import { startFunction, type FunctionProcess } from "../emulators/functions-process.ts";
import { freePort } from "../emulators/ports.ts";
import { TASKS_SERVICE_ACCOUNT, type Stack } from "../emulators/stack.ts";
import type { OidcSigner } from "../emulators/oidc.ts";
import { writeBundle } from "../scripts/package/bundle.ts";
import type { BenchApi } from "./api.ts";
import type { QueueControl } from "./queue-control.ts";
import { bareFunctionJsSource, bareFunctionSource } from "./submit.ts";
import { processCpuMs } from "./cpu.ts";
import { ms, type SectionResult } from "./report.ts";
import { median } from "./stats.ts";

interface Probe {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One request on a fresh connection: the status, or 0 when nothing listens yet. */
function probe(port: number, request: Probe): Promise<number> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { ...request.headers };
    if (request.body !== undefined) Object.assign(headers, { "content-type": "application/json", "content-length": Buffer.byteLength(request.body) });
    const req = http.request({ host: "127.0.0.1", port, method: request.method, path: request.path, headers, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", () => resolve(0));
    req.end(request.body);
  });
}

interface Sample { wall: number; cpu: number }
type Start = (port: number, onSpawn: (child: ChildProcess) => void) => Promise<FunctionProcess>;

/** Spawns the function and probes it every 2 ms: wall ms from spawn to the first answer `accept` takes, and the CPU the process had used by then. */
async function timeToFirstAnswer(start: Start, request: () => Probe, accept: (status: number) => boolean): Promise<Sample> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const spawned = performance.now();
  const started = start(port, (c) => (child = c));
  started.catch(() => undefined);
  try {
    const deadline = spawned + 20_000;
    for (;;) {
      const status = await probe(port, request());
      if (accept(status)) return { wall: performance.now() - spawned, cpu: (child?.pid === undefined ? null : processCpuMs(child.pid)) ?? Number.NaN };
      if (status !== 0) throw new Error(`cold start probe answered ${status}`);
      if (performance.now() > deadline) throw new Error("no answer within 20 s");
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    await (await started).stop();
  }
}

export async function benchColdStarts(stack: Stack, api: BenchApi, queues: QueueControl, signer: OidcSigner, repeats: number, budgetMs: number): Promise<SectionResult> {
  const bundle = await mkdtemp(path.join(tmpdir(), "tq-bench-bundle-"));
  try {
    await writeBundle(bundle);
    return await measure(stack, api, queues, signer, repeats, budgetMs, bundle);
  } finally {
    await rm(bundle, { recursive: true, force: true });
  }
}

async function measure(stack: Stack, api: BenchApi, queues: QueueControl, signer: OidcSigner, repeats: number, budgetMs: number, bundle: string): Promise<SectionResult> {
  const began = performance.now();
  const env = { ...stack.env, LOG_LEVEL: "warn" };
  const bare = (source: string): Start => (port, onSpawn) => startFunction({ target: "bare", source, port, env, onSpawn });
  const fn = (target: "api" | "worker", from: "bundle" | "sources"): Start => (port, onSpawn) =>
    startFunction({ target, port, env, onSpawn, ...(from === "bundle" ? { bundle } : {}) });
  const ok = (status: number) => status >= 200 && status < 300;
  const submitProbe = (): Probe => ({ method: "POST", path: "/v1/tasks", headers: { "x-api-key": stack.apiKey }, body: JSON.stringify({ type: "testing.noop", payload: {} }) });
  /** A PENDING record whose Cloud Task is purged before dispatch: the fresh worker claims it, delivered as Cloud Tasks would. */
  const deliveryProbe = async (): Promise<() => Probe> => {
    await queues.pause("default");
    const id = await api.submit("testing.noop", {}).finally(() => queues.purge("default").finally(() => queues.resume("default")));
    return () => ({
      method: "POST", path: "/",
      headers: {
        authorization: `Bearer ${signer.sign({ audience: stack.workerUrl, email: TASKS_SERVICE_ACCOUNT })}`,
        "x-cloudtasks-taskname": id, "x-cloudtasks-queuename": "default", "x-cloudtasks-taskretrycount": "0",
      },
      body: encodeEnvelope(id),
    });
  };

  const kinds = ["bare", "bareJs", "healthz", "submit", "worker", "submitSources", "workerSources"] as const;
  const samples = Object.fromEntries(kinds.map((kind) => [kind, [] as Sample[]])) as Record<(typeof kinds)[number], Sample[]>;
  const root = (): Probe => ({ method: "GET", path: "/" });
  for (let i = 0; i < repeats && (i === 0 || performance.now() - began < budgetMs); i++) {
    samples.bare.push(await timeToFirstAnswer(bare(bareFunctionSource), root, ok));
    samples.bareJs.push(await timeToFirstAnswer(bare(bareFunctionJsSource), root, ok));
    samples.healthz.push(await timeToFirstAnswer(fn("api", "bundle"), () => ({ method: "GET", path: "/healthz" }), ok));
    samples.submit.push(await timeToFirstAnswer(fn("api", "bundle"), submitProbe, ok));
    samples.worker.push(await timeToFirstAnswer(fn("worker", "bundle"), await deliveryProbe(), (status) => status === 200));
    samples.submitSources.push(await timeToFirstAnswer(fn("api", "sources"), submitProbe, ok));
    samples.workerSources.push(await timeToFirstAnswer(fn("worker", "sources"), await deliveryProbe(), (status) => status === 200));
  }
  const wall = (kind: (typeof kinds)[number]) => median(samples[kind].map((s) => s.wall));
  const cpu = (kind: (typeof kinds)[number]) => median(samples[kind].map((s) => s.cpu));
  // The baseline is the bare function in JavaScript, as the bundle is: neither pays for type stripping.
  const bareMs = wall("bareJs");
  const bareCpu = cpu("bareJs");
  const section = "5 cold start";
  const list = (kind: (typeof kinds)[number]) => samples[kind].map((s) => s.wall.toFixed(0)).join(", ");
  const value = (kind: (typeof kinds)[number]) => `${ms(wall(kind))} (${list(kind)}); CPU ${ms(cpu(kind))}`;
  const within = (kind: (typeof kinds)[number], extra: number) => ({ target: `≤ bare + ${extra} ms`, met: wall(kind) <= bareMs + extra });
  const withinCpu = (kind: (typeof kinds)[number], extra: number) => ({ target: `≤ bare + ${extra} ms`, met: cpu(kind) <= bareCpu + extra });
  return {
    values: { cold_start_bare_ms: bareMs, cold_start_first_submit_ms: wall("submit"), cold_start_first_delivery_ms: wall("worker") },
    figures: [
      { section, figure: "bare function (.js): spawn → first answer", value: value("bareJs") },
      { section, figure: "bare function (.ts, type-stripped)", value: value("bare") },
      { section, figure: "api (bundle): spawn → first /healthz", value: value("healthz"), target: "≤ bare + 30 ms", met: wall("healthz") - bareMs <= 30 },
      { section, figure: "api (bundle): spawn → first submit answered", value: value("submit"), ...within("submit", 250) },
      { section, figure: "api (bundle): CPU to first submit answered", value: ms(cpu("submit")), ...withinCpu("submit", 250) },
      { section, figure: "worker (bundle): spawn → first delivery answered", value: value("worker"), ...within("worker", 300) },
      { section, figure: "worker (bundle): CPU to first delivery answered", value: ms(cpu("worker")), ...withinCpu("worker", 300) },
      { section, figure: "api (sources): spawn → first submit answered", value: value("submitSources") },
      { section, figure: "worker (sources): spawn → first delivery answered", value: value("workerSources") },
    ],
    notes: [
      `Cold starts: each function is spawned ${samples.bare.length} times (up to ${repeats}, while the run stays within ${budgetMs / 1000} s) under the functions-framework CLI (the same loopback preload, the stack's environment) and probed every 2 ms on a fresh connection; ` +
        "the figure is the median from spawn to the first 2xx answer (the individual runs in brackets), and the median CPU time (user + system, /proc) the process had used by then, " +
        "which a loaded machine inflates far less than wall time. The api and worker run from the bundle `npm run infra:package` deploys (scripts/package/bundle.ts, written to a temporary folder " +
        "with node_modules linked for its externals), as Cloud Functions would, and from the sources for comparison. The baseline is bench/bare-function.js (JavaScript, like the bundle; " +
        "bench/bare-function.ts shows what type stripping adds). A first submit loads @google-cloud/tasks and opens the gRPC channel; " +
        "a first delivery fetches the OIDC certificates, verifies the token, claims a SCHEDULED no-op, runs it and publishes its lifecycle event.",
    ],
  };
}
