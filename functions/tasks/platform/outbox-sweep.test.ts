// platform.outbox_sweep also sweeps the task indexes, batch after batch while a batch comes back
// full (a backlog), so that an index entry leaves within minutes of its record.
import { describe, expect, it } from "vitest";
import type { IndexSweepOptions } from "../../core/ports.ts";
import { MemoryTaskStore } from "../../core/testing/memory-task-store.ts";
import { testContext } from "../../core/testing/task-context.ts";
import { outboxSweep } from "./outbox-sweep.ts";

describe("platform.outbox_sweep", () => {
  it("removes the index entries of expired records, over as many batches as the backlog needs", async () => {
    const clock = { now: 1_000_000 };
    const store = new MemoryTaskStore({ queues: ["default"], tenants: () => ["acme"], now: () => clock.now });
    for (let i = 0; i < 5; i++) {
      clock.now += 1;
      const id = `t${i}`;
      await store.create({
        id, tenant: "acme", type: "testing.noop", queue: "default", priority: "normal", status: "PENDING", createdAt: clock.now,
        maxAttempts: 1, resultTtlSeconds: 1, leaseMs: 30_000, cloudTask: id, payload: "{}",
      });
      await store.claim(id, { cloudTask: id, runId: "run", leaseMs: 30_000, workerId: "w" });
      await store.finish(id, "run", "default", { status: "SUCCESS", result: "null" }, 1);
    }
    clock.now += 3600_000 + 5_000;
    const { ctx } = testContext(outboxSweep, {
      outbox: { sweep: async () => ({ examined: 0, completed: 0, failed: 0, forgotten: 0 }) },
      taskHistory: { sweepIndexes: (options: IndexSweepOptions) => store.sweepIndexes(options), purgeFailed: () => Promise.reject(new Error("not here")) },
    });
    const report = await outboxSweep.handler(outboxSweep.input.parse({ index_batch: 2 }), ctx);
    expect(report).toMatchObject({ index_entries_removed: 5, index_entries_left: 0 });
  });
});
