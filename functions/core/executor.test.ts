// The executor's flow after the claim, on a scripted store and queue: the order of
// RETRY and enqueue, follow-ups carried out and marked done (and nothing for a task
// without any), a redelivery finishing what a crash left, and a lost lease.
import { DependencyError } from "./errors.ts";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createExecutor, type ExecutorDeps } from "./executor.ts";
import { createRegistry } from "./registry.ts";
import { defineQueue } from "./queues.ts";
import { defineTask } from "./define-task.ts";
import { FieldCipher } from "./sensitive-fields.ts";
import type { ClaimOutcome, FinishOutcome, Logger, Outcome, TaskQueue, TaskStore } from "./ports.ts";
import { PortBindings } from "./port.ts";
import type { FinishedTask, FollowUpKind } from "./follow-ups.ts";

let handled = 0;
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

const tasks = [
  defineTask({ name: "t.ok", queue: "default", input: z.object({}), output: z.object({ ok: z.boolean() }), handler: async () => (handled++, { ok: true }) }),
  defineTask({
    name: "t.fail", queue: "default", input: z.object({}), output: z.object({}),
    retry: { maxAttempts: 3, minBackoffSeconds: 4, maxBackoffSeconds: 60 },
    handler: async () => { throw new Error("boom"); },
  }),
  defineTask({
    name: "t.wait", queue: "default", input: z.object({}), output: z.object({}), timeLimit: { softSeconds: 1700, hardSeconds: 1800 },
    handler: (_input, ctx) => new Promise((_resolve, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason))),
  }),
];
const registry = createRegistry({ queues: [defineQueue({ name: "default", description: "" })], tasks });

function harness(options: { claim?: ClaimOutcome; followUps?: FollowUpKind[]; enqueueFails?: boolean; progress?: null; runFollowUp?: ExecutorDeps["runFollowUp"]; finishUnavailable?: number; finishOwned?: boolean } = {}) {
  let unavailable = options.finishUnavailable ?? 0;
  const calls: string[] = [];
  const outcomes: Outcome[] = [];
  const claims: { leaseMs: number }[] = [];
  let recordType = "t.ok";
  const finished: FinishedTask = { taskId: "id", tenant: "acme", type: "t.ok", queue: "default", outcome: { status: "SUCCESS", result: "{}" }, attempt: 1, runId: "r0", finishedAt: 1 };
  const store = {
    claim: async (_id: string, claim: { leaseMs: number }) => {
      calls.push("claim");
      claims.push(claim);
      const claimed = options.claim ?? { kind: "claimed", attempt: 1, revokeRequested: false, priority: "normal", type: "t.ok", tenant: "acme", payload: "{}" };
      // The record's type is what runs: the test's delivery names the type its record holds.
      return claimed.kind === "claimed" ? { ...claimed, type: recordType } : claimed;
    },
    finish: async (_id: string, _run: string, _queue: string, outcome: Outcome, _ttl: number, extra?: { followUps?: FollowUpKind[] }): Promise<FinishOutcome> => {
      calls.push(`finish:${outcome.status}:${(extra?.followUps ?? []).join("+")}`);
      outcomes.push(outcome);
      if (unavailable-- > 0) throw new DependencyError("redis", "stalled");
      if (options.finishOwned === false) return { owned: false, followUps: [], finishedAt: 1 };
      return { owned: true, followUps: outcome.status === "RETRY" ? [] : (options.followUps ?? extra?.followUps ?? []), finishedAt: 1 };
    },
    progress: async () => {
      calls.push("progress");
      return options.progress === null ? null : { revokeRequested: false };
    },
    unretry: async () => { calls.push("unretry"); return true; },
    followUpsDone: async (_id: string, done: FollowUpKind[]) => { calls.push(`done:${done.join("+")}`); return []; },
    finishedTask: async () => { calls.push("finishedTask"); return { task: finished, pending: ["callback"] as FollowUpKind[] }; },
  } as unknown as TaskStore;
  const enqueued: { name: string; scheduleTime?: number }[] = [];
  const queue = {
    enqueue: async (request: { name: string; scheduleTime?: number }) => {
      calls.push(`enqueue:${request.name}`);
      if (options.enqueueFails) throw new Error("Cloud Tasks refused");
      enqueued.push(request);
    },
  } as unknown as TaskQueue;
  const ran: string[] = [];
  const executor = createExecutor({
    registry, store, queue, cipher: new FieldCipher(null), log: silent, ports: new PortBindings(), workerId: "w", revision: "r",
    submit: async () => { throw new Error("not here"); },
    leaseMs: 30_000,
    revokePollMs: 10,
    plannedFollowUps: (status) => (status === "FAILURE" ? ["event"] : []),
    runFollowUp: options.runFollowUp ?? (async (task, kind) => { ran.push(`${kind}:${task.runId}`); }),
  });
  const deliver = (type: string) => {
    recordType = type;
    return executor.deliver({ v: 2, id: "id" }, { cloudTask: "id" });
  };
  return { calls, claims, enqueued, ran, deliver, outcomes };
}

