// Submits the mix with a few requests in flight, each retried while the platform
// answers "try again" (a stalled Redis, a refused enqueue: 503, 429, no answer)
// and given up on after a while. Only a 202 makes a unit the platform's to keep.
import type { PlatformCall } from "./platform-client.ts";
import type { Unit } from "./mix.ts";

export interface Accepted {
  unit: Unit;
  /** The label the accepted attempt gave its chord callback: a retried submission the platform kept after all is told apart. */
  label: string;
  /** Tasks the platform took: the unit's, or for a group answered 207 the members it says it submitted. */
  tasks: number;
  /** Answered 207: some members were not submitted, which the group must then show (FAILURE), not hide. */
  partial: boolean;
  /** task_id or group_id. */
  id: string;
  acceptedAt: number;
}

export interface SubmitFigures {
  accepted: Accepted[];
  /** Units never answered 202 within the give-up time (not the platform's to keep: not lost). */
  refused: { label: string; reason: string }[];
  retries: number;
  /** Groups answered 207 (some members not submitted at first). */
  partial: number;
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

function withLabel(unit: Unit, label: string): Record<string, unknown> {
  const callback = unit.body.callback as { type: string; payload?: Record<string, unknown> } | undefined;
  return callback ? { ...unit.body, callback: { ...callback, payload: { ...callback.payload, label } } } : unit.body;
}

async function submitOne(call: PlatformCall, unit: Unit, giveUpMs: number, figures: SubmitFigures): Promise<void> {
  const deadline = Date.now() + giveUpMs;
  let reason = "";
  for (let attempt = 1, wait = 250; Date.now() < deadline; attempt += 1, wait = Math.min(wait * 2, 2000)) {
    const label = `${unit.label}.${attempt}`;
    try {
      const answer = await call<{ task_id?: string; group_id?: string; submitted?: number; error?: { message?: string } }>("POST", unit.path, withLabel(unit, label));
      // 207: a group written with some members not submitted. The platform answered with the group's id,
      // so the group is its to finish or to end visibly; only the members it submitted count as its tasks.
      if (answer.status === 202 || answer.status === 207) {
        const partial = answer.status === 207;
        if (partial) figures.partial += 1;
        figures.accepted.push({ unit, label, partial, tasks: partial ? (answer.body.submitted ?? 0) : unit.tasks, id: (answer.body.group_id ?? answer.body.task_id) as string, acceptedAt: Date.now() });
        return;
      }
      reason = `${answer.status} ${answer.body.error?.message ?? ""}`;
      if (!RETRYABLE.has(answer.status)) break;
    } catch (error) {
      reason = (error as Error).message;
    }
    figures.retries += 1;
    await new Promise((r) => setTimeout(r, wait));
  }
  figures.refused.push({ label: unit.label, reason });
}

export const newSubmitFigures = (): SubmitFigures => ({ accepted: [], refused: [], retries: 0, partial: 0 });

/** Submits every unit, `concurrency` at once, into `figures` (which others may read meanwhile). */
export async function submitAll(call: PlatformCall, units: Unit[], options: { concurrency: number; giveUpMs: number }, figures: SubmitFigures): Promise<SubmitFigures> {
  let next = 0;
  const lane = async () => {
    while (next < units.length) await submitOne(call, units[next++]!, options.giveUpMs, figures);
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return figures;
}
