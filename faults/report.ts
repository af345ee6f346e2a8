// The figures of a fault run and the one line it ends with.
import type { TakeoverProbe } from "./takeover.ts";

export interface Figures {
  tasks: number;
  lost: number;
  stuck: number;
  duplicates: number;
  chords: number;
  chordsOk: number;
  chains: number;
  chainsOk: number;
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

/** A run passes when nothing was lost, stuck or done twice, every chord and chain completed, and every probe (if any ran) was taken over. */
export function passed(f: Figures): boolean {
  return f.lost === 0 && f.stuck === 0 && f.duplicates === 0 && f.chordsOk === f.chords && f.chainsOk === f.chains &&
    f.probes.every((p) => p.seconds !== null);
}