describe("executor", () => {
  it("keeps trying an outcome's write while Redis is unavailable, rather than run the handler again", async () => {
    const h = harness({ finishUnavailable: 2 });
    expect((await h.deliver("t.ok")).status).toBe(200);
    expect(h.calls).toEqual(["claim", "finish:SUCCESS:", "finish:SUCCESS:", "finish:SUCCESS:"]);
  });

  it("asks for a redelivery when a write that timed out may have landed (fenced off after a retry)", async () => {
    const h = harness({ finishUnavailable: 1, finishOwned: false });
    expect((await h.deliver("t.ok")).status).toBe(503);
    const fenced = harness({ finishOwned: false });
    expect((await fenced.deliver("t.ok")).status).toBe(200);
  });

  it("answers the Cloud Task that wrote RETRY by making sure of the next attempt's, running nothing", async () => {
    const h = harness({ claim: { kind: "retry", cloudTask: "id-2", nextAttemptAt: 5_000, type: "t.ok", priority: "normal" } });
    expect((await h.deliver("t.ok")).status).toBe(200);
    expect(h.calls).toEqual(["claim", "enqueue:id-2"]);
    expect(h.enqueued[0]).toMatchObject({ name: "id-2", scheduleTime: 5_000 });
  });

  it("a task without follow-ups costs a claim and a finish, nothing more", async () => {
    const h = harness();
    expect((await h.deliver("t.ok")).status).toBe(200);
    expect(h.calls).toEqual(["claim", "finish:SUCCESS:"]);
  });

  it("writes RETRY naming the next Cloud Task before enqueueing it, after a backoff", async () => {
    const before = Date.now();
    const h = harness();
    expect((await h.deliver("t.fail")).status).toBe(200);
    expect(h.calls).toEqual(["claim", "finish:RETRY:", "enqueue:id-2"]);
    // minBackoffSeconds 4, equal jitter: at least 2 s away.
    expect(h.enqueued[0]!.scheduleTime! - before).toBeGreaterThanOrEqual(2000);
  });

  it("undoes the RETRY's Cloud Task name when the enqueue is refused, and asks for a redelivery", async () => {
    const h = harness({ enqueueFails: true });
    expect((await h.deliver("t.fail")).status).toBe(503);
    expect(h.calls).toEqual(["claim", "finish:RETRY:", "enqueue:id-2", "unretry"]);
  });

  it("carries out the follow-ups recorded with the final state and marks them done", async () => {
    const h = harness({ claim: { kind: "claimed", attempt: 3, revokeRequested: false, priority: "normal", group: { id: "g", index: 0 }, type: "t.ok", tenant: "acme", payload: "{}" }, followUps: ["event", "chain"] });
    expect((await h.deliver("t.ok")).status).toBe(200);
    expect(h.ran.map((r) => r.split(":")[0])).toEqual(["event", "chain"]);
    expect(h.calls.at(-1)).toBe("done:event+chain");
  });

  it("records the lifecycle event of a failure with the final state", async () => {
    const h = harness({ claim: { kind: "claimed", attempt: 3, revokeRequested: false, priority: "normal", type: "t.fail", tenant: "acme", payload: "{}" } });
    expect((await h.deliver("t.fail")).status).toBe(200);
    expect(h.calls).toEqual(["claim", "finish:FAILURE:event", "done:event"]);
  });

  it("answers 5xx while a follow-up failed; marks only those that ran", async () => {
    const h = harness({
      followUps: ["event", "chord"],
      runFollowUp: async (_task, kind) => { if (kind === "chord") throw new Error("Cloud Tasks refused"); },
    });
    const answer = await h.deliver("t.ok");
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ follow_ups_pending: ["chord"] });
    expect(h.calls.at(-1)).toBe("done:event");
  });

  it("a redelivery of a final task carries out the follow-ups still pending, and nothing when none are", async () => {
    const pending = harness({ claim: { kind: "final", status: "SUCCESS", pending: ["callback"] } });
    expect((await pending.deliver("t.ok")).status).toBe(200);
    expect(pending.ran).toEqual(["callback:r0"]);
    expect(pending.calls).toEqual(["claim", "finishedTask", "done:callback"]);
    const none = harness({ claim: { kind: "final", status: "SUCCESS", pending: [] } });
    expect((await none.deliver("t.ok")).status).toBe(200);
    expect(none.calls).toEqual(["claim"]);
  });

  it.each([
    ["a type not deployed here", "t.nope", {}, "FAILURE", "UnknownTaskType"],
    ["an attempt past those allowed (earlier runs lost)", "t.fail", { attempt: 4 }, "FAILURE", "WorkerLost"],
    ["a revoke asked before it started", "t.ok", { revokeRequested: true }, "REVOKED", "TaskRevoked"],
    ["a payload its input refuses", "t.ok", { payload: JSON.stringify("not an object") }, "FAILURE", "ValidationError"],
  ] as const)("ends the task at the guard, running no handler: %s", async (_case, type, claim, status, errorType) => {
    const h = harness({ claim: { kind: "claimed", attempt: 1, revokeRequested: false, priority: "normal", type: "t.ok", tenant: "acme", payload: "{}", ...claim } });
    const before = handled;
    expect((await h.deliver(type)).status).toBe(200);
    expect(handled).toBe(before);
    expect(h.outcomes).toMatchObject([{ status, error: { type: errorType } }]);
    expect(h.calls[1]).toMatch(new RegExp(`^finish:${status}:`));
  });

  it("runs the handler of a claim that passes the guard", async () => {
    const before = handled;
    const h = harness();
    await h.deliver("t.ok");
    expect(handled).toBe(before + 1);
    expect(h.outcomes).toMatchObject([{ status: "SUCCESS" }]);
  });

  it("takes a short lease whatever the hard limit, and stops the handler when another run took the task over", async () => {
    const h = harness({ progress: null });
    const answer = await h.deliver("t.wait");
    expect(h.claims[0]!.leaseMs).toBe(30_000);
    expect(h.calls).toContain("progress");
    // The outcome goes to finish, which the store fences off in real life; the handler did not run to its hard limit.
    expect(answer.status).toBe(200);
  }, 10_000);
});
