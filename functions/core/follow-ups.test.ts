import { describe, expect, it } from "vitest";
import { z } from "zod";
import { sweepOutbox, type FinishedTask, type FollowUpKind, type OutboxStore } from "./follow-ups.ts";
import { runGroupFollowUp, type GroupDeps, type GroupRecord } from "./groups.ts";
import { chainStepRefusal, chordCallbackRefusal } from "./group-checks.ts";
import { lifecycleFollowUps } from "./lifecycle.ts";
import { defineTask } from "./define-task.ts";
import { SubmissionError } from "./errors.ts";
import type { Logger } from "./ports.ts";

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const task = (id: string, extra: Partial<FinishedTask> = {}): FinishedTask => ({
  taskId: id, tenant: "acme", type: "t", queue: "default", outcome: { status: "SUCCESS", result: "{\"value\":1}" }, attempt: 1, runId: "r", finishedAt: 1, ...extra,
});

describe("sweepOutbox", () => {
  it("carries out what is older than the grace, forgets entries whose record is gone, keeps what failed", async () => {
    const pending = new Map<string, FollowUpKind[]>([["a", ["event"]], ["b", ["callback"]]]);
    const asked: number[] = [];
    const store: OutboxStore = {
      outboxDue: async (before) => { asked.push(before); return ["a", "b", "gone"]; },
      finishedTask: async (id) => (pending.has(id) ? { task: task(id), pending: pending.get(id)! } : null),
      followUpsDone: async (id, done) => { pending.set(id, pending.get(id)!.filter((k) => !done.includes(k))); return pending.get(id)!; },
      outboxForget: async (id) => void pending.delete(id),
    };
    const report = await sweepOutbox({ store, log: silent, run: async (t) => { if (t.taskId === "b") throw new Error("receiver down"); } }, { graceMs: 60_000, limit: 10, now: 100_000 });
    expect(asked).toEqual([40_000]);
    expect(report).toEqual({ examined: 3, completed: 1, failed: 1, forgotten: 1 });
    expect(pending.get("a")).toEqual([]);
    expect(pending.get("b")).toEqual(["callback"]);
  });
});

describe("group follow-ups", () => {
  const chain: GroupRecord = {
    id: "g", tenant: "acme", kind: "chain", total: 2, done: 1, succeeded: 1, failed: 0, revoked: 0, submitted: 1, submitErrors: 0, cancelled: false, createdAt: 0,
    steps: [{ type: "a" }, { type: "b" }], allowPartial: false,
  };
  function deps(submit: GroupDeps["submit"]) {
    const updates: Record<string, unknown>[] = [];
    const d = {
      groups: { get: async () => chain, update: async (_id: string, f: Record<string, unknown>) => void updates.push(f), addMembers: async () => {}, progress: async () => {} },
      store: {}, submit, open: (v: unknown) => v, log: silent,
    } as unknown as GroupDeps;
    return { d, updates };
  }

  it("a refused next step ends the group FAILURE with the reason, and counts as done", async () => {
    const { d, updates } = deps(async () => { throw new SubmissionError("invalid_payload", "payload does not match b"); });
    await runGroupFollowUp(d, task("t0", { group: { id: "g", index: 0 } }), "chain");
    expect(updates).toEqual([{ error: expect.stringContaining("chain step 1 (b) was refused: payload does not match b") }]);
  });

  it("any other failure stays pending (thrown), to be tried again", async () => {
    const { d, updates } = deps(async () => { throw new Error("Cloud Tasks is down"); });
    await expect(runGroupFollowUp(d, task("t0", { group: { id: "g", index: 0 } }), "chain")).rejects.toThrow("Cloud Tasks is down");
    expect(updates).toEqual([]);
  });
});

describe("what POST /v1/groups can refuse", () => {
  const def = (name: string, input: z.ZodType, output: z.ZodType = z.object({})) => defineTask({ name: `t.${name}`, queue: "q", input, output, handler: async () => ({}) });
  it("a chord callback whose schema refuses results or failed", () => {
    expect(chordCallbackRefusal(def("strict", z.strictObject({ title: z.string() })), { type: "strict", payload: { title: "x" } })).toMatch(/results/);
    expect(chordCallbackRefusal(def("typed", z.object({ results: z.string() })), { type: "typed" })).toMatch(/results/);
    expect(chordCallbackRefusal(def("loose", z.object({ results: z.array(z.number()).min(1) })), { type: "loose" })).toBeNull();
  });
  it("a strict chain step given keys of the previous output it does not know", () => {
    const previous = def("p", z.object({}), z.object({ ok: z.boolean() }));
    expect(chainStepRefusal(previous, def("n", z.strictObject({ seconds: z.number() })), { type: "n" })).toMatch(/"ok"/);
    expect(chainStepRefusal(previous, def("n", z.strictObject({ ok: z.boolean() })), { type: "n" })).toBeNull();
    expect(chainStepRefusal(previous, def("n", z.object({ seconds: z.number() })), { type: "n" })).toBeNull();
  });
});

describe("lifecycleFollowUps", () => {
  it("publishes failures by default mode, callbacks whenever asked, never a callback of a callback", () => {
    expect(lifecycleFollowUps("failures", "SUCCESS", "t", undefined)).toEqual([]);
    expect(lifecycleFollowUps("failures", "FAILURE", "t", "https://x")).toEqual(["event", "callback"]);
    expect(lifecycleFollowUps("all", "SUCCESS", "t", undefined)).toEqual(["event"]);
    expect(lifecycleFollowUps("off", "FAILURE", "platform.callback", "https://x")).toEqual([]);
  });
});
