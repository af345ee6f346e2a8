// The figures of a fault run and the one line it ends with.
import type { Settled } from "./settle.ts";
import type { TakeoverProbe } from "./takeover.ts";

/** What settling counted, with the tasks accepted and the takeover probes. */
export interface Figures extends Omit<Settled, "examples"> {
  tasks: number;
  probes: TakeoverProbe[];
  takeoverWaitSeconds: number;
}

function takeover(f: Figures): string {
  if (f.probes.length === 0) return "none";
  if (f.probes.some((p) => p.seconds === null)) return `>${f.takeoverWaitSeconds}`;
  return Math.max(...f.probes.map((p) => p.seconds as number)).toFixed(1);
}

export function summaryLine(f: Figures): string {
  return `faults: ${f.tasks} tasks, ${f.lost} lost, ${f.stuck} stuck, ${f.duplicates} duplicate effects, ` +
    `${f.chordsOk}/${f.chords} chords with exactly one callback, ${f.chainsOk}/${f.chains} chains complete, takeover max ${takeover(f)} s`;
}

/**
 * A run passes when nothing was lost or stuck, every chord had exactly one callback and every chain completed, and
 * every probe (if any ran) was taken over within a lease and 5 s. Duplicate effects are counted, not failed: webhooks
 * are delivered at least once (a worker killed, or Redis stalled, between the POST and the outcome's write sends
 * again, with the same delivery id, which receivers drop), while a chord's second callback fails the chord count.
 */
export function passed(f: Figures, leaseSeconds: number): boolean {
  return f.lost === 0 && f.stuck === 0 && f.chordsOk === f.chords && f.chainsOk === f.chains &&
    f.probes.every((p) => p.seconds !== null && p.seconds <= leaseSeconds + 5);
}
