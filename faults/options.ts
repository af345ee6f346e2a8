// `npm run faults -- [--tasks N] [--seed S] [--faults a,b|none] [--probes 0-2] [--settle SECONDS] [--takeover-wait SECONDS] [--concurrency N] [--log FILE]`
import { parseArgs } from "node:util";
import { FaultName } from "./faults.ts";

export interface RunOptions {
  /** Tasks to submit (group members count one each). Default 2000. */
  tasks: number;
  /** Seed of every random choice. Default: the clock (printed, to replay a run). */
  seed: number;
  /** Seconds to wait, after the last fault, for everything to end. Default 150. */
  settleSeconds: number;
  /** Seconds a takeover probe waits for a new run after the kill. Default 90. */
  takeoverWaitSeconds: number;
  /** Submissions in flight. Default 6. */
  concurrency: number;
  /** Seconds faults go on at least, however fast the submissions are (the work runs on after them). Default tasks / 10, at least 30. */
  minFaultSeconds: number;
  /** The faults to inject at random (--faults a,b or none). Default: every one. The takeover probes run regardless. */
  faults: FaultName[];
  /** Takeover probes (a long task's worker killed at 10% and 50% of the submissions). Default 2; 0 or 1 for fewer. */
  probes: number;
  /** Where the stack's log lines go. Default: a file in the temp directory. */
  log: string | undefined;
}

export function readOptions(argv: string[]): RunOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      tasks: { type: "string" }, seed: { type: "string" }, settle: { type: "string" }, "takeover-wait": { type: "string" },
      concurrency: { type: "string" }, "min-fault-seconds": { type: "string" }, log: { type: "string" }, faults: { type: "string" }, probes: { type: "string" },
    },
  });
  const positive = (name: string, raw: string | undefined, fallback: number) => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, not "${raw}"`);
    return value;
  };
  return {
    tasks: Math.round(positive("tasks", values.tasks, 2000)),
    seed: Math.round(positive("seed", values.seed, Date.now() % 2 ** 31)),
    settleSeconds: positive("settle", values.settle, 150),
    takeoverWaitSeconds: positive("takeover-wait", values["takeover-wait"], 90),
    concurrency: Math.round(positive("concurrency", values.concurrency, 6)),
    minFaultSeconds: positive("min-fault-seconds", values["min-fault-seconds"], Math.max(30, positive("tasks", values.tasks, 2000) / 10)),
    faults: faultList(values.faults),
    probes: values.probes === "0" ? 0 : Math.min(2, Math.round(positive("probes", values.probes, 2))),
    log: values.log,
  };
}

function faultList(raw: string | undefined): FaultName[] {
  if (raw === undefined) return [...FaultName];
  if (raw === "none") return [];
  const names = raw.split(",").map((name) => name.trim());
  const unknown = names.filter((name) => !(FaultName as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`--faults: no fault ${unknown.join(", ")}; there are ${FaultName.join(", ")} (or none)`);
  return names as FaultName[];
}
