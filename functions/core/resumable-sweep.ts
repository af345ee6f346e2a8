// A long sweep in bounded batches (SCAN pages, index slices) that never fails
// for running long: it checks its signal between batches and, near its time
// budget, hands the rest to a continuation of the same task (ctx.enqueue) that
// starts at its cursor and carries its counts.
import { z } from "zod";
import type { TaskContext } from "./define-task.ts";

/** Where a previous run stopped: its cursor, counts and batches. Set by the task itself when it hands over. */
export const sweepResume = z.strictObject({
  cursor: z.string().max(200),
  counts: z.record(z.string(), z.number().int().min(0)),
  batches: z.number().int().min(0),
  /** A fixed point in time the whole sweep judges by (a cutoff), kept across continuations. */
  since: z.number().optional(),
});
export type SweepResume = z.infer<typeof sweepResume>;

/** Batch size and time budget of one run; the budget defaults to 30 s short of the soft time limit. */
export function sweepTiming(defaultBatch: number, softSeconds: number) {
  return {
    batch_size: z.number().int().min(1).max(10_000).default(defaultBatch).describe("keys per batch (SCAN COUNT)"),
    budget_seconds: z.number().min(0).max(softSeconds).default(Math.max(0, softSeconds - 30))
      .describe("how long one run sweeps before it hands over to a continuation (at least one batch runs)"),
  };
}

/** The counts, the batches run, and the continuation's task id when the run handed over. */
export function sweepOutput<S extends z.ZodRawShape>(counts: S) {
  return z.object({
    ...counts,
    batches: z.number().int(),
    continued_as: z.string().nullable(),
  });
}

export interface SweepOptions<C extends string> {
  /** The counters this sweep reports, all starting at 0. */
  counters: readonly C[];
  /** The first batch's cursor ("0" for SCAN). */
  start: string;
  resume: SweepResume | undefined;
  /** The fixed point in time this sweep judges by, carried to continuations (resume.since, or fixed by the first run). */
  since?: number;
  /** One bounded batch; a null cursor means done. */
  batch(cursor: string): Promise<{ cursor: string | null; counts: Partial<Record<C, number>> }>;
  /** How long this run sweeps before it hands over, ms. At least one batch always runs. */
  budgetMs: number;
  /** Submits the continuation with this resume point; answers its task id. */
  handOver(resume: SweepResume): Promise<string>;
  now?: () => number;
}

export interface SweepReport<C extends string> {
  counts: Record<C, number>;
  batches: number;
  /** The continuation's task id when this run handed over, else null (the sweep is complete). */
  continuedAs: string | null;
}

export async function sweepInBatches<C extends string>(ctx: Pick<TaskContext, "signal" | "progress">, options: SweepOptions<C>): Promise<SweepReport<C>> {
  const now = options.now ?? Date.now;
  const started = now();
  const counts = Object.fromEntries(options.counters.map((c) => [c, options.resume?.counts[c] ?? 0])) as Record<C, number>;
  let batches = options.resume?.batches ?? 0;
  let cursor: string | null = options.resume?.cursor ?? options.start;
  let ranHere = 0;
  while (cursor !== null) {
    const outOfTime = ranHere > 0 && now() - started >= options.budgetMs;
    if (ctx.signal.aborted) {
      // A revoke ends the task; the soft time limit (the budget was too generous) hands over like the budget.
      const reason: unknown = ctx.signal.reason;
      if (!(reason instanceof Error && reason.name === "SoftTimeLimitExceeded") || ranHere === 0) throw reason;
    }
    if (outOfTime || ctx.signal.aborted) {
      const resume: SweepResume = { cursor, counts, batches, ...(options.since !== undefined ? { since: options.since } : {}) };
      return { counts, batches, continuedAs: await options.handOver(resume) };
    }
    const page = await options.batch(cursor);
    for (const counter of options.counters) counts[counter] += page.counts[counter] ?? 0;
    batches += 1;
    ranHere += 1;
    cursor = page.cursor;
    if (cursor !== null) {
      // SCAN cannot say how far it is: the percent is a rough indicator that never reaches 100 before the end.
      const percent = Math.min(99, Math.floor(100 * (1 - 1 / (1 + batches / 20))));
      await ctx.progress(percent, options.counters.map((c) => `${c} ${counts[c]}`).join(", "));
    }
  }
  return { counts, batches, continuedAs: null };
}
