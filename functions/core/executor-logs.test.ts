// The worker's one line per task outcome, on the delivery's own logger (no child is
// built for it), and the per-delivery child built only when a handler writes a line.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createExecutor } from "./executor.ts";
import { createRegistry } from "./registry.ts";
import { defineQueue } from "./queues.ts";
import { defineTask } from "./define-task.ts";
import { FieldCipher } from "./sensitive-fields.ts";
import { NonRetryableError } from "./errors.ts";
import type { FinishOutcome, Logger, TaskQueue, TaskStore } from "./ports.ts";
import { PortBindings } from "./port.ts";

type Line = { level: string; fields: Record<string, unknown>; message?: string };

function recorder(level: "debug" | "info" = "info") {
  const lines: Line[] = [];
  let children = 0;
  const make = (bindings: Record<string, unknown>): Logger => {
    const write = (name: string) => (obj: object | string, message?: string) =>
      void lines.push({ level: name, fields: { ...bindings, ...(typeof obj === "object" ? obj : {}) }, ...(message ? { message } : typeof obj === "string" ? { message: obj } : {}) });
    return {
      debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error"),
      child: (more) => (children++, make({ ...bindings, ...more })),
      isLevelEnabled: (l) => l !== "debug" || level === "debug",
    };
  };
  return { log: make({}), lines, children: () => children };
}

const tasks = [
  defineTask({ name: "t.ok", queue: "default", input: z.object({}), output: z.object({}), handler: async () => ({}) }),
  defineTask({ name: "t.talks", queue: "default", input: z.object({}), output: z.object({}), handler: async (_i, ctx) => { ctx.log.debug("quiet"); ctx.log.info("said"); return {}; } }),
  defineTask({ name: "t.quiet", queue: "default", input: z.object({}), output: z.object({}), handler: async (_i, ctx) => { ctx.log.debug({ big: "x".repeat(10) }, "quiet"); return {}; } }),
  defineTask({ name: "t.flaky", queue: "default", input: z.object({}), output: z.object({}), retry: { maxAttempts: 2 }, handler: async () => { throw new TypeError("boom"); } }),
  defineTask({ name: "t.refuse", queue: "default", input: z.object({}), output: z.object({}), handler: async () => { throw new NonRetryableError("no such user"); } }),
];
const registry = createRegistry({ queues: [defineQueue({ name: "default" })], tasks });

function deliver(type: string, attempt = 1, level: "debug" | "info" = "info") {
  const rec = recorder(level);
  const store = {
    claim: async () => ({ kind: "claimed", attempt, revokeRequested: false, priority: "normal", type, tenant: "acme", payload: "{}" }),
    finish: async (): Promise<FinishOutcome> => ({ owned: true, followUps: [], finishedAt: 1 }),
    progress: async () => ({ revokeRequested: false }),
  } as unknown as TaskStore;
  const queue = { enqueue: async () => undefined } as unknown as TaskQueue;
  const executor = createExecutor({
    registry, store, queue, cipher: new FieldCipher(null), log: rec.log, ports: new PortBindings(), workerId: "w", revision: "r",
    submit: async () => { throw new Error("not here"); }, revokePollMs: 1000,
  });
  return executor.deliver({ v: 2, id: "task-1" }, { cloudTask: "task-1" }).then(() => rec);
}

const outcomes = (lines: Line[]) => lines.filter((l) => l.message === "task outcome");

describe("the executor's log lines", () => {
  it("a successful task leaves one info line with its id, type, tenant, attempt and duration, and builds no child", async () => {
    const rec = await deliver("t.ok");
    expect(rec.lines).toHaveLength(1);
    expect(rec.lines[0]).toMatchObject({ level: "info", message: "task outcome", fields: { taskId: "task-1", type: "t.ok", tenant: "acme", status: "SUCCESS", attempt: 1 } });
    expect(rec.lines[0]!.fields.durationMs).toEqual(expect.any(Number));
    expect(rec.children()).toBe(0);
  });

  it("a retry and a final failure each leave one outcome line naming the error type", async () => {
    const retry = await deliver("t.flaky", 1);
    expect(outcomes(retry.lines)).toEqual([expect.objectContaining({ level: "info", fields: expect.objectContaining({ status: "RETRY", errorType: "TypeError", attempt: 1, nextAttemptAt: expect.any(String) }) })]);
    const failed = await deliver("t.flaky", 2);
    expect(outcomes(failed.lines)).toEqual([expect.objectContaining({ level: "warn", fields: expect.objectContaining({ status: "FAILURE", errorType: "TypeError", attempt: 2 }) })]);
    // The exhausted run's error goes out with its stack (Error Reporting), bound to the task.
    const stack = failed.lines.find((l) => l.level === "error");
    expect(stack?.fields).toMatchObject({ taskId: "task-1", type: "t.flaky" });
    expect(stack?.fields.err).toBeInstanceOf(TypeError);
    const refused = await deliver("t.refuse");
    expect(refused.lines).toEqual([expect.objectContaining({ level: "warn", fields: expect.objectContaining({ status: "FAILURE", errorType: "NonRetryableError" }) })]);
  });

  it("builds the task's child logger only when its handler writes an enabled line", async () => {
    const quiet = await deliver("t.quiet");
    expect(quiet.children()).toBe(0);
    const talks = await deliver("t.talks");
    expect(talks.children()).toBe(1);
    expect(talks.lines.find((l) => l.message === "said")?.fields).toMatchObject({ taskId: "task-1", type: "t.talks", tenant: "acme" });
    expect(talks.lines.some((l) => l.message === "quiet")).toBe(false);
  });
});
