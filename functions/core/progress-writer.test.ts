import { describe, expect, it } from "vitest";
import { ProgressWriter } from "./progress-writer.ts";
import type { TaskStore } from "./ports.ts";

/** A store whose progress writes never answer, as over a stalled Redis; it counts the writes. */
function stalledStore() {
  const writes: number[] = [];
  const store = { progress: (_id: string, _run: string, percent: number) => { writes.push(percent); return new Promise(() => undefined); } };
  return { store: store as unknown as TaskStore, writes };
}

describe("ProgressWriter over a stalled store", () => {
  it("lets the handler go on after the deadline, and keeps one write in flight", async () => {
    const { store, writes } = stalledStore();
    const writer = new ProgressWriter(store, { taskId: "t", runId: "r", leaseMs: 30_000, onRevoke: () => undefined, onLost: () => undefined, deadlineMs: 50 });
    const started = performance.now();
    await writer.report(10);
    await writer.report(20);
    await writer.report(30);
    await writer.flush();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(writes).toEqual([10]);
  });
});
