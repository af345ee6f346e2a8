// The batched sweep: runs batches to the end, hands over near its budget with
// its cursor and counts, and stops on a revoke.
import { describe, expect, it } from "vitest";
import { sweepInBatches, type SweepResume } from "./resumable-sweep.ts";
import { SoftTimeLimitExceeded, TaskRevoked } from "./errors.ts";

/** Pages "0" → "1" → … → null; each counts 10 scanned and 1 removed. */
function pages(total: number) {
  const seen: string[] = [];
  const batch = async (cursor: string) => {
    seen.push(cursor);
    const next = Number(cursor) + 1;
    return { cursor: next >= total ? null : String(next), counts: { scanned: 10, removed: 1 } };
  };
  return { seen, batch };
}

function context(controller = new AbortController()) {
  const progress: { percent: number; message: string | undefined }[] = [];
  return { ctx: { signal: controller.signal, progress: async (percent: number, message?: string) => void progress.push({ percent, message }) }, progress, controller };
}

describe("sweepInBatches", () => {
  it("runs every batch and sums the counts when there is time", async () => {
    const { ctx, progress } = context();
    const { seen, batch } = pages(5);
    const handOvers: SweepResume[] = [];
    const report = await sweepInBatches(ctx, {
      counters: ["scanned", "removed"] as const, start: "0", resume: undefined, budgetMs: 60_000, batch,
      handOver: async (resume) => { handOvers.push(resume); return "next"; },
    });
    expect(seen).toEqual(["0", "1", "2", "3", "4"]);
    expect(report).toEqual({ counts: { scanned: 50, removed: 5 }, batches: 5, continuedAs: null });
    expect(handOvers).toEqual([]);
    expect(progress.map((p) => p.message)).toContain("scanned 30, removed 3");
    expect(progress.every((p) => p.percent < 100)).toBe(true);
  });

  it("hands over at its budget with cursor, counts and the fixed cutoff, after at least one batch", async () => {
    const { ctx } = context();
    const { seen, batch } = pages(5);
    let clock = 0;
    const handOvers: SweepResume[] = [];
    const report = await sweepInBatches(ctx, {
      counters: ["scanned", "removed"] as const, start: "0", resume: undefined, since: 1234, budgetMs: 0, now: () => (clock += 1), batch,
      handOver: async (resume) => { handOvers.push(resume); return "continuation-1"; },
    });
    expect(seen).toEqual(["0"]);
    expect(report).toEqual({ counts: { scanned: 10, removed: 1 }, batches: 1, continuedAs: "continuation-1" });
    expect(handOvers).toEqual([{ cursor: "1", counts: { scanned: 10, removed: 1 }, batches: 1, since: 1234 }]);
  });

  it("resumes where the previous run stopped, carrying its counts", async () => {
    const { ctx } = context();
    const { seen, batch } = pages(5);
    const report = await sweepInBatches(ctx, {
      counters: ["scanned", "removed"] as const, start: "0", resume: { cursor: "3", counts: { scanned: 30, removed: 3 }, batches: 3 }, budgetMs: 60_000, batch,
      handOver: async () => "unused",
    });
    expect(seen).toEqual(["3", "4"]);
    expect(report).toEqual({ counts: { scanned: 50, removed: 5 }, batches: 5, continuedAs: null });
  });

  it("ends with the revoke when its signal is aborted by a cancel", async () => {
    const { ctx, controller } = context();
    const { seen, batch } = pages(5);
    const run = sweepInBatches(ctx, {
      counters: ["scanned"] as const, start: "0", resume: undefined, budgetMs: 60_000,
      batch: async (cursor) => {
        if (cursor === "1") controller.abort(new TaskRevoked("revoked while running"));
        return batch(cursor);
      },
      handOver: async () => "unused",
    });
    await expect(run).rejects.toBeInstanceOf(TaskRevoked);
    expect(seen).toEqual(["0", "1"]);
  });

  it("hands over rather than fails when the soft time limit aborts it", async () => {
    const { ctx, controller } = context();
    const { batch } = pages(5);
    const report = await sweepInBatches(ctx, {
      counters: ["scanned"] as const, start: "0", resume: undefined, budgetMs: 60_000,
      batch: async (cursor) => {
        if (cursor === "2") controller.abort(new SoftTimeLimitExceeded("soft time limit"));
        return batch(cursor);
      },
      handOver: async (resume) => `from-${resume.cursor}`,
    });
    expect(report.continuedAs).toBe("from-3");
    expect(report.batches).toBe(3);
  });
});
