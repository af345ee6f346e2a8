// `npm run faults`: drives a mix of tasks through the whole local stack while
// injecting faults at random (and a worker kill at chosen points, for the
// takeover figure), then counts what was lost, stuck or done twice. Progress
// goes to stderr; the run ends with exactly one line on stdout, and a non-zero
// exit code when anything was lost, stuck or left incomplete, or a takeover took longer than a lease and 5 s
// (duplicate effects are counted and shown: webhooks are at least once).
import { createWriteStream } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startStack, type Stack } from "../emulators/stack.ts";
import { createOidcSigner } from "../emulators/oidc.ts";
import { injectFaults } from "./faults.ts";
import { buildMix } from "./mix.ts";
import { readOptions } from "./options.ts";
import { platformClient } from "./platform-client.ts";
import { seededRandom } from "./random.ts";
import { passed, summaryLine } from "./report.ts";
import { settle } from "./settle.ts";
import { newSubmitFigures, submitAll } from "./submitter.ts";
import { probeTakeover, type TakeoverProbe } from "./takeover.ts";
import { WorkerControl } from "./worker-control.ts";

const say = (line: string) => process.stderr.write(`[faults ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(stack: Stack, signer: ReturnType<typeof createOidcSigner>, options: ReturnType<typeof readOptions>, runId: string): Promise<boolean> {
  const random = seededRandom(options.seed);
  const call = platformClient(stack.apiUrl, stack.apiKey);
  const worker = new WorkerControl(stack);
  const units = buildMix(options.tasks, runId, random, stack.receiver.url);
  const submitted = newSubmitFigures();
  const startedAt = Date.now();

  let submitting = true;
  const submission = submitAll(call, units, { concurrency: options.concurrency, giveUpMs: 60_000 }, submitted).finally(() => { submitting = false; });
  const faultsDone = injectFaults({ stack, signer, worker, random, submitted }, options.faults, () => !submitting && Date.now() - startedAt > options.minFaultSeconds * 1000, say);
  // The chosen points: a long task's worker killed early in the run and again halfway.
  const probes: Promise<TakeoverProbe>[] = [];
  const probeAt = async (share: number) => {
    while (submitting && submitted.accepted.length < units.length * share) await pause(500);
    const probe = await probeTakeover(call, worker, { holdSeconds: 20, waitSeconds: options.takeoverWaitSeconds });
    say(`takeover probe ${probe.taskId}: ${probe.seconds === null ? probe.note : `${probe.seconds.toFixed(1)} s`}`);
    return probe;
  };
  for (const share of [0.1, 0.5].slice(0, options.probes)) probes.push(probeAt(share));
  const progress = setInterval(() => say(`${submitted.accepted.length}/${units.length} units accepted, ${submitted.retries} retried submits`), 10_000);
  try {
    await submission;
    const faults = await faultsDone;
    say(`${submitted.partial} groups answered 207; faults injected: ${Object.entries(faults).map(([name, n]) => `${name} ${n}`).join(", ")}; createTask refused ${stack.cloudTasks.refusals()} times`);
  } finally {
    clearInterval(progress);
  }
  const takeovers = await Promise.all(probes);
  await worker.settle();
  if (submitted.refused.length > 0) say(`${submitted.refused.length} submissions never accepted (not counted): ${submitted.refused.slice(0, 3).map((r) => `${r.label} ${r.reason}`).join("; ")}`);
  say(`all submitted in ${((Date.now() - startedAt) / 1000).toFixed(0)} s; settling (up to ${options.settleSeconds} s)`);
  const settled = await settle(call, stack, submitted.accepted, options.settleSeconds, say);
  for (const example of settled.examples) say(example);
  const figures = {
    ...settled,
    tasks: submitted.accepted.reduce((sum, a) => sum + a.tasks, 0),
    probes: takeovers,
    takeoverWaitSeconds: options.takeoverWaitSeconds,
  };
  say(`run ${runId} (seed ${options.seed}) took ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  process.stdout.write(`${summaryLine(figures)}\n`);
  return passed(figures, Number(stack.env.TASK_LEASE_SECONDS ?? DEFAULT_LEASE_SECONDS));
}

/** The platform's lease unless the stack sets TASK_LEASE_SECONDS (functions/config.ts). */
const DEFAULT_LEASE_SECONDS = 30;

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  const runId = `f${Date.now().toString(36)}`;
  const logFile = options.log ?? path.join(os.tmpdir(), `faults-${runId}.log`);
  const log = createWriteStream(logFile);
  say(`seed ${options.seed}, ${options.tasks} tasks; the stack logs to ${logFile}`);
  const signer = createOidcSigner();
  const stack = await startStack({
    signer, keyPrefix: runId, logLevel: "warn",
    log: (source, line) => log.write(`${source} ${line}\n`),
    // A hanging receiver (6-9 s) must time the sender out within the run; a receiver merely slow on a
    // loaded machine should not (its delivery would count twice).
    env: { NOTIFY_TIMEOUT_MS: "5000" },
  });
  let ok = false;
  const stop = async () => { await stack.stop(); log.end(); };
  process.once("SIGINT", () => void stop().then(() => process.exit(130)));
  try {
    ok = await run(stack, signer, options, runId);
  } finally {
    await stop();
  }
  process.exitCode = ok ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`npm run faults failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(2);
});
