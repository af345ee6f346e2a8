// 5. Cold starts: from spawning a function process to its first answer, for the
// api (/healthz, and a first submit), the worker (a first delivery) and a bare
// functions-framework function, each started fresh several times.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { encodeEnvelope } from "../functions/core/envelope.ts";
import { startFunction, type FunctionProcess } from "../emulators/functions-process.ts";
import { freePort } from "../emulators/ports.ts";
import { TASKS_SERVICE_ACCOUNT, type Stack } from "../emulators/stack.ts";
import type { OidcSigner } from "../emulators/oidc.ts";
import type { BenchApi } from "./api.ts";
import type { QueueControl } from "./queue-control.ts";
import { bareFunctionJsSource, bareFunctionSource } from "./submit.ts";
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

/** Spawns the function and probes it every 2 ms: milliseconds from spawn to the first answer `accept` takes. */
async function timeToFirstAnswer(start: (port: number) => Promise<FunctionProcess>, request: () => Probe, accept: (status: number) => boolean): Promise<number> {
  const port = await freePort();
  const spawned = performance.now();
  const started = start(port);
  started.catch(() => undefined);
  try {
    const deadline = spawned + 20_000;
    for (;;) {
      const status = await probe(port, request());
      if (accept(status)) return performance.now() - spawned;
      if (status !== 0) throw new Error(`cold start probe answered ${status}`);
      if (performance.now() > deadline) throw new Error("no answer within 20 s");
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    await (await started).stop();
  }
}

export async function benchColdStarts(stack: Stack, api: BenchApi, queues: QueueControl, signer: OidcSigner, repeats: number, budgetMs: number): Promise<SectionResult> {
  const began = performance.now();
  const env = { ...stack.env, LOG_LEVEL: "warn" };
  const bare = (port: number) => startFunction({ target: "bare", source: bareFunctionSource, port, env });
  const bareJs = (port: number) => startFunction({ target: "bare", source: bareFunctionJsSource, port, env });
  const fn = (target: "api" | "worker") => (port: number) => startFunction({ target, port, env });
  const ok = (status: number) => status >= 200 && status < 300;
  const submitProbe = (): Probe => ({ method: "POST", path: "/v1/tasks", headers: { "x-api-key": stack.apiKey }, body: JSON.stringify({ type: "testing.noop", payload: {} }) });

  const samples = { bare: [] as number[], bareJs: [] as number[], healthz: [] as number[], submit: [] as number[], worker: [] as number[] };
  for (let i = 0; i < repeats && (i === 0 || performance.now() - began < budgetMs); i++) {
    samples.bare.push(await timeToFirstAnswer(bare, () => ({ method: "GET", path: "/" }), ok));
    samples.bareJs.push(await timeToFirstAnswer(bareJs, () => ({ method: "GET", path: "/" }), ok));
    samples.healthz.push(await timeToFirstAnswer(fn("api"), () => ({ method: "GET", path: "/healthz" }), ok));
    samples.submit.push(await timeToFirstAnswer(fn("api"), submitProbe, ok));
    // A PENDING record whose Cloud Task is purged before dispatch: the fresh worker claims it, delivered as Cloud Tasks would.
    await queues.pause("default");
    const id = await api.submit("testing.noop", {}).finally(() => queues.purge("default").finally(() => queues.resume("default")));
    const delivery = (): Probe => ({
      method: "POST", path: "/",
      headers: {
        authorization: `Bearer ${signer.sign({ audience: stack.workerUrl, email: TASKS_SERVICE_ACCOUNT })}`,
        "x-cloudtasks-taskname": id, "x-cloudtasks-queuename": "default", "x-cloudtasks-taskretrycount": "0",
      },
      body: encodeEnvelope(id),
    });
    samples.worker.push(await timeToFirstAnswer(fn("worker"), delivery, (status) => status === 200));
  }
  const bareMedian = median(samples.bare);
  const extra = median(samples.healthz) - bareMedian;
  const section = "5 cold start";
  const list = (values: number[]) => values.map((v) => v.toFixed(0)).join(", ");
  return {
    values: { cold_start_bare_ms: bareMedian, cold_start_first_submit_ms: median(samples.submit), cold_start_first_delivery_ms: median(samples.worker) },
    figures: [
      { section, figure: "bare function (.ts): spawn → first answer", value: `${ms(bareMedian)} (${list(samples.bare)})` },
      { section, figure: "bare function (.js, no type stripping)", value: `${ms(median(samples.bareJs))} (${list(samples.bareJs)})` },
      { section, figure: "api: spawn → first /healthz", value: `${ms(median(samples.healthz))} (${list(samples.healthz)})` },
      { section, figure: "api /healthz extra over bare", value: ms(extra), target: "≤ 30 ms", met: extra <= 30 },
      { section, figure: "api: spawn → first submit answered", value: `${ms(median(samples.submit))} (${list(samples.submit)})`, target: "≤ 400 ms", met: median(samples.submit) <= 400 },
      { section, figure: "worker: spawn → first delivery answered", value: `${ms(median(samples.worker))} (${list(samples.worker)})` },
    ],
    notes: [
      `Cold starts: each function is spawned ${samples.bare.length} times (up to ${repeats}, while the run stays within ${budgetMs / 1000} s) under the functions-framework CLI (the same loopback preload, the stack's environment) and probed every 2 ms on a fresh connection; ` +
        "the figure is the median from spawn to the first 2xx answer (the individual runs in brackets). The baseline is bench/bare-function.ts, loaded like functions/index.ts " +
        "through Node's type stripping, which compiled JavaScript would not pay (bench/bare-function.js shows how much). A first submit loads @google-cloud/tasks and opens the gRPC channel; " +
        "a first delivery fetches the OIDC certificates, verifies the token, claims a SCHEDULED no-op and runs it.",
    ],
  };
}
