// CPU time the stack's processes spend, read from /proc (Linux): on a shared
// machine the wall-clock figures move with the neighbours' load, CPU time per
// request much less.
import { readdirSync, readFileSync } from "node:fs";
import type { Stack } from "../emulators/stack.ts";

/** Linux reports utime/stime in clock ticks; 100 a second on every common kernel (getconf CLK_TCK). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used, in ms; null when /proc has no such process. */
export function processCpuMs(pid: number): number | null {
  if (pid === process.pid) {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

export type CpuReading = Record<string, number | null>;

/** Starts a meter over the named processes; `read()` gives the CPU ms each spent since. */
export function cpuMeter(processes: Record<string, number | undefined>) {
  const start = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, pid === undefined ? null : processCpuMs(pid)]));
  return {
    read(): CpuReading {
      return Object.fromEntries(Object.entries(processes).map(([name, pid]) => {
        const before = start[name];
        const now = pid === undefined ? null : processCpuMs(pid);
        return [name, before == null || now == null ? null : now - before];
      }));
    },
  };
}

/** The process started with `--port=<port>` (functions-framework, the Pub/Sub emulator), if any. */
function pidStartedWithPort(port: string | undefined): number | undefined {
  if (!port) return undefined;
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").includes(`--port=${port}`)) return Number(entry);
      } catch {
        // The process ended while we looked.
      }
    }
  } catch {
    // No /proc: not Linux.
  }
  return undefined;
}

/** The stack's processes: the bench process also hosts the Upstash bridge and the Cloud Tasks emulator. */
export const stackProcesses = (stack: Stack) => ({
  api: stack.api.process.pid,
  worker: stack.worker.process.pid,
  events: pidStartedWithPort(new URL(stack.eventsUrl).port),
  "Pub/Sub emulator": pidStartedWithPort(stack.pubsub.host.split(":")[1]),
  redis: stack.redis.process.pid,
  "bench (client, bridge, Cloud Tasks)": process.pid,
});

/** CPU ms per unit of work: one process's (by its name in the reading), or all of them together. */
export function cpuPerUnit(reading: CpuReading, units: number, name?: string): number | null {
  if (name !== undefined) return reading[name] == null || units === 0 ? null : (reading[name] as number) / units;
  return units === 0 ? null : Object.values(reading).reduce<number>((sum, value) => sum + (value ?? 0), 0) / units;
}

/** "api 2.10, worker 0.01, …" in ms per unit of work; null readings are left out. */
export function perUnit(reading: CpuReading, units: number): string {
  const parts = Object.entries(reading).filter(([, value]) => value !== null).map(([name, value]) => `${name} ${((value as number) / units).toFixed(2)}`);
  const total = Object.values(reading).reduce<number>((sum, value) => sum + (value ?? 0), 0);
  return parts.length ? `${(total / units).toFixed(2)} ms (${parts.join(", ")})` : "n/a";
}

/** "0.51 ms" for a figure's value; "not measured" when /proc had no reading. */
export function cpuFigure(value: number | null): string {
  return value === null ? "not measured" : `${value.toFixed(2)} ms`;
}

/** A target's verdict for a CPU figure: undefined when it was not measured. */
export function cpuWithin(value: number | null, limitMs: number): boolean | undefined {
  return value === null ? undefined : value <= limitMs;
}
